// Exercise 6.1 — reference solution.
#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

Tensor exercises::my_concat_pool(const Tensor& features, const Array& keep) {
    const std::size_t B = keep.shape()[0], T = keep.shape()[1], E = features.shape()[2];
    IndexArray last_rows(IndexArray::shape_type{B});
    Array inv_length(Shape{B, 1});
    for (std::size_t b = 0; b < B; ++b) {
        std::size_t length = 0;
        while (length < T && keep(b, length) != 0.0f) ++length;
        last_rows(b) = static_cast<Index>(b * T + length - 1);
        inv_length(b, 0) = 1.0f / float(length);
    }
    Array keep3 = keep;
    keep3.reshape({B, T, std::size_t{1}});
    const Tensor last = embedding(reshape(features, {-1, static_cast<std::ptrdiff_t>(E)}), last_rows);
    const Tensor highest = max(fill_hidden(features, keep3, -1e9f), 1);
    const Tensor mean = sum(features * Tensor(keep3), {1}) * Tensor(inv_length);
    return concat({last, highest, mean}, 1);
}
