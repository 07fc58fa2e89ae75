// datasets/translation/: draws sentence pairs from the grammar until every split has its quota
// at every source length, then writes train.tsv, valid.tsv and test.tsv.
//
// Lengths are spread evenly over 3..40 words (punctuation counts as a word) so that long
// sentences, where a fixed-size encoder state runs out of room, are as common as short ones.
// The test set is stratified: 500 pairs in each of the buckets 3-10, 11-20, 21-30, 31-40.
// A sentence (English or French side) never appears twice, within a split or across splits.
#include <algorithm>
#include <array>
#include <set>

#include "common.hpp"
#include "translation_grammar.hpp"

namespace dikkat::gen {

namespace {

constexpr int kMinLen = 3, kMaxLen = 40;
constexpr int kLengths = kMaxLen - kMinLen + 1;

enum Split { test = 0, valid = 1, train = 2 };
const char* const kSplitNames[] = {"test", "valid", "train"};

int bucket_of(int len) { return len <= 10 ? 0 : len <= 20 ? 1 : len <= 30 ? 2 : 3; }
const char* const kBuckets[] = {"03-10", "11-20", "21-30", "31-40"};

// Spreads `total` over the lengths [lo, hi] as evenly as integers allow.
void spread(std::array<int, kLengths>& quota, int lo, int hi, int total) {
    int n = hi - lo + 1;
    for (int len = lo; len <= hi; ++len)
        quota[static_cast<std::size_t>(len - kMinLen)] += total / n + (len - lo < total % n ? 1 : 0);
}

std::string to_line(const SentencePair& p) {
    std::string align;
    for (std::size_t k = 0; k < p.alignment.size(); ++k) {
        if (k) align += ' ';
        align += std::to_string(p.alignment[k].first) + "-" + std::to_string(p.alignment[k].second);
    }
    return join(p.en) + "\t" + join(p.fr) + "\t" + align;
}

// Richness that makes a sentence of about `len` words likeliest (measured, see README).
float richness_for(int len) {
    float r = static_cast<float>(len - kMinLen) / 30.0f;
    return std::min(1.0f, r);
}

}  // namespace

void make_translation(const std::string& dir, std::uint64_t seed, std::ostream& log) {
    Rng rng(seed);
    TranslationGrammar grammar(rng);

    std::array<std::array<int, kLengths>, 3> quota{};
    spread(quota[test], 3, 10, 500);
    spread(quota[test], 11, 20, 500);
    spread(quota[test], 21, 30, 500);
    spread(quota[test], 31, 40, 500);
    spread(quota[valid], kMinLen, kMaxLen, 2000);
    spread(quota[train], kMinLen, kMaxLen, 30600);  // over 30,000: length 3 runs short

    std::array<std::vector<SentencePair>, 3> splits;
    std::set<std::string> seen_en, seen_fr;
    std::array<int, kLengths> misses{};  // consecutive tries at a length that found nothing new
    std::array<bool, kLengths> exhausted{};
    std::size_t tries = 0;
    auto remaining = [&](int len) {
        std::size_t i = static_cast<std::size_t>(len - kMinLen);
        return quota[test][i] + quota[valid][i] + quota[train][i];
    };
    for (;;) {
        // Aim at a length that still needs pairs; the pair drawn may land elsewhere and is kept
        // wherever its own length still has room.
        std::vector<int> open;
        for (int len = kMinLen; len <= kMaxLen; ++len)
            if (remaining(len) > 0 && !exhausted[static_cast<std::size_t>(len - kMinLen)])
                open.push_back(len);
        if (open.empty()) break;
        int target = pick(rng, open);
        SentencePair p = grammar.sentence(richness_for(target));
        ++tries;
        int len = static_cast<int>(p.en.size());
        bool kept = false;
        if (len >= kMinLen && len <= kMaxLen && remaining(len) > 0) {
            std::string en = join(p.en), fr = join(p.fr);
            if (!seen_en.count(en) && !seen_fr.count(fr)) {
                std::size_t i = static_cast<std::size_t>(len - kMinLen);
                for (int s = test; s <= train; ++s) {
                    if (quota[static_cast<std::size_t>(s)][i] == 0) continue;
                    --quota[static_cast<std::size_t>(s)][i];
                    splits[static_cast<std::size_t>(s)].push_back(p);
                    seen_en.insert(en);
                    seen_fr.insert(fr);
                    kept = (len == target);
                    break;
                }
            }
        }
        // Very short sentences run out: there are only so many three-word sentences.
        std::size_t t = static_cast<std::size_t>(target - kMinLen);
        misses[t] = kept ? 0 : misses[t] + 1;
        if (misses[t] > 20000) exhausted[t] = true;
    }

    log << "## translation (seed " << seed << ", " << tries << " sentences drawn)\n\n";
    std::set<std::string> en_vocab, fr_vocab;
    for (int s = test; s <= train; ++s) {
        std::vector<SentencePair>& pairs = splits[static_cast<std::size_t>(s)];
        rng.shuffle(pairs);
        std::vector<std::string> lines;
        std::map<std::string, std::size_t> hist;
        std::size_t en_words = 0, fr_words = 0;
        for (const SentencePair& p : pairs) {
            lines.push_back(to_line(p));
            int len = static_cast<int>(p.en.size());
            hist[kBuckets[bucket_of(len)]]++;
            en_words += p.en.size();
            fr_words += p.fr.size();
            en_vocab.insert(p.en.begin(), p.en.end());
            fr_vocab.insert(p.fr.begin(), p.fr.end());
        }
        std::string path = dir + "/" + kSplitNames[s] + ".tsv";
        write_lines(path, lines);
        log << kSplitNames[s] << ".tsv: " << pairs.size() << " pairs, " << en_words << " English words, "
            << fr_words << " French words\n";
        print_histogram(log, hist);
    }
    std::map<std::string, std::size_t> by_len;
    for (const SentencePair& p : splits[train]) {
        int len = static_cast<int>(p.en.size());
        char key[16];
        int lo = len - (len - 1) % 4;  // 1-4, 5-8, ...
        std::snprintf(key, sizeof key, "%02d-%02d", lo, lo + 3);
        by_len[key]++;
    }
    log << "train source lengths:\n";
    print_histogram(log, by_len);
    log << "vocabulary: " << en_vocab.size() << " English, " << fr_vocab.size() << " French word types\n\n";
}

}  // namespace dikkat::gen
