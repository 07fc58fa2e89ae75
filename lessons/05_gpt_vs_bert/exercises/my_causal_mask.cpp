// Exercise 5.1 — the causal mask: what makes a transformer layer GPT's.
//
//     keep(i, j) = 1   if j <= i     query i may read key j: itself and the words before it
//                  0   if j > i      a word after it, which GPT must predict, never read
//
//     T = 4:   1 0 0 0
//              1 1 0 0
//              1 1 1 0
//              1 1 1 1
//
// Make a (T, T) Array of zeros (xt::zeros<float>({T, T})) and set the kept entries to 1. The
// attention fills every 0 with -1e9 before its softmax, so a hidden key gets weight exactly 0.
// Check: ./build/lessons/05_gpt_vs_bert_check   Train with it: ./build/lessons/05_gpt_vs_bert --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Array exercises::my_causal_mask(std::size_t T) {
    (void)T;
    throw NotImplemented(
        "Exercise 5.1: write the causal mask in lessons/05_gpt_vs_bert/exercises/my_causal_mask.cpp "
        "(chapter §7)");
}
