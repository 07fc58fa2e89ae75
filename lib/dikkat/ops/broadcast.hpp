// Shape rules shared by the ops: NumPy broadcasting, and summing a gradient back to the
// shape of the input it belongs to.
#pragma once

#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat {

/// The broadcast shape of a and b (NumPy rules: align from the right; sizes must match or be
/// 1). Throws ShapeError naming `op` and both shapes otherwise.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

/// Sums `g` over the axes that broadcasting added or stretched, so the result has `shape`.
/// This is the backward of broadcasting: an input used at many positions collects the
/// gradient of all of them.
Array sum_to(const Array& g, const Shape& shape);

/// Where each row of an array of shape `to` (a run along its last axis, n long) reads an array
/// of shape `from` that broadcasts to it: row r starts at offset[r] in `from` and moves by
/// `step` per element (1, or 0 when from's last axis is 1 and repeated).
struct BroadcastRows {
    std::vector<std::size_t> offset;
    std::size_t step = 0, n = 1;
};
BroadcastRows broadcast_rows(const Shape& from, const Shape& to);

/// `a` repeated along the axes where `shape` is larger (NumPy's broadcast_to, as a new array);
/// a's shape must broadcast to `shape` (the caller has checked it with broadcast_shapes).
/// A loop of row copies and fills, not xt::broadcast's element-by-element stepping: masks of
/// (T, S) spread over (B, H, T, S) scores on every training step.
Array broadcast_to(const Array& a, const Shape& shape);

/// An axis given Python-style (negative counts from the end) as an index in [0, ndim).
/// Throws ShapeError naming `op` when out of range.
std::size_t normalize_axis(const char* op, std::ptrdiff_t axis, std::size_t ndim);

}  // namespace dikkat
