// Exercise 4.1 — scaled dot-product attention.
//
//     scores  = q k^T / sqrt(d)              q (..., T, d)  k (..., S, d)  ->  (..., T, S)
//     weights = softmax over the keys of the scores, hidden keys filled with -1e9 first
//     output  = weights v                    (..., T, S) @ (..., S, dv)    ->  (..., T, dv)
//
// Every query is scored against every key in one product: matmul(q, k, /*transpose_b=*/true)
// reads k transposed without copying it. The division by sqrt(d) keeps the scores' spread
// near 1 whatever d is (the chapter's §2). fill_hidden(scores, keep, -1e9f) gives a hidden key
// weight 0 — but only when a keep mask was given (has_keep(keep)). Return {output, weights}.
// Check: ./build/lessons/04_transformer_check   Train with it: ./build/lessons/04_transformer --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

nn::AttentionResult exercises::my_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                            const Array& keep, bool scaled) {
    (void)q, (void)k, (void)v, (void)keep, (void)scaled;
    throw NotImplemented(
        "Exercise 4.1: write scaled dot-product attention in "
        "lessons/04_transformer/exercises/my_attention.cpp "
        "(chapter §6)");
}
