// Checks lesson 5's exercise against the library: run ./build/lessons/05_gpt_vs_bert_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/nn/transformer.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    // The mask is checked where it works: inside attention, values and gradients. A wrong entry
    // shows as a query reading a word it must not (or missing one it may).
    auto attend = [](bool mine) {
        return [mine](const std::vector<Tensor>& x) {
            const std::size_t T = x[0].shape()[2];
            const Array keep = mine ? exercises::my_causal_mask(T) : causal_mask(T);
            if (keep.dimension() != 2 || keep.shape()[0] != T || keep.shape()[1] != T)
                throw ShapeError("my_causal_mask(" + std::to_string(T) + ") is " + shape_str(keep.shape()) +
                                 "; expected (" + std::to_string(T) + ", " + std::to_string(T) + ")");
            return nn::scaled_dot_product_attention(x[0], x[1], x[2], keep).output;
        };
    };
    const std::string where = "lessons/05_gpt_vs_bert/README.md, §7 Exercises";
    return run_exercise_checks(
        {{"Exercise 5.1",
          "the causal mask, 1 word",
          where,
          "a single word reads only itself: [[1]]",
          attend(true),
          attend(false),
          {{1, 1, 1, 4}, {1, 1, 1, 4}, {1, 1, 1, 4}}},
         {"Exercise 5.1",
          "the causal mask, 5 words",
          where,
          "keep(i, j) = 1 for j <= i (the diagonal too), 0 above it",
          attend(true),
          attend(false),
          {{2, 2, 5, 4}, {2, 2, 5, 4}, {2, 2, 5, 4}}}},
        std::cout);
}
