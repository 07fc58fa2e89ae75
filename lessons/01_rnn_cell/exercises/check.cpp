// Checks lesson 1's exercise against the library: run ./build/lessons/01_rnn_cell_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/nn/rnn.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    const std::size_t B = 3, I = 4, H = 5;
    // The reference is the library's cell, with its parameters set to the check's inputs.
    auto reference = [&](const std::vector<Tensor>& x) {
        Rng rng(0);
        nn::RNNCell cell(I, H, rng);
        cell.weight_x = x[2];
        cell.weight_h = x[3];
        cell.bias = x[4];
        return cell.forward(x[0], {x[1], Tensor()}).h;
    };
    return run_exercise_checks(
        {{"Exercise 1.1", "one step of the RNN cell", "lessons/01_rnn_cell/README.md, §5 Exercises",
          "h' = tanh(matmul(x, W_x) + matmul(h, W_h) + b); check the order of each matmul's arguments",
          [](const std::vector<Tensor>& x) { return exercises::my_rnn_step(x[0], x[1], x[2], x[3], x[4]); },
          reference,
          {{B, I}, {B, H}, {I, H}, {H, H}, {H}}}},
        std::cout);
}
