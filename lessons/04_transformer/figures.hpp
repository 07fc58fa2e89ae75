// Lesson 4's figures and the attention measure its exercise reads: BLEU against training time,
// step times against length, the attention of one sentence (per head, and its mean), the causal
// mask, the positional encodings, and how spread out the encoder's self-attention is.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <dikkat/data/parallel.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/seq2seq/train.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>

#include "comparison.hpp"

namespace lesson4 {

/// Validation BLEU against seconds of training, the transformer's and lesson 3's, as an SVG (the
/// x axis names the BLAS core and threads they ran on).
void plot_bleu_vs_seconds(const dikkat::seq2seq::BleuCurve& transformer,
                          const dikkat::seq2seq::BleuCurve& rnn, const std::string& svg_path);

/// Training-step milliseconds against source length, both models at 1 and 2 cores, as an SVG.
void plot_step_times(const std::vector<std::size_t>& lengths,
                     const std::vector<std::pair<Timing, Timing>>& timings,  // (transformer, RNN) per length
                     const std::string& svg_path);

/// One test pair through the trained model: prints the last layer's cross-attention (mean of the
/// heads) in the terminal and writes cross_attention_heads.svg, encoder_attention_heads.svg (per
/// layer and head) and causal_mask.svg into the run folder.
void draw_attention(const dikkat::seq2seq::TransformerTranslator& model,
                    const dikkat::data::ParallelCorpus& corpus, const dikkat::data::TranslationPair& pair,
                    std::size_t layers, dikkat::io::RunFolder& run);

/// The model's positional encodings, a row per position (at most 64), as an SVG.
void draw_positional_encoding(const dikkat::seq2seq::TransformerTranslator& model,
                              const dikkat::seq2seq::TransformerConfig& config, const std::string& svg_path);

/// How spread out the encoder's self-attention is, in nats per row of weights, over every layer,
/// head and real word of the first 8 test sentences: 0 when one word takes all the weight.
struct Entropy {
    double mean = 0;     ///< the model's
    double uniform = 0;  ///< reading every word alike (log of the sentence's length), per row
};
Entropy encoder_attention_entropy(const dikkat::seq2seq::TransformerTranslator& model,
                                  const dikkat::data::ParallelCorpus& corpus,
                                  const std::vector<dikkat::data::TranslationPair>& test);

}  // namespace lesson4
