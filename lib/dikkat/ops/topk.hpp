// Picking positions by value: argmax and top-k.
//
// These are not differentiable ops: they answer "which?" with indices (greedy decoding, the
// k likeliest next tokens, accuracy), so they take and return plain arrays and build no
// graph. (To differentiate through a maximum, use max() in reduce.hpp.)
//
//     x = [0.1, 2.0, -1.0, 2.0]      argmax(x) = 1
//     topk(x, 3)  values  [2.0, 2.0, 0.1]
//                 indices [1,   3,   0  ]      sorted descending; a tie goes to the lower index
//
// NaN ranks above every number, as in PyTorch, so a NaN in the scores shows up instead of
// hiding.
#pragma once

#include <cstddef>

#include <dikkat/tensor.hpp>

namespace dikkat {

/// The position of the largest element along `axis` (negative counts from the end); the axis
/// is removed: x (B, T, V), axis -1 -> (B, T). The first position wins a tie.
/// Throws ShapeError for an axis out of range or of size 0.
IndexArray argmax(const Array& x, std::ptrdiff_t axis = -1);

/// The k largest elements along `axis` and where they are.
struct TopK {
    Array values;        ///< x's shape with the axis of size k, largest first
    IndexArray indices;  ///< the same shape: positions along the axis
};

/// The k largest elements along `axis`, sorted descending (a tie: the lower index first).
/// Throws ShapeError for an axis out of range, ValueError if k exceeds the axis' size.
TopK topk(const Array& x, std::size_t k, std::ptrdiff_t axis = -1);

}  // namespace dikkat
