// Exercise 3.1 — reference solution.
#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

Tensor exercises::my_additive_scores(const Tensor& q, const Tensor& k, const Tensor& v) {
    const auto B = static_cast<std::ptrdiff_t>(k.size(0)), S = static_cast<std::ptrdiff_t>(k.size(1));
    Tensor t = tanh(reshape(q, {B, 1, -1}) + k);  // (B, 1, A) + (B, S, A) -> (B, S, A)
    Tensor e = matmul(t, reshape(v, {-1, 1}));    // (B, S, A) @ (A, 1) -> (B, S, 1)
    return reshape(e, {B, S});                    // (B, S)
}
