// Exercise 3.1 — the additive score.
//
//     e_bj = v · tanh(q_b + k_bj)      q (B, A)   k (B, S, A)   v (A)   ->   e (B, S)
//
// q_b is the decoder's state seen through W_q; k_bj is source word j's encoder state seen
// through W_k (computed once per sentence). Their sum asks "does word j matter now?", the
// tanh and v turn the answer into one number. Broadcast q over the S positions (reshape it to
// (B, 1, A)), add, tanh, then a product with v — a matmul with v as (A, 1), reshaped to (B, S).
// Check: ./build/lessons/03_bahdanau_attention_check   Train with it: ./build/lessons/03_bahdanau_attention --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Tensor exercises::my_additive_scores(const Tensor& q, const Tensor& k, const Tensor& v) {
    (void)q, (void)k, (void)v;
    throw NotImplemented(
        "Exercise 3.1: write the additive score e = v · tanh(q + k) in "
        "lessons/03_bahdanau_attention/exercises/my_additive_scores.cpp (chapter §5)");
}
