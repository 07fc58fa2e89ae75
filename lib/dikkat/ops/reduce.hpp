// Reductions: sum, mean and max over all elements or chosen axes.
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat {

/// \f$ y = \sum_i x_i \f$ over every element (a scalar); \f$ \bar x_i = \bar y \f$.
Tensor sum(const Tensor& x);
/// Sum over `axes` (negative counts from the end); with keepdims the axes stay with size 1.
/// Backward broadcasts \f$ \bar y \f$ back over the summed axes.
Tensor sum(const Tensor& x, const std::vector<std::ptrdiff_t>& axes, bool keepdims = false);
/// \f$ y = \frac1n \sum_i x_i \f$; \f$ \bar x_i = \bar y / n \f$.
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, const std::vector<std::ptrdiff_t>& axes, bool keepdims = false);
/// The largest element (a scalar). The gradient goes to the first position of the maximum.
Tensor max(const Tensor& x);
/// Largest element along one axis; gradient to the first arg-max of each lane (the position
/// argmax() in topk.hpp picks, so a NaN counts as the largest).
Tensor max(const Tensor& x, std::ptrdiff_t axis, bool keepdims = false);

}  // namespace dikkat
