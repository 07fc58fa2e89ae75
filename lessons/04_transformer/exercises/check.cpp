// Checks lesson 4's exercise against the library: run ./build/lessons/04_transformer_check
#include <iostream>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>
#include <dikkat/nn/transformer.hpp>

#include "exercises.hpp"

using namespace dikkat;

int main() {
    const std::size_t B = 2, H = 2, T = 3, S = 4, d = 5;
    Array keep = causal_mask(S);  // (S, S): with T = S below, a decoder's mask
    Array padding = padding_mask({4, 2}, S);
    padding.reshape({B, std::size_t{1}, std::size_t{1}, S});
    auto mine = [](const Array& m, bool scaled) {
        return [m, scaled](const std::vector<Tensor>& x) {
            return exercises::my_attention(x[0], x[1], x[2], m, scaled).output;
        };
    };
    auto library = [](const Array& m, bool scaled) {
        return [m, scaled](const std::vector<Tensor>& x) {
            return nn::scaled_dot_product_attention(x[0], x[1], x[2], m, scaled).output;
        };
    };
    const std::string where = "lessons/04_transformer/README.md, §6 Exercises";
    return run_exercise_checks(
        {{"Exercise 4.1",
          "scaled dot-product attention, nothing hidden",
          where,
          "matmul(q, k, true) / sqrt(d), softmax over the last axis, then matmul with v",
          mine(Array(), true),
          library(Array(), true),
          {{B, H, T, d}, {B, H, S, d}, {B, H, S, d}}},
         {"Exercise 4.1",
          "with a causal mask",
          where,
          "fill_hidden(scores, keep, -1e9f) before the softmax, when has_keep(keep)",
          mine(keep, true),
          library(keep, true),
          {{B, H, S, d}, {B, H, S, d}, {B, H, S, d}}},
         {"Exercise 4.1",
          "with padding hidden from every head and query",
          where,
          "keep (B, 1, 1, S) broadcasts over the heads and the queries",
          mine(padding, true),
          library(padding, true),
          {{B, H, T, d}, {B, H, S, d}, {B, H, S, d}}},
         {"Exercise 4.1",
          "unscaled (scaled = false)",
          where,
          "leave out the division by sqrt(d) when !scaled",
          mine(Array(), false),
          library(Array(), false),
          {{B, H, T, d}, {B, H, S, d}, {B, H, S, d}}}},
        std::cout);
}
