// Translation pairs as ids, for an encoder-decoder: one vocabulary per language, built from
// the training pairs only, and every pair encoded with them.
//
//   auto train = data::ParallelCorpus::build(data::read_translation(data::find_dataset("translation/train.tsv")));
//   auto valid = train.encode(data::read_translation(data::find_dataset("translation/valid.tsv")));
//
//   source  "the cat sleeps ."   ->        the cat sleeps .  <eos>     what the encoder reads
//   target  "le chat dort ."     ->  <bos> le  chat dort  .  <eos>     what the decoder writes
//
// The source ends in <eos> and has no <bos>: the encoder's last step sees "the sentence is
// over", and source word i stays at position i, so a Pharaoh link i-j points at column i of
// an attention map. The decoder is fed target[0 .. n-2] (<bos> le chat dort .) and trained
// to predict target[1 .. n-1] (le chat dort . <eos>): the word it predicts at step j is
// target word j, so link i-j is row j, column i of the attention map (and <eos> gets the
// source's <eos>).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/vocab.hpp>

namespace dikkat::data {

/// Source and target vocabularies and the pairs encoded with them.
struct ParallelCorpus {
    Vocab source_vocab;                      ///< English words, most frequent first
    Vocab target_vocab;                      ///< French words, most frequent first
    std::vector<std::vector<Index>> source;  ///< per pair: source word ids, then eos_id
    std::vector<std::vector<Index>> target;  ///< per pair: bos_id, target word ids, eos_id

    /// Builds both vocabularies from `train` (Vocab::from_counts over count_tokens: words
    /// seen fewer than `min_count` times become `<unk>`) and encodes `train` with them.
    static ParallelCorpus build(const std::vector<TranslationPair>& train, std::size_t min_count = 1);

    /// `pairs` encoded with this corpus's vocabularies (unknown words become unk_id), e.g.
    /// the validation or test split. The vocabularies are copied into the result.
    ParallelCorpus encode(const std::vector<TranslationPair>& pairs) const;

    /// One source sentence: its word ids, then eos_id.
    std::vector<Index> encode_source(const std::vector<std::string>& words) const;
    /// One target sentence: bos_id, its word ids, eos_id.
    std::vector<Index> encode_target(const std::vector<std::string>& words) const;

    /// How many pairs.
    std::size_t size() const { return source.size(); }
    /// Each pair's length in ids, source and target together: the lengths to bucket batches
    /// by (Batcher::bucketed). Bucketing by the sum keeps both sides' padding near 6% on
    /// the translation corpus in batches of 64; by the source length alone the source pads
    /// 1.5% but the target 11% (random batches: 45% on each side).
    std::vector<std::size_t> pair_lengths() const;
};

}  // namespace dikkat::data
