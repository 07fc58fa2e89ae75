// A tensor seen around one axis as (outer, n, inner): `outer * inner` lanes of n elements,
// the elements of a lane `inner` apart. Softmax, max and layer_norm work lane by lane.
#pragma once

#include <dikkat/tensor.hpp>

namespace dikkat {

struct Lanes {
    std::size_t outer = 1, n = 1, inner = 1;
    std::size_t count() const { return outer * inner; }
    /// Offset of element 0 of lane l.
    std::size_t start(std::size_t l) const { return (l / inner) * n * inner + l % inner; }
};

inline Lanes lanes_of(const Shape& s, std::size_t axis) {
    Lanes r;
    for (std::size_t i = 0; i < axis; ++i) r.outer *= s[i];
    r.n = s[axis];
    for (std::size_t i = axis + 1; i < s.size(); ++i) r.inner *= s[i];
    return r;
}

}  // namespace dikkat
