// Ops that neural-network layers are made of: embedding lookup, layer normalisation, dropout,
// the additive attention score.
#pragma once

#include <cstdint>

#include <dikkat/autograd.hpp>
#include <dikkat/random.hpp>

namespace dikkat {

/// Row lookup: weight is (V, D), ids any shape S; y has shape S + (D).
/// \f$ y_{s} = W_{\mathrm{ids}_s} \f$. Backward scatter-adds: \f$ \bar W_{v} = \sum_{s:\,\mathrm{ids}_s = v} \bar y_s \f$.
/// Throws ValueError naming the first id outside [0, V).
Tensor embedding(const Tensor& weight, const IndexArray& ids);

/// Normalises the last axis to mean 0 and variance 1, then scales and shifts:
/// \f$ \hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon} \f$, \f$ y = \gamma \odot \hat x + \beta \f$.
/// gamma and beta have shape (D) for x of shape (..., D). Backward (per row, n = D):
/// \f$ \bar x = \frac{1}{\sqrt{\sigma^2+\epsilon}} \big(g - \mathrm{mean}(g) - \hat x\,\mathrm{mean}(g \odot \hat x)\big) \f$
/// with \f$ g = \bar y \odot \gamma \f$.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps = 1e-5f);

/// Inverted dropout: in training, each element is zeroed with probability p and the rest are
/// scaled by 1/(1-p), so the expected value is unchanged; in evaluation it returns x.
/// The mask is drawn from `rng` (same seed, same mask); backward multiplies by the same mask.
/// Throws ValueError unless 0 <= p < 1 (in evaluation too).
Tensor dropout(const Tensor& x, float p, Rng& rng, bool training = true);

/// The additive (Bahdanau) attention score: \f$ e_{bj} = v^\top \tanh(q_b + k_{bj}) \f$.
/// q (B, A) is the projected query \f$ s W_q \f$, k (B, S, A) the projected keys
/// \f$ h W_k + b \f$, v (A) the scoring vector; the result e is (B, S).
/// Backward, with \f$ t_{bj} = \tanh(q_b + k_{bj}) \f$ kept from the forward pass and
/// \f$ g_{bj} = \bar e_{bj}\, v \odot (1 - t_{bj}^2) \f$:
/// \f$ \bar k_{bj} = g_{bj} \f$, \f$ \bar q_b = \sum_j g_{bj} \f$, \f$ \bar v = \sum_{bj} \bar e_{bj}\, t_{bj} \f$.
///
/// It equals `reshape(matmul(tanh(k + reshape(q, {B, 1, A})), reshape(v, {A, 1})), {B, S})`,
/// values and gradients (lesson 3's exercise writes it so). As one op it runs at every decoder
/// step in one pass over the (B, S, A) sums instead of four, and keeps one (B, S, A) tensor
/// for backward instead of two.
/// Throws ShapeError naming all three shapes when they do not fit.
Tensor additive_scores(const Tensor& q, const Tensor& k, const Tensor& v);

}  // namespace dikkat
