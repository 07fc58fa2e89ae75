// The transformer encoder-decoder of lesson 4, as a Translator (Vaswani et al., 2017).
//
//     B batch, S source length, T target length, D model size, H heads, V target vocabulary
//
//     source ids (B, S) -> embeddings + positions -> encoder layers -> memory (B, S, D)
//     target_in (B, T)  -> embeddings + positions -> decoder layers (causal self-attention,
//                          cross-attention over the memory) -> output layer -> scores (B, T, V)
//
// Teacher forcing runs the decoder over all T target positions at once: the causal mask keeps
// word t from reading words after it. The whole training step is a fixed number of layers,
// whatever the sentence's length — no loop over time.
//
// Decoding is still word by word (the next word depends on the one just chosen). Recomputing
// every earlier position at every step would cost O(T²) layer passes per sentence; instead the
// state keeps each decoder layer's keys and values of the words so far (the key/value cache),
// so a step runs only the new word through the layers and attends over the cache. The memory's
// keys and values, for cross-attention, are computed once in start(). The result is the same
// as recomputing everything — the tests check it.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/transformer.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

/// Sizes and kinds of a TransformerTranslator; saved in its checkpoint.
struct TransformerConfig {
    std::size_t source_vocab = 0, target_vocab = 0;
    nn::TransformerSizes sizes;
    std::string positions = "sinusoidal";  ///< "sinusoidal", "learned" or "none"
    /// The most positions a sentence may have, either side: decoding a 40-word sentence may
    /// write up to 2 · 40 + 10 words (max_target_length), a learner's 100-word one 210.
    std::size_t max_length = 256;

    nlohmann::json to_json() const;
    /// Throws ValueError naming a missing or malformed field, or a size outside 1..max_size.
    static TransformerConfig from_json(const nlohmann::json& j);
    static constexpr std::size_t max_size = 1 << 16;
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const TransformerConfig& config);

class TransformerTranslator : public Translator {
  public:
    TransformerTranslator(const TransformerConfig& config, Rng& rng);

    /// Scores (B, T, V); `attention` (when non-null) receives the last decoder layer's
    /// cross-attention averaged over its heads (B, T, S).
    Tensor forward(const Batch& batch, Array* attention = nullptr) const override;
    /// The same pass, keeping every layer's attention weights, per head.
    Tensor forward(const Batch& batch, nn::Transformer::Weights& weights) const;
    /// Every decoder layer's cross-attention, head by head: [layer][head] (B, T, S).
    std::vector<std::vector<Array>> source_attention(const Batch& batch) const override;
    std::unique_ptr<State> start(const IndexArray& source, const Array& source_keep) const override;
    Tensor step(State& state, const IndexArray& previous) const override;

    std::string describe() const override;
    const TransformerConfig& config() const { return config_; }

    nn::Embedding source_embed, target_embed;
    nn::PositionalEncoding positions;
    nn::Transformer transformer;
    nn::Linear output;

  private:
    struct CachedState;
    Tensor embed_source(const IndexArray& source) const;
    TransformerConfig config_;
};

/// source_keep (B, S) -> (B, 1, 1, S), the shape that hides padded keys from every head and
/// query; `{}` stays `{}`.
Array key_keep(const Array& source_keep);

}  // namespace dikkat::seq2seq
