// Lesson 5's implementation exercise. Write it in my_causal_mask.cpp, then
//     ./build/lessons/05_gpt_vs_bert_check            compares it with causal_mask, inside attention
//     ./build/lessons/05_gpt_vs_bert --use-my-code    trains GPT with it
#pragma once

#include <cstddef>

#include <dikkat/tensor.hpp>

namespace exercises {

/// Exercise 5.1: GPT's causal mask, (T, T): 1 where query i may read key j (j <= i), 0 where
/// it may not (j > i, the future).
dikkat::Array my_causal_mask(std::size_t T);

}  // namespace exercises
