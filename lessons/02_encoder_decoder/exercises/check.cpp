// Checks lesson 2's exercise against the library: run ./build/lessons/02_encoder_decoder_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    const std::size_t B = 3, H = 4, D = 5;
    return run_exercise_checks(
        {{"Exercise 2.1",
          "the context vector",
          "lessons/02_encoder_decoder/README.md, §5 Exercises",
          "c = tanh(matmul(concat({h_forward_last, h_backward_first}, 1), W) + b): join along axis 1 (the "
          "features), forward first",
          [](const std::vector<Tensor>& x) { return exercises::my_context(x[0], x[1], x[2], x[3]); },
          [](const std::vector<Tensor>& x) { return seq2seq::context_vector(x[0], x[1], x[2], x[3]); },
          {{B, H}, {B, H}, {2 * H, D}, {D}}}},
        std::cout);
}
