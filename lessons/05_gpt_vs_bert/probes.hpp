// Lesson 5's measurements: how well each model does its own job, and the other's.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <dikkat/data/masking.hpp>
#include <dikkat/data/vocab.hpp>
#include <dikkat/lm/transformer_lm.hpp>

namespace lesson5 {

using dikkat::Index;
using dikkat::lm::TransformerLM;

/// Perplexity of a GPT on a token stream: exp of its mean next-word loss over windows of its
/// context, read 16 streams side by side (each window starts without the text before it).
double perplexity(const TransformerLM& gpt, const std::vector<Index>& tokens);

/// Accuracy at hidden words, on the same positions for every guesser.
struct MaskedScores {
    std::size_t positions = 0;            ///< hidden words scored
    double bert_top1 = 0, bert_top5 = 0;  ///< BERT, reading both sides of each gap
    double gpt_top1 = 0, gpt_top5 = 0;    ///< GPT, reading the words to the left only
    double unigram_top1 = 0;              ///< always guessing the corpus's most frequent word
};
/// Windows of the model's context from `tokens`, masked as in training (options, `seed`); the
/// first word of each window is never scored (GPT has nothing to its left there). A model that
/// is null is skipped (its scores stay 0); `unigram_id` is the most frequent training word.
MaskedScores masked_accuracy(const TransformerLM* bert, const TransformerLM* gpt, Index unigram_id,
                             const std::vector<Index>& tokens, std::size_t context,
                             const dikkat::data::MaskingOptions& options, std::uint64_t seed);

/// Each asked to write: top-1 accuracy at the word after a prefix (`count` prefixes of 4 to
/// context - 1 words from `tokens`, drawn with `seed`). GPT reads the prefix; BERT reads it with
/// a `<mask>` appended — a gap with nothing after it.
struct NextWordScores {
    std::size_t positions = 0;
    double gpt_top1 = 0, bert_top1 = 0;
};
NextWordScores next_word_accuracy(const TransformerLM* gpt, const TransformerLM* bert,
                                  const std::vector<Index>& tokens, std::size_t context, std::size_t count,
                                  std::uint64_t seed);

/// The most frequent word of `tokens` that is not a special token.
Index most_frequent_word(const std::vector<Index>& tokens, std::size_t vocab_size);

}  // namespace lesson5
