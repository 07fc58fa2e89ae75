// A transformer language model of lesson 5: one body, two objectives (GPT and BERT).
//
//     B batch, T positions (at most the context), D model size, H heads, V vocabulary
//
//     ids (B, T) -> token embedding + position -> L pre-LN layers -> LayerNorm         (B, T, D)
//                -> output layer tied to the token embedding                          (B, T, V)
//
// The body is the same for both; what differs is what a position may read, and what it is
// asked to predict:
//
//     GPT  (Radford et al., 2018)  the decoder block: a causal mask, so position t reads
//          positions <= t and predicts the word at t + 1. Every position is a training example,
//          and the model can write text one word after another.
//     BERT (Devlin et al., 2019)   the encoder block: no mask, every position reads every
//          other. Some words are hidden (data::mask_tokens) and the model predicts them from
//          both sides — better at understanding a word in its sentence, no way to write text
//          left to right.
//
// A layer is nn::EncoderLayer: self-attention and feed-forward, each in a residual branch. GPT's
// "decoder block" is that layer with a causal mask: the decoder of lesson 4 without the
// cross-attention, since there is no source sentence to read.
//
// Initialisation as GPT-2: every weight matrix and embedding starts at N(0, 0.02²), every bias
// at 0, and the two layers that write into the residual stream (attention.output, ff.down) at
// N(0, (0.02 / √(2L))²), so that L layers added up do not drown the words. (Embedding's N(0, 1)
// would make the tied output layer's first scores about √D = 11 apart; PyTorch's Linear start,
// with the tiny embeddings, lets the first attention's average of the window swamp each
// position's own vector, and BERT then learns far more slowly — measured in the chapter.)
//
// Names of the parameters, in a checkpoint (PyTorch's module tree in tests/interop/ uses the
// same ones): embed.weight, positions.table.weight, layers.N.{norm1, attention.{query, key,
// value, output}, norm2, ff.{up, down}}.{weight, bias}, norm.{weight, bias}, head.bias.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/data/vocab.hpp>
#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/layer_norm.hpp>
#include <dikkat/nn/module_list.hpp>
#include <dikkat/nn/tied_linear.hpp>
#include <dikkat/nn/transformer.hpp>
#include <dikkat/ops/mask.hpp>

namespace dikkat::lm {

/// Which job the body is trained for: it decides the attention mask.
enum class Objective {
    gpt,   ///< causal: predict the next word from the words before it
    bert,  ///< bidirectional: predict hidden words from both sides
};
/// "gpt" or "bert".
std::string to_string(Objective objective);
/// Throws ValueError for anything but "gpt" and "bert".
Objective objective_from_string(const std::string& name);

/// Sizes and objective of a TransformerLM; saved in its checkpoint.
struct LMConfig {
    Objective objective = Objective::gpt;
    std::size_t vocab = 0;
    std::size_t dim = 128, heads = 4, ff = 512, layers = 2;
    std::size_t context = 64;           ///< the most positions one sequence may have
    std::string positions = "learned";  ///< "learned" or "sinusoidal" (nn::PositionalEncoding)
    float dropout = 0.1f;

    nlohmann::json to_json() const;
    /// Throws ValueError naming a missing or malformed field, or a size outside 1..max_size.
    static LMConfig from_json(const nlohmann::json& j);
    static constexpr std::size_t max_size = 1 << 16;
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const LMConfig& config);

/// A function that makes the causal mask (T, T): the library's causal_mask, or an exercise's.
using CausalMaskFunction = Array (*)(std::size_t T);

class TransformerLM : public nn::Module {
  public:
    TransformerLM(const LMConfig& config, Rng& rng);

    /// ids (B, T) -> the body's output (B, T, D): what a new head (lesson 6) reads.
    /// `keep` (B, T), or `{}`, marks real tokens (1) and padding (0): padding is hidden from every
    /// query. `weights`, when non-null, receives every layer's attention (B, H, T, T).
    /// Throws ValueError for an empty sequence, T beyond the context, or an id outside [0, V).
    Tensor features(const IndexArray& ids, const Array& keep = {},
                    std::vector<Tensor>* weights = nullptr) const;
    /// ids (B, T) -> scores for every word at every position (B, T, V): for GPT, of the word
    /// after position t; for BERT, of the word at position t.
    Tensor forward(const IndexArray& ids, const Array& keep = {},
                   std::vector<Tensor>* weights = nullptr) const;
    Tensor operator()(const IndexArray& ids) const { return forward(ids); }

    /// What a query may read, for T positions: causal (T, T) for GPT, `{}` (everything) for
    /// BERT; with `keep` (B, T), padded keys hidden too ((B, 1, T, T) or (B, 1, 1, T)).
    Array attention_keep(std::size_t T, const Array& keep = {}) const;

    std::string describe() const override;
    const LMConfig& config() const { return config_; }

    /// What makes GPT's causal mask (an exercise may stand in for the library's).
    CausalMaskFunction causal = causal_mask;

    nn::Embedding embed;
    nn::PositionalEncoding positions;
    nn::ModuleList<nn::EncoderLayer> layers;
    nn::LayerNorm norm;
    nn::TiedLinear head;

  private:
    LMConfig config_;
};

/// BERT's loss: the cross-entropy of the words at the hidden positions — those whose target is
/// not `ignore_index` (data::mask_tokens's targets) — read from `inputs` (B, T). The same number
/// as cross_entropy(model(inputs), targets), for less work: the output layer, the largest
/// product (D × V per position), runs on the hidden rows only, about 15% of the B·T. Throws
/// ShapeError unless targets has inputs' shape, ValueError when no position is hidden.
Tensor masked_lm_loss(const TransformerLM& model, const IndexArray& inputs, const IndexArray& targets,
                      Index ignore_index = -100);

/// Writes the model's parameters to `path`, with metadata: the lesson, the configuration
/// (JSON) and the vocabulary — all a later lesson or PyTorch needs to use it.
void save_lm(const std::string& path, const TransformerLM& model, const data::Vocab& vocab,
             const std::string& lesson);

/// A language model read back from a checkpoint, with its vocabulary.
struct LoadedLM {
    std::unique_ptr<TransformerLM> model;
    data::Vocab vocab;
    std::string lesson;  ///< the lesson that wrote it
};
/// Reads what save_lm() wrote: builds the model from the configuration in the metadata, then
/// loads its tensors (strictly: every name and shape must match). Throws IoError naming the file
/// when it is missing, is not a language model's checkpoint, or does not fit its own
/// configuration; `make_it` (when not empty) is the command that writes it, added to the message
/// for a missing file.
LoadedLM load_lm(const std::string& path, const std::string& make_it = "");

}  // namespace dikkat::lm
