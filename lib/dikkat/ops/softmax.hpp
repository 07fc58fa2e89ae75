// Softmax and friends: turning scores into probabilities. (Hiding positions from them first —
// causal and padding masks — is in mask.hpp.)
#pragma once

#include <dikkat/autograd.hpp>

namespace dikkat {

/// \f$ y_i = e^{x_i - m} / \sum_j e^{x_j - m} \f$ along `axis` (m = the lane's max, for
/// stability). Backward: \f$ \bar x = y \odot (\bar y - \sum_j \bar y_j y_j) \f$.
Tensor softmax(const Tensor& x, std::ptrdiff_t axis = -1);
/// Attention's softmax: over the last axis of \f$ c\,x \f$ with the positions where `keep`
/// is 0 hidden, \f$ y = \mathrm{softmax}(\mathrm{fill\_hidden}(c\,x, \mathrm{keep}, -10^9)) \f$
/// — the same floats as those three ops (mask.hpp), in one pass and one node instead of three.
/// keep broadcasts to x (a causal (T, S), a padding (B, 1, 1, S)) or is `{}` (nothing hidden).
/// A hidden position gets weight exactly 0 and gradient exactly 0; a row with every position
/// hidden gets uniform weights. Backward:
/// \f$ \bar x = c\, y \odot (\bar y - \sum_j \bar y_j y_j) \f$ (0 where hidden).
/// Throws ShapeError naming both shapes unless keep broadcasts to x without enlarging it.
Tensor masked_softmax(const Tensor& x, const Array& keep, float scale = 1.0f);
/// \f$ y_i = x_i - m - \log \sum_j e^{x_j - m} \f$ along `axis`.
/// Backward: \f$ \bar x = \bar y - \mathrm{softmax}(x) \sum_j \bar y_j \f$.
Tensor log_softmax(const Tensor& x, std::ptrdiff_t axis = -1);

}  // namespace dikkat
