// The recurrent encoder-decoder of lessons 2 and 3 (Cho et al. 2014; Bahdanau et al. 2015).
//
//     B batch, S source length, T target length, E embedding, H encoder state (one direction),
//     D decoder state, C context, A attention, V target vocabulary
//
// Encoder: embeddings, then a bidirectional GRU (nn::RNN). Each source word j gets
// h_j = [h→_j ; h←_j] (2H): what the sentence says around it, read from both ends.
//
// Bridge: the decoder starts from s_0 = tanh(W_s [h→_last ; h←_first] + b): the two ends of
// the encoder, where each direction has read the whole sentence.
//
// Decoder: a GRU that reads, at step t, the previous word's embedding y_{t-1} and a context
// vector c_t, and scores the next word from [s_t ; c_t ; y_{t-1}]:
//
//     s_t = GRU([y_{t-1} ; c_t], s_{t-1})          logits_t = W_o [s_t ; c_t ; y_{t-1}] + b_o
//
// The context is the one thing lessons 2 and 3 do differently:
//
//   attention "none"      c_t = s_0 for every t: the whole sentence squeezed into one vector of
//                         D numbers — given as the initial state and again at every step
//                         (Cho et al.). This is the bottleneck lesson 2 measures.
//   "additive" / "dot"    c_t = Σ_j a_tj h_j, the weights a_t from the attention over every h_j,
//                         queried with s_{t-1} (Bahdanau; Luong's dot score as an exercise).
//                         C = 2H.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/nn/attention.hpp>
#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/sequence.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

/// Sizes and kinds of an RnnTranslator; saved in its checkpoint, so a checkpoint alone can
/// rebuild the model.
struct RnnConfig {
    std::size_t source_vocab = 0, target_vocab = 0;
    std::size_t embed = 64;            ///< E, both languages
    std::size_t encoder_hidden = 128;  ///< H, each direction
    std::size_t decoder_hidden = 256;  ///< D
    std::size_t attention_size = 128;  ///< A (additive attention only)
    std::string attention = "none";    ///< "none", "additive" or "dot"
    /// Read each source sentence backwards (Sutskever et al.'s trick), its `<eos>` still last.
    /// Part of the model, so a checkpoint translates the way it was trained.
    bool reverse_source = false;

    std::size_t context_size() const { return attention == "none" ? decoder_hidden : 2 * encoder_hidden; }
    nlohmann::json to_json() const;
    /// Throws ValueError naming a missing or malformed field, or a size no lesson would use
    /// (above max_size: a corrupt checkpoint must not make the program allocate gigabytes).
    static RnnConfig from_json(const nlohmann::json& j);
    static constexpr std::size_t max_size = 1 << 16;
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const RnnConfig& config);

/// The encoder's summary of the sentence: \f$ \tanh([h^\rightarrow_{last} ; h^\leftarrow_{first}] W + b) \f$,
/// h_forward_last and h_backward_first (B, H), W (2H, D), b (D) -> (B, D). The decoder's first
/// state, and without attention the context at every step: the bottleneck of lesson 2.
Tensor context_vector(const Tensor& h_forward_last, const Tensor& h_backward_first, const Tensor& W,
                      const Tensor& b);

/// Parts of an RnnTranslator a lesson may swap for its own (its exercises), chosen once in main().
struct RnnParts {
    /// Replaces context_vector().
    Tensor (*context)(const Tensor&, const Tensor&, const Tensor&, const Tensor&) = context_vector;
    /// Builds the attention instead of nn::make_attention(config.attention, Dq, Dk, A, rng).
    std::function<std::shared_ptr<nn::Attention>(std::size_t, std::size_t, std::size_t, Rng&)> attention;
};

class RnnTranslator : public Translator {
  public:
    RnnTranslator(const RnnConfig& config, Rng& rng, RnnParts parts = {});

    Tensor forward(const Batch& batch, Array* attention = nullptr) const override;
    std::unique_ptr<State> start(const IndexArray& source, const Array& source_keep) const override;
    Tensor step(State& state, const IndexArray& previous) const override;

    std::string describe() const override;
    const RnnConfig& config() const { return config_; }

    nn::Embedding source_embed, target_embed;
    nn::RNN encoder;
    nn::Linear bridge;
    std::shared_ptr<nn::RecurrentCell> decoder;
    std::shared_ptr<nn::Attention> attention;  ///< null for "none"
    nn::Linear output;

  private:
    struct Encoded;
    struct RnnState;
    Encoded encode(const IndexArray& source, const Array& source_keep) const;
    /// One decoder step: y_{t-1} (B, E) and the state in; the state moves on, the step's
    /// output features [s_t ; c_t ; y_{t-1}] (B, D + C + E) come out.
    Tensor decode_step(const Tensor& y_prev, const Encoded& enc, Tensor& s, Array* weights) const;

    RnnConfig config_;
    RnnParts parts_;
};

}  // namespace dikkat::seq2seq
