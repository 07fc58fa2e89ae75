// Exercise 1.1 — one step of the RNN cell.
//
//     h' = tanh(x W_x + h W_h + b)      x (B, I)  h (B, H)  W_x (I, H)  W_h (H, H)  b (H)
//
// Two matrix products, a broadcast bias, a tanh: matmul, +, tanh. The ops bring their own
// backward, so backpropagation through time works through your step unchanged.
// Check: ./build/lessons/01_rnn_cell_check      Train with it: ./build/lessons/01_rnn_cell --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Tensor exercises::my_rnn_step(const Tensor& x, const Tensor& h, const Tensor& W_x, const Tensor& W_h,
                              const Tensor& b) {
    (void)x, (void)h, (void)W_x, (void)W_h, (void)b;
    throw NotImplemented(
        "Exercise 1.1: write the RNN step h' = tanh(x W_x + h W_h + b) in "
        "lessons/01_rnn_cell/exercises/my_rnn_step.cpp (chapter §5)");
}
