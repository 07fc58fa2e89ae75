// Lesson 6's implementation exercise. Write it in my_concat_pool.cpp, then
//     ./build/lessons/06_transfer_learning_check            compares it with lm::concat_pool
//     ./build/lessons/06_transfer_learning --use-my-code    every classifier pools with it
#pragma once

#include <dikkat/autograd.hpp>

namespace exercises {

/// Exercise 6.1: ULMFiT's concat pooling, the classification head's first half: features (B, T, E)
/// and keep (B, T) (1 at each review's words, which come first; 0 at padding) -> (B, 3E), each row
/// [the last real position's features, the maximum over the real positions, their mean].
dikkat::Tensor my_concat_pool(const dikkat::Tensor& features, const dikkat::Array& keep);

}  // namespace exercises
