// Exercise 2.1 — the context vector.
//
//     c = tanh([h→_last ; h←_first] W + b)     h→_last, h←_first (B, H)   W (2H, D)   b (D)
//
// The forward GRU has read the whole sentence when it reaches the last word; the backward GRU
// has read it all when it reaches the first. Join the two (concat along axis 1), then a linear
// map and a tanh. Everything the decoder will know about the English is in these D numbers.
// Check: ./build/lessons/02_encoder_decoder_check      Train with it: ./build/lessons/02_encoder_decoder --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Tensor exercises::my_context(const Tensor& h_forward_last, const Tensor& h_backward_first, const Tensor& W,
                             const Tensor& b) {
    (void)h_forward_last, (void)h_backward_first, (void)W, (void)b;
    throw NotImplemented(
        "Exercise 2.1: write the context vector c = tanh([h_forward_last ; h_backward_first] W + b) in "
        "lessons/02_encoder_decoder/exercises/my_context.cpp (chapter §5)");
}
