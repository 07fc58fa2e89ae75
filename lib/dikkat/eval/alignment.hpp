// Does attention look where a translator would? Alignment accuracy against gold word links.
//
// The translation corpus knows, for every French word, which English words it translates
// (Pharaoh links "i-j": English word i, French word j). Attention gives, for every French word
// the decoder writes, weights over the English words. The attention is counted right for
// French word j when its largest weight falls on an English word linked to j:
//
//     la zone économique européenne          gold: zone-area, économique-economic,
//     the european economic area                   européenne-european (the crossing)
//
// Measured teacher-forced (the decoder reads the reference), so that French word j of the
// output is French word j of the reference and the two can be compared word for word.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/eval/translation_scores.hpp>
#include <dikkat/tensor.hpp>

namespace dikkat::eval {

/// Accumulates alignment accuracy, overall and by source-length bucket.
class AlignmentScores {
  public:
    explicit AlignmentScores(LengthBuckets buckets = LengthBuckets::standard());

    /// One sentence: `attention` (at least target_length rows, at least source_length
    /// columns; row j is the attention used to write target word j) and its gold links
    /// (source i, target j). Target words without a link are skipped; extra rows and columns
    /// (`<eos>`, padding) are ignored. Throws ShapeError when the attention is too small.
    void add(std::size_t source_length, std::size_t target_length, const Array& attention,
             const std::vector<std::pair<std::size_t, std::size_t>>& links);
    /// The same, also counting misses by French word (see most_missed()). `target` holds the
    /// target sentence's words (at least target_length of them).
    void add(std::size_t source_length, const std::vector<std::string>& target, const Array& attention,
             const std::vector<std::pair<std::size_t, std::size_t>>& links);

    /// A French word, how often attention missed it and how often it was counted.
    struct Missed {
        std::string word;
        std::size_t misses = 0, count = 0;
    };
    /// The `k` words with the most misses (most first), from the add() calls that named words.
    std::vector<Missed> most_missed(std::size_t k) const;

    /// Share of target words whose attention's arg-max is a gold-linked source word.
    double accuracy() const { return ratio(all_.hits, all_.words); }
    /// The same, allowing the arg-max to be one position away from a gold-linked word.
    double accuracy_within_one() const { return ratio(all_.near, all_.words); }
    /// The accuracy of an arg-max drawn uniformly at random over the source words (the
    /// expected share of gold-linked positions): what attention has to beat.
    double chance() const { return all_.words ? all_.chance / double(all_.words) : 0.0; }
    /// The accuracy of a guess from position alone: French word j of T reads English word
    /// ⌊(j + ½) S / T⌋ of S, the diagonal. A sterner baseline than chance for a language pair
    /// whose word order is mostly the same: attention has to beat it to show it read the words.
    double diagonal() const { return ratio(all_.diagonal, all_.words); }
    /// (bucket name, accuracy) for buckets with at least one word, in bucket order.
    std::vector<std::pair<std::string, double>> by_bucket() const;
    /// (bucket name, chance()) likewise: longer sentences are harder to hit at random.
    std::vector<std::pair<std::string, double>> chance_by_bucket() const;
    std::size_t words() const { return all_.words; }

    /// {"alignment_accuracy": ..., "alignment_accuracy_within_one": ...,
    ///  "alignment_accuracy_by_length": {"3-10": ..., ...}, "alignment_chance": ...,
    ///  "alignment_chance_by_length": {...}, "alignment_diagonal": ...}
    nlohmann::json to_json() const;

  private:
    struct Tally {
        std::size_t words = 0, hits = 0, near = 0, diagonal = 0;
        double chance = 0.0;  // sum over words of (gold-linked positions) / (source positions)
    };
    static double ratio(std::size_t a, std::size_t b) { return b ? double(a) / double(b) : 0.0; }
    void add_words(std::size_t source_length, std::size_t target_length, const Array& attention,
                   const std::vector<std::pair<std::size_t, std::size_t>>& links,
                   const std::vector<std::string>* target);
    LengthBuckets buckets_;
    Tally all_;
    std::vector<Tally> by_bucket_;
    std::map<std::string, Missed> by_word_;
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const AlignmentScores& scores);

}  // namespace dikkat::eval
