// What the dataset checks need to know about a labelled review's text: which kind it is. The
// subsets are found by text alone (text/reviews_labelled/README.md): plain reviews contain
// neither "not" nor "but", so a review with "not" is a negation review and one with "but" a
// contrast review.
#pragma once

#include <string>

#include <dikkat/data/datasets.hpp>

namespace dikkat::gen {

/// True when `w` is one of the words of `text`.
inline bool has_word(const std::string& text, const std::string& w) {
    for (const std::string& x : data::split_words(text))
        if (x == w) return true;
    return false;
}

inline bool is_negation_review(const std::string& text) { return has_word(text, "not"); }
inline bool is_contrast_review(const std::string& text) { return has_word(text, "but"); }

}  // namespace dikkat::gen
