// The baseline every language model in the course is measured against: a bigram model, which
// predicts the next token from the current one alone, by counting.
//
//     P(b | a) = (count(a b) + k) / (count(a) + k V)        add-k smoothing, V tokens
//
// Counted on the training tokens, scored on the validation tokens: the mean of −log P(b | a)
// over every pair (a, b) of neighbours in `valid` — nats per token; divide by ln 2 for bits, and
// exp() of it is the perplexity. A model with memory (lesson 01's RNN, lesson 05's GPT) must
// beat it; a model that sees one token at a time cannot.
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/ops/nn_ops.hpp>

namespace dikkat::eval {

/// Nats per token of `valid` under an add-k bigram model counted on `train` (k = 0.1 unless
/// given). Throws ValueError naming the position of an id outside [0, vocab_size), when k is
/// not positive, or when `valid` has fewer than two tokens.
double bigram_nats_per_token(const std::vector<Index>& train, const std::vector<Index>& valid,
                             std::size_t vocab_size, double k = 0.1);

}  // namespace dikkat::eval
