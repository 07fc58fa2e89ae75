// Decoding: turning a translator's word-by-word scores into a sentence.
//
//     B sentences, S source length, V target vocabulary
//
// Greedy decoding takes the likeliest word at every step and feeds it back in. It is fast and
// batched, but a word chosen early can never be taken back. Beam search keeps the K likeliest
// partial translations at every step instead, and picks the best finished one at the end:
//
//     step 1   la (-0.1)   le (-2.5)                 K = 2 beams, log-probabilities summed
//     step 2   la zone (-0.2)   la région (-2.9)     the beams are the 2 best of 2 × V ways on
//     ...
//
// A sum of log-probabilities favours short sentences (every word costs something), so finished
// hypotheses are compared by their score divided by their length^alpha (length normalisation;
// alpha = 1 is the mean log-probability per word, alpha = 0 the raw sum).
#pragma once

#include <vector>

#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

/// A decoded sentence.
struct Translation {
    /// The target words, without `<bos>` and `<eos>`.
    std::vector<Index> ids;
    /// (words + 1, S): each produced word's attention, and `<eos>`'s; empty without attention.
    Array attention;
    /// The sum of the chosen words' log-probabilities, `<eos>` included (when max_length cut the
    /// sentence off: the last word chosen, which is not in `ids`).
    double log_prob = 0.0;
    /// True when it ended with `<eos>`, false when max_length cut it off.
    bool ended = true;
};

/// Greedy decoding of B sentences at once: source (B, S) with its keep mask. Each sentence
/// stops at `<eos>` or after `max_length` words.
std::vector<Translation> greedy_decode(const Translator& model, const IndexArray& source,
                                       const Array& source_keep, std::size_t max_length);

/// Beam search with `beam` hypotheses for one sentence (source ids, no padding). Stops when
/// `beam` hypotheses have ended with `<eos>` (or after `max_length` words) and returns the one
/// with the best log_prob / (words + 1)^length_alpha. beam = 1 is greedy decoding.
Translation beam_search(const Translator& model, const std::vector<Index>& source, std::size_t beam,
                        std::size_t max_length, float length_alpha = 1.0f);

/// A sensible limit for a sentence of `source_length` words: 2 × source_length + 10.
std::size_t max_target_length(std::size_t source_length);

}  // namespace dikkat::seq2seq
