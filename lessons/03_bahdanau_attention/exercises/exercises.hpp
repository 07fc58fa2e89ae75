// Lesson 3's implementation exercise. Write it in my_additive_scores.cpp, then
//     ./build/lessons/03_bahdanau_attention_check            compares it with additive_scores
//     ./build/lessons/03_bahdanau_attention --use-my-code    trains the translator with it
#pragma once

#include <dikkat/autograd.hpp>
#include <dikkat/nn/attention.hpp>

namespace exercises {

/// Exercise 3.1: Bahdanau's additive score, e_bj = v · tanh(q_b + k_bj).
/// q (B, A) the projected decoder state, k (B, S, A) the projected encoder states, v (A) -> (B, S).
dikkat::Tensor my_additive_scores(const dikkat::Tensor& q, const dikkat::Tensor& k, const dikkat::Tensor& v);

/// nn::AdditiveAttention scored by my_additive_scores: the same parameters, initialised the same
/// way. `--use-my-code` builds the translator with it; the translator does not know.
class MyAdditiveAttention : public dikkat::nn::AdditiveAttention {
  public:
    using AdditiveAttention::AdditiveAttention;
    dikkat::Tensor scores(const dikkat::Tensor& s, const dikkat::Tensor& projected_keys) const override {
        check_scores(s, projected_keys);
        return my_additive_scores(query(s), projected_keys, v);
    }
    std::string describe() const override {
        return AdditiveAttention::describe() + " with your my_additive_scores";
    }
};

}  // namespace exercises
