// A translator: a model that reads a source sentence and writes a target sentence one word at a
// time. Lessons 2, 3 and 4 build three of them (an RNN encoder-decoder, the same with
// attention, a transformer); decoding, evaluation and --translate are written once, against
// this interface.
//
//     B batch, S source length, T target length, V target vocabulary
//
// Training reads the right answer (teacher forcing): the decoder's input at step t is the
// reference word t-1, so every step's scores come out of one forward pass.
//
//     source   the european economic area is big .                 (B, S) ids, keep (B, S)
//     target_in   <bos> la  zone  économique européenne est grande .   (B, T)
//     target_out  la  zone  économique européenne est grande .  <eos>  (B, T): what to predict
//
// Decoding has no reference: it starts from <bos>, feeds each chosen word back in, and stops
// at <eos> — step() by step().
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <dikkat/io/model_config.hpp>

#include <dikkat/nn/module.hpp>

namespace dikkat::seq2seq {

/// A batch of sentence pairs, padded (pad ids; `source_keep` is 1 at real source words).
struct Batch {
    IndexArray source;      ///< (B, S)
    Array source_keep;      ///< (B, S) 1 at a real word, 0 at padding (ops/mask.hpp)
    IndexArray target_in;   ///< (B, T) `<bos>` w_1 ... w_n, padded
    IndexArray target_out;  ///< (B, T) w_1 ... w_n `<eos>`, padded with pad ids (the loss skips them)
};

/// Pads `sources` (ids without `<bos>`/`<eos>`) and `targets` (ids with `<bos>` ... `<eos>`) into a
/// Batch. Throws ValueError for an empty batch, sizes that differ, or a target shorter than 2.
Batch make_batch(const std::vector<std::vector<Index>>& sources,
                 const std::vector<std::vector<Index>>& targets);

using io::read_config_size;  // the translators' from_json read their sizes with it

/// What decoding needs from a model, and what lessons 2–4 implement.
class Translator : public nn::Module {
  public:
    /// What a decoder carries from one step to the next for B sentences (its hidden state, the
    /// encoder's outputs, a cache ...). `attention` is the step's attention (B, S) when the
    /// model has one, for plotting; empty otherwise.
    struct State {
        virtual ~State() = default;
        /// Keeps rows `rows` (in that order; a row may repeat): beam search follows its best
        /// hypotheses this way.
        virtual void select_rows(const std::vector<std::size_t>& rows) = 0;
        Array attention;
    };

    /// Teacher forcing: scores (B, T, V) for every target position. With `attention` non-null
    /// and a model that attends, it receives the weights (B, T, S).
    virtual Tensor forward(const Batch& batch, Array* attention = nullptr) const = 0;
    /// Every attention over the source of a teacher-forced pass, for the attention explorer
    /// (seq2seq/attention_export.hpp): maps[layer][head] is (B, T, S). Empty for a model without
    /// attention; by default forward()'s weights, as one layer with one head.
    virtual std::vector<std::vector<Array>> source_attention(const Batch& batch) const;
    /// Reads the source (B, S) and returns the decoder's state before the first word.
    virtual std::unique_ptr<State> start(const IndexArray& source, const Array& source_keep) const = 0;
    /// One decoding step: the previous words (B) in, scores (B, V) for the next out.
    virtual Tensor step(State& state, const IndexArray& previous) const = 0;
};

}  // namespace dikkat::seq2seq
