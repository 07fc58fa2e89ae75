// The transformer (Vaswani et al., 2017): attention without recurrence.
//
//     B batch, T query positions, S key positions, D model size, H heads, d = D / H per head,
//     F feed-forward size
//
// An RNN reads a sentence one word after another: step t needs step t-1, so a sentence of T
// words is T dependent steps. Self-attention lets every position look at every other in one
// step instead. Each position asks a question (its query q), offers a label (its key k) and a
// content (its value v), all three linear maps of the same vector:
//
//     Q = X W_q    K = X W_k    V = X W_v              X (B, T, D) -> (B, T, D) each
//     A = softmax(Q K^T / sqrt(d))                     (B, T, T): who each position reads
//     Y = A V                                          (B, T, D): what it reads
//
// Two matrix products over the whole sentence: no loop over positions. The work of a layer is
// a few large GEMMs, which two cores can share; the RNN's is T small ones, each waiting for
// the last.
//
// Why divide by sqrt(d)? A dot product of two d-dimensional vectors with unit-variance entries
// has variance d. Unscaled, the scores grow with d, the softmax saturates onto one key, and its
// gradient vanishes. Dividing by sqrt(d) keeps the scores' variance near 1.
//
// Multi-head attention runs H attentions side by side, each on its own d = D / H slice of Q, K
// and V, so one head can follow word order while another follows agreement. The heads are not
// a loop: Q (B, T, D) is reshaped to (B, T, H, d) and permuted to (B, H, T, d), and one batched
// product (B, H, T, d) @ (B, H, d, S) scores every head of every sentence at once. The heads'
// outputs are permuted back, concatenated to (B, T, D) and mixed by W_o.
//
// Order. Attention is a weighted average: shuffle the words and each output is the same. Word
// order enters only through positional encodings added to the embeddings: sinusoids of
// geometric wavelengths (fixed), or a learned vector per position.
//
// The layers, pre-LN (Xiong et al., 2020: layer norm before each sub-layer, inside the
// residual branch, which trains without the post-LN's long warm-up):
//
//     encoder layer   x = x + Dropout(SelfAttention(LN(x)))          every source word reads every other
//                     x = x + Dropout(FeedForward(LN(x)))
//     decoder layer   y = y + Dropout(SelfAttention(LN(y), causal))  a French word reads the ones before it
//                     y = y + Dropout(CrossAttention(LN(y), memory)) ... and every English word
//                     y = y + Dropout(FeedForward(LN(y)))
//     FeedForward(x) = ReLU(x W_1 + b_1) W_2 + b_2                   D -> F -> D, each position alone
//
// Masks (ops/mask.hpp, 1 = keep): padding hides padded keys; the causal mask hides the future
// from the decoder, so that teacher forcing scores all T target positions in one pass while
// each still sees only what decoding would have produced by then.
//
// The attention weights are returned by every call, never stored on a module: a caller that
// wants to plot them keeps them.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <dikkat/nn/dropout.hpp>
#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/layer_norm.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/module.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

/// What an attention computes: its output and the weights it used.
struct AttentionResult {
    Tensor output;   ///< (..., T, dv): each query's weighted average of the values
    Tensor weights;  ///< (..., T, S): row i sums to 1 over the keys query i may see
};

/// Scaled dot-product attention:
/// \f$ \mathrm{softmax}(\mathrm{fill\_hidden}(Q K^\top / \sqrt{d}, \mathrm{keep}, -10^9))\, V \f$.
/// q (..., T, d), k (..., S, d), v (..., S, dv), leading axes equal; keep broadcasts to the
/// scores (..., T, S) (a causal mask (T, S), a padding mask (B, 1, 1, S), their product) or is
/// `{}`. With `scaled` false the 1/√d is left out (an experiment of lesson 4).
/// Throws ShapeError naming all shapes when they do not fit.
AttentionResult scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                             const Array& keep = {}, bool scaled = true);

/// A function with scaled_dot_product_attention()'s signature: a lesson's exercise may stand
/// in for it inside every MultiHeadAttention (`attend`).
using AttentionFunction = AttentionResult (*)(const Tensor& q, const Tensor& k, const Tensor& v,
                                              const Array& keep, bool scaled);

/// (B, T, H·d) -> (B, H, T, d): each head's slice of every position, heads batched.
Tensor split_heads(const Tensor& x, std::size_t heads);
/// (B, H, T, d) -> (B, T, H·d): the heads side by side again.
Tensor merge_heads(const Tensor& x);

/// H heads of scaled dot-product attention over D = H·d features.
///
/// Parameters: `query`, `key`, `value`, `output`, each nn::Linear D → D with bias: 4(D² + D).
class MultiHeadAttention : public Module {
  public:
    /// Keys and values split into heads, (B, H, S, d) each: what the queries attend over. A
    /// decoder computes the source's once per sentence, and appends one position per step to
    /// its own (the key/value cache).
    struct KeyValues {
        Tensor keys, values;
        std::size_t length() const { return keys.defined() ? keys.shape()[2] : 0; }
    };

    /// Throws ValueError unless heads divides dim.
    MultiHeadAttention(std::size_t dim, std::size_t heads, Rng& rng);

    /// x (B, S, D) -> its keys and values, (B, H, S, d) each.
    KeyValues project(const Tensor& x) const;
    /// x_query (B, T, D) attends over `kv`: output (B, T, D) and weights (B, H, T, S).
    /// keep broadcasts to (B, H, T, S) or is `{}`.
    AttentionResult forward(const Tensor& x_query, const KeyValues& kv, const Array& keep = {}) const;
    /// x_query (B, T, D) attends over x_kv (B, S, D) (self-attention: the same tensor).
    AttentionResult forward(const Tensor& x_query, const Tensor& x_kv, const Array& keep = {}) const;

    std::string describe() const override;
    std::size_t heads() const { return heads_; }
    std::size_t dim() const { return dim_; }
    /// false drops the 1/√d (an experiment); true by default.
    bool scaled = true;
    /// What computes each head's attention (an exercise may replace it).
    AttentionFunction attend = scaled_dot_product_attention;

    Linear query, key, value, output;

  private:
    std::size_t dim_, heads_;
};

/// The position-wise feed-forward network: ReLU(x W_1 + b_1) W_2 + b_2, D -> F -> D.
class FeedForward : public Module {
  public:
    FeedForward(std::size_t dim, std::size_t hidden, Rng& rng);
    Tensor forward(const Tensor& x) const;  ///< (..., D) -> (..., D)
    Tensor operator()(const Tensor& x) const { return forward(x); }
    std::string describe() const override;
    Linear up, down;
};

/// Positions made visible: adds a vector per position to x (B, T, D).
///
///   "sinusoidal"  PE(t, 2i) = sin(t / 10000^(2i/D)), PE(t, 2i+1) = cos(t / 10000^(2i/D)):
///                 fixed, no parameters; each pair of features turns at its own speed, so
///                 PE(t + k) is a rotation of PE(t) for every t.
///   "learned"     a trained vector per position (`table.weight`, (max_length, D)).
///   "none"        nothing added: the model sees a bag of words (an experiment).
class PositionalEncoding : public Module {
  public:
    /// Throws ValueError for another kind, or D odd with "sinusoidal".
    PositionalEncoding(const std::string& kind, std::size_t max_length, std::size_t dim, Rng& rng);
    /// x (B, T, D) -> x + PE[start, start + T). Throws ValueError naming both when
    /// start + T > max_length.
    Tensor forward(const Tensor& x, std::size_t start = 0) const;
    Tensor operator()(const Tensor& x, std::size_t start = 0) const { return forward(x, start); }
    /// PE for positions [0, length) (length, D): the table itself, for plotting.
    Array table(std::size_t length) const;
    std::string describe() const override;
    const std::string& kind() const { return kind_; }
    std::size_t max_length() const { return max_length_; }

  private:
    std::string kind_;
    std::size_t max_length_, dim_;
    Array fixed_;                         ///< (max_length, D) for "sinusoidal"
    std::shared_ptr<Embedding> learned_;  ///< for "learned"
};

/// (T, D) sinusoidal positional encodings (above).
Array sinusoidal_positions(std::size_t length, std::size_t dim);

/// One pre-LN encoder layer: self-attention, then feed-forward, each in a residual branch.
/// Parameters: MultiHeadAttention + FeedForward + two LayerNorms: 4(D²+D) + 2DF + F + D + 4D.
class EncoderLayer : public Module {
  public:
    EncoderLayer(std::size_t dim, std::size_t heads, std::size_t ff, float dropout, Rng& rng);
    /// x (B, S, D), keep (B, 1, 1, S) or `{}` -> x (B, S, D) and the weights (B, H, S, S).
    AttentionResult forward(const Tensor& x, const Array& keep = {}) const;
    std::string describe() const override;

    LayerNorm norm1;
    MultiHeadAttention attention;
    LayerNorm norm2;
    FeedForward ff;
    Dropout drop;
};

/// One pre-LN decoder layer: causal self-attention, cross-attention over the encoder's output,
/// feed-forward. Parameters: 2 MultiHeadAttention + FeedForward + three LayerNorms.
class DecoderLayer : public Module {
  public:
    DecoderLayer(std::size_t dim, std::size_t heads, std::size_t ff, float dropout, Rng& rng);

    /// What one decoder layer returns.
    struct Output {
        Tensor y;              ///< (B, T, D)
        Tensor self_weights;   ///< (B, H, T, T') over the target words so far
        Tensor cross_weights;  ///< (B, H, T, S) over the source words
    };
    /// y (B, T, D); `memory` the source's keys and values for cross-attention (from
    /// cross_attention.project(encoder output)); self_keep (T, T) causal or with padding,
    /// memory_keep (B, 1, 1, S) or `{}`.
    ///
    /// With `cache` (incremental decoding), y holds only the new positions: their own keys and
    /// values are appended to *cache, and each attends over every earlier position, itself and
    /// none of the new positions after it (a causal mask shifted by the cache's length, made
    /// here: self_keep is ignored). Decoding feeds one position at a time, which sees all.
    Output forward(const Tensor& y, const MultiHeadAttention::KeyValues& memory, const Array& self_keep,
                   const Array& memory_keep, MultiHeadAttention::KeyValues* cache = nullptr) const;
    std::string describe() const override;

    LayerNorm norm1;
    MultiHeadAttention self_attention;
    LayerNorm norm2;
    MultiHeadAttention cross_attention;
    LayerNorm norm3;
    FeedForward ff;
    Dropout drop;
};

/// The sizes of a Transformer.
struct TransformerSizes {
    std::size_t dim = 128;  ///< D
    std::size_t heads = 4;  ///< H
    std::size_t ff = 512;   ///< F
    std::size_t encoder_layers = 2, decoder_layers = 2;
    float dropout = 0.1f;
    bool scaled = true;  ///< false: every attention leaves out the 1/√d (an experiment)
};

/// The encoder-decoder stacks of the transformer, on vectors (embeddings and positions are
/// the caller's): `encoder_layers` EncoderLayers then a LayerNorm, `decoder_layers`
/// DecoderLayers then a LayerNorm (pre-LN leaves the last residual sum unnormalised).
class Transformer : public Module {
  public:
    Transformer(const TransformerSizes& sizes, Rng& rng);

    /// Every layer's attention weights, when asked for.
    struct Weights {
        std::vector<Tensor> encoder_self;   ///< per encoder layer (B, H, S, S)
        std::vector<Tensor> decoder_self;   ///< per decoder layer (B, H, T, T)
        std::vector<Tensor> decoder_cross;  ///< per decoder layer (B, H, T, S)
    };

    /// x (B, S, D) with keep (B, 1, 1, S) or `{}` -> the memory (B, S, D).
    Tensor encode(const Tensor& x, const Array& keep, Weights* weights = nullptr) const;
    /// Every decoder layer's keys and values of the memory, computed once per source batch.
    std::vector<MultiHeadAttention::KeyValues> project_memory(const Tensor& memory) const;
    /// y (B, T, D) over the memory -> (B, T, D). self_keep as DecoderLayer::forward. With
    /// `cache` (one KeyValues per layer, empty at first), y is the new positions only.
    Tensor decode(const Tensor& y, const std::vector<MultiHeadAttention::KeyValues>& memory,
                  const Array& self_keep, const Array& memory_keep, Weights* weights = nullptr,
                  std::vector<MultiHeadAttention::KeyValues>* cache = nullptr) const;

    /// Makes every attention of every layer compute with `attend` (an exercise's version of
    /// scaled_dot_product_attention; the constructor sets the library's, with sizes.scaled).
    void set_attention(AttentionFunction attend);

    std::string describe() const override;
    const TransformerSizes& sizes() const { return sizes_; }

    std::vector<std::shared_ptr<EncoderLayer>> encoder;
    LayerNorm encoder_norm;
    std::vector<std::shared_ptr<DecoderLayer>> decoder;
    LayerNorm decoder_norm;

  private:
    TransformerSizes sizes_;
};

}  // namespace dikkat::nn
