// Lesson 5's attention figures: the two masks, and how each trained model's layers read one
// sentence of the validation text.
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/lm/transformer_lm.hpp>

namespace lesson5 {

/// The first words (at most 12, and at most `context`) of the first paragraph of `valid` with 4
/// or more: masks.svg, GPT's causal mask beside BERT's open one, and attention_gpt.svg /
/// attention_bert.svg, every layer and head of each model (null: skipped) reading that sentence,
/// BERT with its middle word hidden (where does the gap look?). Written into `run`; nothing when
/// no such sentence of 2 words or more is found.
void draw_attention(const dikkat::lm::TransformerLM* gpt, const dikkat::lm::TransformerLM* bert,
                    const std::vector<dikkat::Index>& valid, const dikkat::data::Vocab& vocab,
                    std::size_t context, dikkat::io::RunFolder& run);

}  // namespace lesson5
