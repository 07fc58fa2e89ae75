// Masks: which positions a computation may look at.
//
// One convention, everywhere in Dikkat: a mask holds 1 where a position is KEPT (a real
// token, a key the query may see) and 0 where it is HIDDEN (padding, a future token). Every
// parameter or field holding a mask is called `keep`: data::Batch::keep, fill_hidden(x, keep, v).
// The helpers below make only 0s and 1s; fill_hidden reads any non-zero as kept, while nn::unroll,
// which blends states with the mask, refuses anything but 0 and 1.
// (PyTorch's masked_fill takes the opposite, the hidden positions: x.masked_fill(keep == 0, v).)
//
//     causal_mask(4)   (Tq, Tk)          padding_mask({3, 1}, 4)   (B, T)
//       1 0 0 0     query i sees           1 1 1 0     1 at positions < length
//       1 1 0 0     keys j <= i            1 0 0 0
//       1 1 1 0
//       1 1 1 1
//
// Attention hides a key by filling its score with a large negative number before softmax:
// its weight becomes exactly 0, and neither the score nor that key's k and v receive any
// gradient through it. (-1e9 rather than -inf: a row whose keys are all hidden then gets
// uniform weights instead of 0/0 = NaN.)
//
//     Tensor weights = softmax(fill_hidden(scores, keep, -1e9f));  // scores (B, Tq, Tk)
//
// The mask broadcasts against the scores as NumPy does, from the right. A causal mask (T, T)
// fits scores (B, T, T) and (B, H, T, T) as it is. A padding mask (B, Tk) over the keys needs
// a size-1 axis for the queries (and one for the heads) so that B lines up with B:
//
//     Array keep = padding_mask(lengths, Tk);  // (B, Tk)
//     keep.reshape({B, 1, Tk});                // over scores (B, Tq, Tk)
//     keep.reshape({B, 1, 1, Tk});             // over scores (B, H, Tq, Tk)
//
// Both at once (a padded batch in a decoder): keep where both keep, the product —
// `Array both = causal_mask(T) * keep;` with keep (B, 1, T) gives (B, T, T).
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat {

/// \f$ y_i = x_i \f$ where \f$ \mathrm{keep}_i \ne 0 \f$, \f$ y_i = \mathrm{value} \f$ where
/// \f$ \mathrm{keep}_i = 0 \f$. `keep` broadcasts to x's shape (it must not make it larger).
/// Backward: \f$ \bar x_i = \bar y_i \f$ where kept, exactly 0 where hidden.
/// Throws ShapeError naming both shapes when keep does not fit x.
/// (PyTorch: `x.masked_fill(keep == 0, value)`.)
Tensor fill_hidden(const Tensor& x, const Array& keep, float value);

/// (T, T): 1 where key j <= query i (the lower triangle with its diagonal), 0 above — each
/// position sees itself and the past, never the future.
Array causal_mask(std::size_t T);

/// Whether a keep mask was given at all. Functions that take an optional mask default it to
/// `{}`, a default-constructed Array, which xtensor makes 0-D (one element): "nothing hidden".
inline bool has_keep(const Array& keep) { return keep.dimension() != 0; }

/// (B, T) with B = lengths.size(): row b is 1 at positions t < lengths[b], 0 after (padding).
/// Throws ValueError if a length exceeds T.
Array padding_mask(const std::vector<std::size_t>& lengths, std::size_t T);

}  // namespace dikkat
