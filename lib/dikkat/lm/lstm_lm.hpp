// An LSTM language model, ULMFiT's kind (Howard & Ruder, 2018, on Merity et al.'s AWD-LSTM), and
// what a classifier reads from it.
//
//     B batch, T positions, E embedding, H hidden, V vocabulary
//
//     ids (B, T) -> embedding (E) -> LSTM (H) -> Linear down to E -> output tied to the embedding
//                                                 |                 (B, T, V): the next word's scores
//                                                 +-> the body's output (B, T, E): what a new head reads
//
// Unlike the transformer of lesson 5 it has no window: its state carries the text forward, so a
// review of any length is read whole, and a long text is read as streams of windows whose state
// flows from one window into the next (truncated backpropagation through time, lesson 1).
//
// The linear layer down to E is there for the tied output (the scores are down(h) · E_v), and its
// output is also the body's output: the vector the model predicts the next word from.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/data/vocab.hpp>
#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/nn/sequence.hpp>
#include <dikkat/nn/tied_linear.hpp>

namespace dikkat::lm {

/// Sizes of an LstmLM; saved in its checkpoint.
struct LstmLMConfig {
    std::size_t vocab = 0, embed = 128, hidden = 256;

    nlohmann::json to_json() const;
    /// Throws ValueError naming a missing or malformed field, or a size outside 1..max_size.
    static LstmLMConfig from_json(const nlohmann::json& j);
    static constexpr std::size_t max_size = 1 << 16;
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const LstmLMConfig& config);

class LstmLM : public nn::Module {
  public:
    /// Parameters: embed.weight (V, E), cell.* (the LSTM), down.{weight, bias} (H, E), out.bias (V);
    /// out.weight is embed.weight (tied).
    LstmLM(const LstmLMConfig& config, Rng& rng);

    /// What one pass over a window gives.
    struct Output {
        Tensor scores;     ///< (B, T, V): the next word's, after every position
        Tensor features;   ///< (B, T, E): the body's output, down(h_t)
        nn::Unrolled run;  ///< every h_t and the state after the window (carry it into the next)
    };
    /// ids (B, T) read from `state` ({}: zeros); keep (B, T) marks real words (padded steps carry
    /// the state, see nn::unroll), or `{}`.
    Output forward(const IndexArray& ids, const nn::CellState& state = {}, const Array& keep = {}) const;
    /// The body's output alone, down(h_t) (B, T, E), from a zero state: what a new head reads.
    /// It skips the scores, which a head never reads and which are most of a pass's work and
    /// memory: B·T·V numbers against the features' B·T·E (lesson 6: V = 2,584, E = 64 at --quick).
    Tensor features(const IndexArray& ids, const Array& keep = {}) const;

    std::string describe() const override;
    const LstmLMConfig& config() const { return config_; }

    nn::Embedding embed;
    std::shared_ptr<nn::RecurrentCell> cell;
    nn::Linear down;
    nn::TiedLinear out;

  private:
    nn::Unrolled read(const IndexArray& ids, const nn::CellState& state, const Array& keep) const;

    LstmLMConfig config_;
};

/// ULMFiT's concat pooling: a text read by the body, as one vector [last, max, mean] over its real
/// positions. features (B, T, E), keep (B, T) with 1 at real words and each row's words first
/// -> (B, 3E). `last` is each row's last real position; padded positions never count.
/// Throws ShapeError unless features is (B, T, E) and keep (B, T) with at least one real word a row.
Tensor concat_pool(const Tensor& features, const Array& keep);

/// Perplexity of `model` on a token stream: exp of its mean next-word loss, read as `streams` streams
/// side by side, `window` words at a time, the state carried from each window into the next.
double stream_perplexity(const LstmLM& model, const std::vector<Index>& tokens, std::size_t streams = 16,
                         std::size_t window = 64);

/// Writes the model with its configuration, vocabulary and lesson in the metadata (io::save_model,
/// kind "lstm_lm").
void save_lstm_lm(const std::string& path, const LstmLM& model, const data::Vocab& vocab,
                  const std::string& lesson);

/// An LSTM language model read back from a checkpoint, with its vocabulary.
struct LoadedLstmLM {
    std::unique_ptr<LstmLM> model;
    data::Vocab vocab;
    std::string lesson;
};
/// Reads what save_lstm_lm() wrote (strictly: every tensor's name and shape must match). Throws
/// IoError naming the file (and `make_it`, the command that writes it, when it is missing).
LoadedLstmLM load_lstm_lm(const std::string& path, const std::string& make_it = "");

}  // namespace dikkat::lm
