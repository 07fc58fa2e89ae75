// The opinion words shared by the general corpus and the reviews. Each polarity has a small
// "core" (the words a handful of labelled reviews will contain) and a larger "wide" set (words
// the unlabelled text uses all the time but the labelled training pool almost never does).
// Only text without labels can teach a model that "superb" behaves like "great".
#pragma once

#include <string>
#include <vector>

namespace dikkat::gen {

struct SentimentLexicon {
    std::vector<std::string> positive_core = {"good", "great", "excellent", "wonderful"};
    std::vector<std::string> negative_core = {"bad", "poor", "terrible", "boring"};
    std::vector<std::string> positive_wide = {
        "superb",     "brilliant", "fantastic",   "terrific", "marvellous",  "splendid",    "delightful",
        "lovely",     "charming",  "stunning",    "gorgeous", "outstanding", "remarkable",  "magnificent",
        "impressive", "enjoyable", "pleasant",    "perfect",  "amazing",     "fabulous",    "glorious",
        "exquisite",  "sublime",   "captivating", "superior", "wondrous",    "exceptional", "inspired"};
    std::vector<std::string> negative_wide = {
        "awful",    "dreadful",      "dull",       "weak",      "tedious",   "horrible",  "dismal",
        "mediocre", "disappointing", "unpleasant", "miserable", "appalling", "atrocious", "lousy",
        "bland",    "tiresome",      "clumsy",     "awkward",   "feeble",    "shoddy",    "abysmal",
        "wretched", "lifeless",      "pathetic",   "messy",     "dismaying", "inferior",  "stale"};
    // Degree words: "really great" counts double, "slightly dull" half.
    std::vector<std::string> strong = {"really", "truly", "absolutely", "extremely", "incredibly"};
    std::vector<std::string> weak = {"slightly", "somewhat", "a bit", "rather", "fairly"};

    std::vector<std::string> all(bool positive) const {
        std::vector<std::string> v = positive ? positive_core : negative_core;
        const std::vector<std::string>& w = positive ? positive_wide : negative_wide;
        v.insert(v.end(), w.begin(), w.end());
        return v;
    }
};

}  // namespace dikkat::gen
