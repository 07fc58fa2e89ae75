// Drawing the next token from a model's scores, with a temperature:
//
//     p_i = softmax(z / τ)_i
//
// τ = 1 samples from the model's own distribution; τ < 1 sharpens it toward the likeliest
// tokens (safer, more repetitive text); τ > 1 flattens it (more surprising, more mistakes);
// τ → 0 is greedy decoding (always the arg-max).
#pragma once

#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

/// One token id drawn from scores `logits` (V) at temperature `temperature` (> 0; 0 means
/// arg-max). Throws ValueError for a negative temperature or an empty row.
Index sample_token(const float* logits, std::size_t V, float temperature, Rng& rng);

}  // namespace dikkat::nn
