// Checks lesson 1's exercise against the library: run ./build/lessons/01_rnn_cell_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/nn/rnn.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    const std::size_t B = 3, I = 4, H = 5;
    return run_exercise_checks(
        {{"Exercise 1.1",
          "one step of the RNN cell",
          "lessons/01_rnn_cell/README.md, §5 Exercises",
          "h' = tanh(matmul(x, W_x) + matmul(h, W_h) + b); check the order of each matmul's arguments",
          [](const std::vector<Tensor>& x) { return exercises::my_rnn_step(x[0], x[1], x[2], x[3], x[4]); },
          [](const std::vector<Tensor>& x) { return nn::rnn_step(x[0], x[1], x[2], x[3], x[4]); },
          {{B, I}, {B, H}, {I, H}, {H, H}, {H}}}},
        std::cout);
}
