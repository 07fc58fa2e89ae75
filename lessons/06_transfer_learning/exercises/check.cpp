// Checks lesson 6's exercise against the library: run ./build/lessons/06_transfer_learning_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/lm/lstm_lm.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    // Two reviews of 5 and 2 words in a batch padded to 5; then one review with no padding.
    const Array padded{{1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}}, full{{1, 1, 1}};
    auto mine = [](const Array& keep) {
        return [keep](const std::vector<Tensor>& x) { return exercises::my_concat_pool(x[0], keep); };
    };
    auto library = [](const Array& keep) {
        return [keep](const std::vector<Tensor>& x) { return lm::concat_pool(x[0], keep); };
    };
    const std::string where = "lessons/06_transfer_learning/README.md, §8 Exercises";
    return run_exercise_checks(
        {{"Exercise 6.1",
          "concat pooling, one review without padding",
          where,
          "[features at the last position, max over time, mean over time], concatenated along axis 1",
          mine(full),
          library(full),
          {{1, 3, 4}}},
         {"Exercise 6.1",
          "concat pooling, a padded batch",
          where,
          "the last REAL position of each row; padding must not reach the max (fill_hidden) nor the mean",
          mine(padded),
          library(padded),
          {{2, 5, 4}}}},
        std::cout);
}
