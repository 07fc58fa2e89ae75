// Drawing the next token from a model's scores, with a temperature:
//
//     p_i = softmax(z / τ)_i
//
// τ = 1 samples from the model's own distribution; τ < 1 sharpens it toward the likeliest
// tokens (safer, more repetitive text); τ > 1 flattens it (more surprising, more mistakes);
// τ → 0 is greedy decoding (always the arg-max).
#pragma once

#include <dikkat/random.hpp>
#include <dikkat/tensor.hpp>

namespace dikkat::nn {

/// One token id drawn from one row of scores `logits` (V) at temperature `temperature`
/// (> 0; 0 means arg-max, see argmax() in ops/topk.hpp). For a batch, select the row first:
/// `sample_token(Array(xt::view(z, b)), τ, rng)` or a (1, V) reshaped to (V).
/// Throws ShapeError if logits is not 1-D, ValueError for a negative temperature, an empty
/// row, or a largest score that is NaN or infinite.
///
/// With `top_k` > 0, only the k highest scores can be drawn (Fan et al., 2018): the long tail of
/// unlikely words, each rare but many together, is cut off. Scores tied with the k-th stay in.
Index sample_token(const Array& logits, float temperature, Rng& rng, std::size_t top_k = 0);

}  // namespace dikkat::nn
