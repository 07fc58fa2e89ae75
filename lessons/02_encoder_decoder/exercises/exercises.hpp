// Lesson 2's implementation exercise. Write it in my_context.cpp, then
//     ./build/lessons/02_encoder_decoder_check            compares it with seq2seq::context_vector
//     ./build/lessons/02_encoder_decoder --use-my-code    trains the translator with it
#pragma once

#include <dikkat/autograd.hpp>

namespace exercises {

/// Exercise 2.1: the context vector, the encoder's summary of the whole sentence:
/// c = tanh([h_forward_last ; h_backward_first] W + b).
/// h_forward_last (B, H), h_backward_first (B, H), W (2H, D), b (D) -> c (B, D).
dikkat::Tensor my_context(const dikkat::Tensor& h_forward_last, const dikkat::Tensor& h_backward_first,
                          const dikkat::Tensor& W, const dikkat::Tensor& b);

}  // namespace exercises
