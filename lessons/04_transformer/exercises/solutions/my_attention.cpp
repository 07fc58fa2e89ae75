// Exercise 4.1 — reference solution.
#include <cmath>

#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

nn::AttentionResult exercises::my_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                            const Array& keep, bool scaled) {
    Tensor scores = matmul(q, k, /*transpose_b=*/true);  // (..., T, S)
    if (scaled) scores = scores * (1.0f / std::sqrt(static_cast<float>(q.shape().back())));
    if (has_keep(keep)) scores = fill_hidden(scores, keep, -1e9f);
    Tensor weights = softmax(scores, -1);
    return {matmul(weights, v), weights};  // (..., T, dv)
}
