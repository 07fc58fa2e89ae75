// Softmax and friends: turning scores into probabilities. (Hiding positions from them first —
// causal and padding masks — is in mask.hpp.)
#pragma once

#include <dikkat/autograd.hpp>

namespace dikkat {

/// \f$ y_i = e^{x_i - m} / \sum_j e^{x_j - m} \f$ along `axis` (m = the lane's max, for
/// stability). Backward: \f$ \bar x = y \odot (\bar y - \sum_j \bar y_j y_j) \f$.
Tensor softmax(const Tensor& x, std::ptrdiff_t axis = -1);
/// \f$ y_i = x_i - m - \log \sum_j e^{x_j - m} \f$ along `axis`.
/// Backward: \f$ \bar x = \bar y - \mathrm{softmax}(x) \sum_j \bar y_j \f$.
Tensor log_softmax(const Tensor& x, std::ptrdiff_t axis = -1);

}  // namespace dikkat
