// Lesson 1's implementation exercise. Write it in my_rnn_step.cpp, then
//     ./build/lessons/01_rnn_cell_check            compares it with nn::RNNCell
//     ./build/lessons/01_rnn_cell --use-my-code    trains the language model with it
#pragma once

#include <dikkat/autograd.hpp>

namespace exercises {

/// Exercise 1.1: one step of the RNN cell, h' = tanh(x W_x + h W_h + b), built from ops.
/// x (B, I), h (B, H), W_x (I, H), W_h (H, H), b (H) -> h' (B, H).
dikkat::Tensor my_rnn_step(const dikkat::Tensor& x, const dikkat::Tensor& h, const dikkat::Tensor& W_x,
                           const dikkat::Tensor& W_h, const dikkat::Tensor& b);

}  // namespace exercises
