// Exercise 1.1 — reference solution.
#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

Tensor exercises::my_rnn_step(const Tensor& x, const Tensor& h, const Tensor& W_x, const Tensor& W_h,
                              const Tensor& b) {
    return tanh(matmul(x, W_x) + matmul(h, W_h) + b);  // (B, I)@(I, H) + (B, H)@(H, H) + (H) -> (B, H)
}
