// Checks lesson 3's exercise against the library: run ./build/lessons/03_bahdanau_attention_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/nn/attention.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    const std::size_t B = 2, S = 4, A = 3;
    return run_exercise_checks(
        {{"Exercise 3.1",
          "the additive score",
          "lessons/03_bahdanau_attention/README.md, §5 Exercises",
          "e = v · tanh(q + k): reshape q to (B, 1, A) so it adds to every position, then a matmul with v "
          "as (A, 1) and a reshape to (B, S)",
          [](const std::vector<Tensor>& x) { return exercises::my_additive_scores(x[0], x[1], x[2]); },
          [](const std::vector<Tensor>& x) { return additive_scores(x[0], x[1], x[2]); },
          {{B, A}, {B, S, A}, {A}}}},
        std::cout);
}
