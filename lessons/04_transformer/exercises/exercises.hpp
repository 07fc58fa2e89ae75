// Lesson 4's implementation exercise. Write it in my_attention.cpp, then
//     ./build/lessons/04_transformer_check            compares it with nn::scaled_dot_product_attention
//     ./build/lessons/04_transformer --use-my-code    trains the transformer with it, in every head
#pragma once

#include <dikkat/autograd.hpp>
#include <dikkat/nn/transformer.hpp>

namespace exercises {

/// Exercise 4.1: scaled dot-product attention,
/// softmax(fill_hidden(q k^T / sqrt(d), keep, -1e9)) v, and the weights.
/// q (..., T, d), k (..., S, d), v (..., S, dv); keep broadcasts to (..., T, S) or is `{}` (nothing
/// hidden); `scaled` false leaves out the 1/sqrt(d).
dikkat::nn::AttentionResult my_attention(const dikkat::Tensor& q, const dikkat::Tensor& k,
                                         const dikkat::Tensor& v, const dikkat::Array& keep, bool scaled);

}  // namespace exercises
