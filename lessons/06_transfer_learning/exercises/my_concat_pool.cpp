// Exercise 6.1 — concat pooling: a review of any length as one vector for the head.
//
//     last  = features at each row's last real position      (B, E)
//     max   = the largest value of each feature over the real positions   (B, E)
//     mean  = the mean of each feature over the real positions            (B, E)
//     out   = concat({last, max, mean}, 1)                    (B, 3E)
//
// Padding must never count: fill_hidden(features, keep3, -1e9f) before max() hides it from the
// maximum (keep3 is keep reshaped to (B, T, 1)); multiply by keep3 before sum() for the mean, and
// divide by each row's length. For the last position, select the row b·T + length_b − 1 of the
// features reshaped to (B·T, E) — embedding(table, ids) picks rows of any tensor, with a gradient.
// Check: ./build/lessons/06_transfer_learning_check   Use it: ./build/lessons/06_transfer_learning --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Tensor exercises::my_concat_pool(const Tensor& features, const Array& keep) {
    (void)features, (void)keep;
    throw NotImplemented(
        "Exercise 6.1: write concat pooling in lessons/06_transfer_learning/exercises/my_concat_pool.cpp "
        "(chapter §8)");
}
