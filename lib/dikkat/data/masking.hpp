// BERT's masked-language-model input (Devlin et al., 2019): hide some of the words and ask the
// model to say what they were, from the words on both sides.
//
//   ids       the  film  was  superb  .
//   chosen          *          *               each real position is chosen with probability 0.15;
//   inputs    the <mask> was  superb  .        a chosen word becomes <mask> 80% of the time,
//   targets   ·    film   ·   superb  ·        a random word 10%, and stays as it is 10%
//
// The targets hold the original word at the chosen positions and ignore_index (-100, the one
// cross_entropy skips) everywhere else, so the loss is over the chosen positions only. Why not
// always <mask>? The model never sees <mask> after pretraining; the random and kept words make it
// build a representation of every position, not only of the masked ones.
//
// Special tokens (<pad>, <bos>, <eos>, <unk>, <mask>) are never chosen, and a random word is
// never one of them.
#pragma once

#include <cstddef>

#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/random.hpp>

namespace dikkat::data {

struct MaskingOptions {
    float rate = 0.15f;         ///< chance that a position is chosen
    float to_mask = 0.8f;       ///< of the chosen: replaced by `<mask>`
    float to_random = 0.1f;     ///< of the chosen: replaced by a random word; the rest stay as they are
    Index ignore_index = -100;  ///< the target at positions that are not chosen
};

struct Masked {
    IndexArray inputs;   ///< what the model reads, same shape as the ids
    IndexArray targets;  ///< the original id where chosen, ignore_index elsewhere
};

/// Masks `ids` (any shape, usually (B, T)) for a vocabulary of `vocab_size` ids. Draws, for each
/// position in row-major order, one uniform number (chosen?) and, if chosen, one more (how) and
/// for a random word one more: the same `rng` state gives the same result.
///
/// Throws ValueError naming the option when a rate is outside [0, 1] or to_mask + to_random > 1,
/// when vocab_size leaves no ordinary word to draw, and naming the position of an id outside
/// [0, vocab_size).
Masked mask_tokens(const IndexArray& ids, std::size_t vocab_size, Rng& rng,
                   const MaskingOptions& options = {});

}  // namespace dikkat::data
