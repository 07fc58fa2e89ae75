// Ops that move values around without arithmetic: reshape, transpose/permute, slice/select,
// concat and stack. Their backward moves the gradient back to where each value came from.
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat {

/// The same values in a new shape; one size may be -1 (inferred). Backward reshapes back.
Tensor reshape(const Tensor& x, const std::vector<std::ptrdiff_t>& shape);
/// Reorders the axes: y.shape[i] = x.shape[perm[i]]. Backward applies the inverse permutation.
Tensor permute(const Tensor& x, const std::vector<std::size_t>& perm);
/// reshape(permute(reshape(x, view), perm), shape) as one op and one copy: x read as `view` (the
/// same number of elements), its axes reordered, the result given `shape` (by default the
/// reordered view's). Splitting and merging attention heads are this (nn/transformer.hpp).
/// Throws ShapeError naming the shapes when the counts differ or perm is not a permutation.
Tensor permute(const Tensor& x, const Shape& view, const std::vector<std::size_t>& perm,
               const Shape& shape = {});
/// Swaps two axes (negative axes count from the end).
Tensor transpose(const Tensor& x, std::ptrdiff_t axis0 = -2, std::ptrdiff_t axis1 = -1);
/// Elements [start, stop) along `axis`; the axis stays (with size stop - start).
/// Backward adds the gradient into that range of a zero gradient.
Tensor slice(const Tensor& x, std::ptrdiff_t axis, std::size_t start, std::size_t stop);
/// Element `index` along `axis`; the axis is removed (x[:, t] for axis 1).
Tensor select(const Tensor& x, std::ptrdiff_t axis, std::size_t index);
/// Joins tensors along an existing axis; all other sizes must match.
Tensor concat(const std::vector<Tensor>& xs, std::ptrdiff_t axis);
/// Joins equally shaped tensors along a new axis (stack of T tensors (B, H) on axis 1: (B, T, H)).
Tensor stack(const std::vector<Tensor>& xs, std::ptrdiff_t axis);

}  // namespace dikkat
