// Translation scores by source-sentence length: the numbers behind "the encoder-decoder does
// fine on short sentences and badly on long ones; attention closes the gap" (lessons 02-04).
//
//     eval::TranslationScores scores;
//     for (...) scores.add(source.size(), hypothesis, reference);
//     std::cout << scores.table();
//     summary["test"] = scores.to_json();
//
//     bucket  sentences   BLEU  exact  token acc
//     3-10          250  0.912  0.620      0.951
//     11-20         250  0.743  0.212      0.806
//     ...
//     all          1000  0.655  0.231      0.702
//
// Three scores, from forgiving to strict:
//   BLEU            corpus BLEU-4 (bleu.hpp): n-gram overlap, order within 4 words.
//   token accuracy  the reference's tokens the hypothesis has at the same position,
//                   sum over sentences of #{i < |ref| : hyp[i] == ref[i]} / sum of |ref|.
//                   A hypothesis shorter than its reference gets its missing positions wrong;
//                   extra tokens past the reference's end are not counted. One word left out
//                   early shifts everything after it: a strict score (BLEU forgives the shift).
//   exact match     the fraction of sentences translated token for token (same length too).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/eval/bleu.hpp>

namespace dikkat::eval {

/// A closed range of source lengths, lo <= length <= hi, named "lo-hi" (e.g. "3-10").
struct LengthRange {
    std::size_t lo = 0;
    std::size_t hi = 0;
    std::string name() const { return std::to_string(lo) + "-" + std::to_string(hi); }
};

/// Buckets of source-sentence length (its token count, the final full stop included).
///
/// The ranges must be contiguous and ascending. Two more buckets catch what falls outside
/// them, so that no bucket's name ever lies about what is in it: "<3" below the first range
/// and ">40" above the last (named after the ranges; with standard() exactly these). The
/// translation dataset has lengths 3 to 40, so only a learner's own sentences land there.
class LengthBuckets {
  public:
    /// Throws ValueError for no ranges, a range with lo > hi, or a gap or overlap between
    /// neighbours (each lo must be the previous hi + 1).
    explicit LengthBuckets(std::vector<LengthRange> ranges);

    /// "3-10", "11-20", "21-30", "31-40": the translation dataset's lengths in four steps.
    static LengthBuckets standard();

    /// Every bucket name in order: the one below, the ranges, the one above
    /// ("<3", "3-10", "11-20", "21-30", "31-40", ">40").
    std::vector<std::string> names() const;
    /// The position of `source_length`'s bucket in names().
    std::size_t index_of(std::size_t source_length) const;
    /// The name of `source_length`'s bucket: bucket_of(7) == "3-10", bucket_of(50) == ">40".
    std::string bucket_of(std::size_t source_length) const { return names()[index_of(source_length)]; }

    const std::vector<LengthRange>& ranges() const { return ranges_; }

  private:
    std::vector<LengthRange> ranges_;
};

/// The three scores of a set of sentences, each a fraction in [0, 1] (all 0 for no sentences).
struct Scores {
    double bleu = 0.0;  ///< corpus BLEU-4, see BleuStats::bleu()
    /// \f$ \#\{s : \mathrm{hyp}_s = \mathrm{ref}_s\} / \#\text{sentences} \f$: same tokens, same length
    double exact_match = 0.0;
    /// \f$ \sum_s \#\{i < |\mathrm{ref}_s| : \mathrm{hyp}_s[i] = \mathrm{ref}_s[i]\} \,/\, \sum_s |\mathrm{ref}_s| \f$
    /// (a position past the hypothesis's end is wrong; tokens past the reference's end do not
    /// count; 0 when there are no reference tokens)
    double token_accuracy = 0.0;
    std::size_t sentences = 0;
};

/// Accumulates Scores over a test set, overall and per length bucket.
class TranslationScores {
  public:
    explicit TranslationScores(LengthBuckets buckets = LengthBuckets::standard());

    /// Adds one translated sentence; `source_length` is the source sentence's token count and
    /// picks the bucket.
    void add(std::size_t source_length, const std::vector<std::string>& hypothesis,
             const std::vector<std::string>& reference);

    /// The scores of every sentence added.
    Scores overall() const;

    /// (bucket name, scores) in bucket order, for the buckets that hold at least one sentence
    /// (an empty bucket has no scores to show; look for its name before reading it).
    std::vector<std::pair<std::string, Scores>> by_bucket() const;

    /// The numbers a lesson writes to summary.json:
    ///
    ///     {"bleu": 0.655, "bleu_by_length": {"3-10": 0.912, ...},
    ///      "exact_match": ..., "exact_match_by_length": {...},
    ///      "token_accuracy": ..., "token_accuracy_by_length": {...},
    ///      "sentences": 1000, "sentences_by_length": {"3-10": 250, ...}}
    ///
    /// The `_by_length` objects hold the buckets of by_bucket(). JSON objects have no order:
    /// the file lists keys alphabetically ("11-20" before "3-10"); by_bucket() has the order.
    nlohmann::json to_json() const;

    /// One row per non-empty bucket, then "all": bucket, sentences, BLEU, exact, token acc
    /// (three decimals, columns aligned; ends with a newline).
    std::string table() const;

    const LengthBuckets& buckets() const { return buckets_; }

  private:
    // What the scores of one set of sentences are computed from.
    struct Tally {
        BleuStats bleu;
        std::size_t sentences = 0;
        std::size_t exact = 0;             // sentences equal to their reference
        std::size_t correct_tokens = 0;    // positions i < |ref| with hyp[i] == ref[i]
        std::size_t reference_tokens = 0;  // sum of |ref|
        void add(const std::vector<std::string>& hypothesis, const std::vector<std::string>& reference);
        Scores scores() const;
    };

    LengthBuckets buckets_;
    Tally all_;
    std::vector<Tally> by_bucket_;  // one per buckets_.names()
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const TranslationScores& scores);

}  // namespace dikkat::eval
