// Lesson 1's implementation exercise. Write it in my_rnn_step.cpp, then
//     ./build/lessons/01_rnn_cell_check            compares it with nn::RNNCell
//     ./build/lessons/01_rnn_cell --use-my-code    trains the language model with it
#pragma once

#include <dikkat/autograd.hpp>
#include <dikkat/nn/rnn.hpp>

namespace exercises {

/// Exercise 1.1: one step of the RNN cell, h' = tanh(x W_x + h W_h + b), built from ops.
/// x (B, I), h (B, H), W_x (I, H), W_h (H, H), b (H) -> h' (B, H).
dikkat::Tensor my_rnn_step(const dikkat::Tensor& x, const dikkat::Tensor& h, const dikkat::Tensor& W_x,
                           const dikkat::Tensor& W_h, const dikkat::Tensor& b);

/// nn::RNNCell with your step: the same parameters, initialised the same way, stepped by
/// my_rnn_step. `--use-my-code` builds the model with this cell; the model does not know.
class MyRNNCell : public dikkat::nn::RNNCell {
  public:
    using RNNCell::RNNCell;
    dikkat::nn::CellState forward(const dikkat::Tensor& x,
                                  const dikkat::nn::CellState& state) const override {
        check_step(x, state);
        return {my_rnn_step(x, state.h, weight_x, weight_h, bias), dikkat::Tensor()};
    }
    std::string describe() const override { return RNNCell::describe() + " with your my_rnn_step"; }
};

}  // namespace exercises
