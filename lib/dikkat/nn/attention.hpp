// Attention: at every step the decoder looks back at every encoder state, weighted by how
// relevant it has learned each one to be.
//
//     B batch, S source positions, Dq query size, Dk key size, Dv value size, A attention size
//
// The encoder-decoder of lesson 2 hands the decoder one vector for the whole source sentence.
// With attention the decoder keeps all S encoder states h_1 … h_S and, before each output
// word, asks "which of them matter now?". Its current state s (the *query*) gives every
// source position j a score e_j; a softmax turns the scores into weights a_j (the *attention
// weights*, an *alignment*: they sum to 1, and they show which source word the decoder reads);
// the weighted average of the encoder states is the *context vector* c it reads from:
//
//     e_j = score(s, h_j)           (B, S)      how relevant position j is to this step
//     a   = softmax_j(e)            (B, S)      padded positions get exactly 0
//     c   = Σ_j a_j h_j             (B, Dv)     what the decoder reads at this step
//
// Two scores, one interface (nn::Attention), so a lesson switches with `--score additive|dot`:
//
//     additive (Bahdanau et al., 2015)    e_j = v^T tanh(s W_q + h_j W_k + b)    AdditiveAttention
//     dot, "general" (Luong et al., 2015) e_j = (s W) · h_j                      DotAttention
//
// The additive score runs a small one-layer network on every (s, h_j) pair; the dot score is
// a bilinear form, cheaper, and with no tanh to saturate. Both have parameters, so both learn
// what "relevant" means.
//
// Keys and values. The encoder states play two parts: *keys* (what a score compares the
// query with) and *values* (what the context averages). Here both are the encoder states,
// but they are separate arguments, as in the transformer of lesson 4.
//
// Once per sentence, not once per step. The encoder states do not change while the decoder
// writes the translation, so the key side of the score — h_j W_k + b, S·Dk·A multiply-adds per
// sentence — is computed once per source batch by project_keys() and passed to every step:
//
//     std::shared_ptr<nn::Attention> attention = nn::make_attention("additive", Dq, Dk, A, rng);
//     Tensor pk = attention->project_keys(encoder_states);                  // (B, S, A), once
//     for (t ...) {
//         auto [context, weights] = attention->forward(s, pk, encoder_states, keep);  // (B, Dv), (B, S)
//         ...
//     }
//
// Padding. `keep` (B, S) is 1 at a real source token and 0 at padding (the house convention,
// ops/mask.hpp). A padded position's score is filled with -1e9 before the softmax: its weight
// is exactly 0 and its key and value get exactly zero gradient. (A row with no real token at
// all gets uniform weights, not NaN.)
//
// The weights are returned, not kept on the module: the caller decides whether to plot them.
//
// Cost per step, additive: the tanh over the (B, S, A) sums dominates. The score is one op,
// additive_scores (ops/nn_ops.hpp): one pass over the sums forward and one backward, and the
// graph keeps one (B, S, A) tensor per step (the tanh) until backward() — at B = 64, S = 40,
// A = 128, 1.3 MB. The dot score keeps none: the largest
// tensors it makes are (B, S). The context, a batched (B, 1, S) @ (B, S, Dv), is B small
// GEMMs forward and 2B backward, which at these sizes cost little more than reading the values.
#pragma once

#include <memory>
#include <string>

#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/module.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

/// The common interface of the attention scores: a decoder holds a
/// `std::shared_ptr<nn::Attention>` and does not care which score it uses.
///
/// forward() is the same for every score: scores() → hide padding → softmax → weighted average.
/// A score is a subclass that overrides project_keys() and scores().
class Attention : public Module {
  public:
    /// What one attention step returns.
    struct Output {
        Tensor context;  ///< (B, Dv): \f$ c_b = \sum_j a_{bj} \, \mathrm{values}_{bj} \f$
        Tensor weights;  ///< (B, S): \f$ a_{bj} \f$, each row sums to 1 over the real positions
    };

    /// `projected_size` is the last axis of project_keys()'s result (A, or Dk for a score
    /// that uses the keys as they are).
    Attention(std::size_t query_size, std::size_t key_size, std::size_t projected_size)
        : query_size_(query_size), key_size_(key_size), projected_size_(projected_size) {}

    /// The key side of the score, for keys (B, S, Dk) → (B, S, projected_size()). Call it once
    /// per source batch and pass the result to every decoder step: the encoder states do not
    /// change while decoding. Throws ShapeError naming the module unless keys is (B, S, Dk).
    virtual Tensor project_keys(const Tensor& keys) const = 0;

    /// The scores \f$ e_{bj} \f$ (B, S) of query (B, Dq) against projected keys
    /// (B, S, projected_size()), before any padding is hidden. Throws ShapeError naming the
    /// module and both shapes when they do not fit.
    virtual Tensor scores(const Tensor& query, const Tensor& projected_keys) const = 0;

    /// One attention step. query (B, Dq): the decoder state; projected_keys: project_keys()'s
    /// result (B, S, projected_size()); values (B, S, Dv): what the context averages (any Dv);
    /// keep (B, S): 1 at a real source token, 0 at padding, `{}` when nothing is padded.
    /// \f$ a_b = \mathrm{softmax}_j(\mathrm{fill\_hidden}(e_b, \mathrm{keep}_b, -10^9)) \f$,
    /// \f$ c_b = \sum_j a_{bj}\, \mathrm{values}_{bj} \f$.
    /// Throws ShapeError naming the module and every shape when they do not fit.
    virtual Output forward(const Tensor& query, const Tensor& projected_keys, const Tensor& values,
                           const Array& keep = {}) const;
    Output operator()(const Tensor& query, const Tensor& projected_keys, const Tensor& values,
                      const Array& keep = {}) const {
        return forward(query, projected_keys, values, keep);
    }

    std::size_t query_size() const { return query_size_; }          ///< Dq
    std::size_t key_size() const { return key_size_; }              ///< Dk
    std::size_t projected_size() const { return projected_size_; }  ///< A, or Dk

  protected:
    /// Throws ShapeError naming the module unless keys is (B, S, Dk) with S >= 1.
    void check_keys(const Tensor& keys) const;
    /// Throws ShapeError naming the module and all shapes unless query is (B, Dq),
    /// projected_keys (B, S, projected_size()) with S >= 1, values (B, S, Dv) and keep {} or (B, S).
    void check_step(const Tensor& query, const Tensor& projected_keys, const Tensor& values,
                    const Array& keep) const;
    /// The same for scores()'s two inputs.
    void check_scores(const Tensor& query, const Tensor& projected_keys) const;

  private:
    std::size_t query_size_, key_size_, projected_size_;
};

/// Additive attention (Bahdanau et al., 2015):
/// \f$ e_{bj} = v^\top \tanh(s_b W_q + h_{bj} W_k + b) \f$.
///
/// Parameters: `query.weight` (Dq, A), `key.weight` (Dk, A), `key.bias` (A), `v` (A) —
/// Dq·A + Dk·A + 2A in all (named_parameters() lists `v` first: a module's own parameters
/// come before its children's). The query layer has no bias: the key layer's is added to every
/// sum already. query and key are initialised as nn::Linear; v from U(-1/√A, 1/√A).
class AdditiveAttention : public Attention {
  public:
    AdditiveAttention(std::size_t query_size, std::size_t key_size, std::size_t attention_size, Rng& rng);

    /// keys (B, S, Dk) → \f$ h W_k + b \f$ (B, S, A), once per source batch.
    Tensor project_keys(const Tensor& keys) const override;
    /// s (B, Dq), projected keys (B, S, A) → additive_scores(s W_q, projected_keys, v) (B, S).
    Tensor scores(const Tensor& s, const Tensor& projected_keys) const override;
    std::string describe() const override;
    std::size_t attention_size() const { return projected_size(); }  ///< A

    Linear query;  ///< Dq → A, no bias: \f$ W_q \f$
    Linear key;    ///< Dk → A, with bias: \f$ W_k, b \f$
    Tensor v;      ///< (A): scores the tanh layer's output
};

/// Dot-product attention, Luong et al.'s (2015) "general" score:
/// \f$ e_{bj} = (s_b W) \cdot h_{bj} \f$.
///
/// Parameter: `query.weight` (Dq, Dk), Dq·Dk in all. W sits on the query's side, so the keys
/// are compared as they are: project_keys() only checks their shape and returns them
/// unchanged (no copy). Per step the score costs one (B, Dq)@(Dq, Dk) product and one
/// (B, 1, Dk)@(B, S, Dk)^T product — no (B, S, A) tensor, no tanh.
class DotAttention : public Attention {
  public:
    DotAttention(std::size_t query_size, std::size_t key_size, Rng& rng);

    /// keys (B, S, Dk), returned unchanged: the dot score needs no key projection.
    Tensor project_keys(const Tensor& keys) const override;
    /// s (B, Dq), keys (B, S, Dk) → \f$ (s W) \cdot h_j \f$ (B, S).
    Tensor scores(const Tensor& s, const Tensor& projected_keys) const override;
    std::string describe() const override;

    Linear query;  ///< Dq → Dk, no bias: \f$ W \f$
};

/// Builds an attention by score name: "additive" (AdditiveAttention(Dq, Dk, A)) or "dot"
/// (DotAttention(Dq, Dk); A is not used). ValueError otherwise.
std::shared_ptr<Attention> make_attention(const std::string& score, std::size_t query_size,
                                          std::size_t key_size, std::size_t attention_size, Rng& rng);

}  // namespace dikkat::nn
