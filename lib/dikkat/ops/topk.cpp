#include <dikkat/ops/topk.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <dikkat/error.hpp>
#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/lanes.hpp>

namespace dikkat {

namespace {
// Element i (value a) ranks above element j (value b): NaN first, then larger, then lower index.
bool ranks_above(float a, std::size_t i, float b, std::size_t j) {
    const bool a_nan = std::isnan(a), b_nan = std::isnan(b);
    if (a_nan != b_nan) return a_nan;
    if (!a_nan && a != b) return a > b;
    return i < j;
}
}  // namespace

IndexArray argmax(const Array& x, std::ptrdiff_t axis_) {
    const std::size_t axis = normalize_axis("argmax", axis_, x.dimension());
    if (x.shape()[axis] == 0)
        throw ShapeError("argmax: axis " + std::to_string(axis) + " of " + shape_str(x.shape()) +
                         " is empty; there is no largest element");
    const Lanes L = lanes_of(x.shape(), axis);
    Shape out_shape = x.shape();
    out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(axis));
    IndexArray out = IndexArray::from_shape(out_shape);
    const float* px = x.data();
    for (std::size_t l = 0; l < L.count(); ++l) {
        const float* lane = px + L.start(l);
        std::size_t best = 0;
        for (std::size_t i = 1; i < L.n; ++i)
            if (ranks_above(lane[i * L.inner], i, lane[best * L.inner], best)) best = i;
        out.data()[l] = static_cast<Index>(best);
    }
    return out;
}

TopK topk(const Array& x, std::size_t k, std::ptrdiff_t axis_) {
    const std::size_t axis = normalize_axis("topk", axis_, x.dimension());
    const Lanes L = lanes_of(x.shape(), axis);
    if (k > L.n)
        throw ValueError("topk: k = " + std::to_string(k) + " is more than the " + std::to_string(L.n) +
                         " elements along axis " + std::to_string(axis) + " of " + shape_str(x.shape()));
    Shape out_shape = x.shape();
    out_shape[axis] = k;
    TopK r{Array::from_shape(out_shape), IndexArray::from_shape(out_shape)};
    if (x.size() == 0) return r;  // no lane to read (and no pointer arithmetic on an empty array's null data)
    const Lanes out = lanes_of(out_shape, axis);
    std::vector<std::size_t> order(L.n);
    for (std::size_t l = 0; l < L.count(); ++l) {
        const float* lane = x.data() + L.start(l);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                          [&](std::size_t i, std::size_t j) {
                              return ranks_above(lane[i * L.inner], i, lane[j * L.inner], j);
                          });
        for (std::size_t i = 0; i < k; ++i) {
            const std::size_t at = out.start(l) + i * out.inner;
            r.values.data()[at] = lane[order[i] * L.inner];
            r.indices.data()[at] = static_cast<Index>(order[i]);
        }
    }
    return r;
}

}  // namespace dikkat
