#include <dikkat/nn/transformer.hpp>

#include <cmath>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/shape.hpp>
#include <dikkat/ops/softmax.hpp>

// B batch, T query positions, S key positions, D model size, H heads, d = D / H, F feed-forward
namespace dikkat::nn {

namespace {
// Throws ShapeError naming all three shapes unless q (..., T, d), k (..., S, d), v (..., S, dv)
// share their leading axes and S >= 1.
void check_attention_shapes(const Tensor& q, const Tensor& k, const Tensor& v) {
    const std::size_t n = q.dim();
    bool fits = n >= 2 && k.dim() == n && v.dim() == n && q.shape()[n - 1] == k.shape()[n - 1] &&
                k.shape()[n - 2] == v.shape()[n - 2] && k.shape()[n - 2] > 0;
    for (std::size_t i = 0; fits && i + 2 < n; ++i)
        fits = q.shape()[i] == k.shape()[i] && q.shape()[i] == v.shape()[i];
    if (!fits)
        throw ShapeError("scaled_dot_product_attention: q is " + shape_str(q.shape()) + ", k " +
                         shape_str(k.shape()) + ", v " + shape_str(v.shape()) +
                         "; expected q (..., T, d), k (..., S, d) and v (..., S, dv) with the same leading "
                         "axes and S >= 1");
}
}  // namespace

// [scaled_dot_product_attention]
AttentionResult scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                             const Array& keep, bool scaled) {
    check_attention_shapes(q, k, v);
    const float d = static_cast<float>(q.shape().back());
    Tensor scores = matmul(q, k, /*transpose_b=*/true);  // (..., T, S): every query against every key
    // softmax(fill_hidden(scores / √d, keep, -1e9)) over the keys, as one op: each row sums to 1,
    // hidden keys get weight 0
    Tensor weights = masked_softmax(scores, keep, scaled ? 1.0f / std::sqrt(d) : 1.0f);
    return {matmul(weights, v), weights};  // (..., T, dv)
}
// [scaled_dot_product_attention]

// [split_heads]
Tensor split_heads(const Tensor& x, std::size_t heads) {
    if (x.dim() != 3 || heads == 0 || x.shape()[2] % heads != 0)
        throw ShapeError("split_heads: x is " + shape_str(x.shape()) + " for " + std::to_string(heads) +
                         " heads; expected (B, T, D) with D a multiple of the heads");
    const std::size_t B = x.shape()[0], T = x.shape()[1], d = x.shape()[2] / heads;
    return permute(x, {B, T, heads, d}, {0, 2, 1, 3});  // (B, T, H·d) as (B, T, H, d) -> (B, H, T, d)
}

Tensor merge_heads(const Tensor& x) {
    if (x.dim() != 4)
        throw ShapeError("merge_heads: x is " + shape_str(x.shape()) + "; expected (B, H, T, d)");
    const std::size_t B = x.shape()[0], H = x.shape()[1], T = x.shape()[2], d = x.shape()[3];
    return permute(x, x.shape(), {0, 2, 1, 3}, {B, T, H * d});  // (B, H, T, d) -> (B, T, H, d) as (B, T, D)
}
// [split_heads]

// ---- multi-head attention ----------------------------------------------------------------

MultiHeadAttention::MultiHeadAttention(std::size_t dim, std::size_t heads, Rng& rng)
    : query(dim, dim, rng),
      key(dim, dim, rng),
      value(dim, dim, rng),
      output(dim, dim, rng),
      dim_(dim),
      heads_(heads) {
    if (heads == 0 || dim % heads != 0)
        throw ValueError("MultiHeadAttention: " + std::to_string(heads) +
                         " heads do not divide the model size " + std::to_string(dim) +
                         " (each head gets D / H features)");
    register_module("query", query);
    register_module("key", key);
    register_module("value", value);
    register_module("output", output);
}

std::string MultiHeadAttention::describe() const {
    return "MultiHeadAttention(" + std::to_string(dim_) + ", heads=" + std::to_string(heads_) + ")";
}

MultiHeadAttention::KeyValues MultiHeadAttention::project(const Tensor& x) const {
    if (x.dim() != 3 || x.shape()[2] != dim_ || x.shape()[1] == 0)
        throw ShapeError(describe() + ": keys and values come from x " + shape_str(x.shape()) +
                         "; expected (B, S, " + std::to_string(dim_) + ") with S >= 1");
    return {split_heads(key(x), heads_), split_heads(value(x), heads_)};  // (B, H, S, d) each
}

// [multi_head_forward]
AttentionResult MultiHeadAttention::forward(const Tensor& x_query, const KeyValues& kv,
                                            const Array& keep) const {
    if (x_query.dim() != 3 || x_query.shape()[2] != dim_ || kv.keys.dim() != 4 ||
        kv.keys.shape()[0] != x_query.shape()[0])
        throw ShapeError(describe() + ": queries from " + shape_str(x_query.shape()) + ", keys " +
                         shape_str(kv.keys.shape()) + "; expected (B, T, " + std::to_string(dim_) +
                         ") and (B, H, S, d) from project()");
    const Tensor q = split_heads(query(x_query), heads_);             // (B, H, T, d)
    AttentionResult a = attend(q, kv.keys, kv.values, keep, scaled);  // (B, H, T, d), all heads at once
    return {output(merge_heads(a.output)), a.weights};  // heads side by side (B, T, D), mixed by W_o
}
// [multi_head_forward]

AttentionResult MultiHeadAttention::forward(const Tensor& x_query, const Tensor& x_kv,
                                            const Array& keep) const {
    return forward(x_query, project(x_kv), keep);
}

// ---- feed-forward ------------------------------------------------------------------------

FeedForward::FeedForward(std::size_t dim, std::size_t hidden, Rng& rng)
    : up(dim, hidden, rng), down(hidden, dim, rng) {
    register_module("up", up);
    register_module("down", down);
}

// down(relu(up(x))), the first layer and its ReLU as one node (Linear::forward_relu): the
// (B, T, F) array before the ReLU is never kept.
Tensor FeedForward::forward(const Tensor& x) const { return down(up.forward_relu(x)); }

std::string FeedForward::describe() const {
    return "FeedForward(" + std::to_string(up.in_features()) + " -> " + std::to_string(up.out_features()) +
           " -> " + std::to_string(down.out_features()) + ")";
}

// ---- positional encodings ----------------------------------------------------------------

// [sinusoidal_positions]
Array sinusoidal_positions(std::size_t length, std::size_t dim) {
    if (dim % 2 != 0)
        throw ValueError("sinusoidal_positions: the model size " + std::to_string(dim) + " is odd");
    Array pe = xt::empty<float>({length, dim});  // (from a Shape, GCC 12 warns wrongly in a unity build)
    for (std::size_t i = 0; i < dim / 2; ++i) {
        // Feature pair i turns once every 2π · 10000^(2i/D) positions: from 6.3 words to 63,000.
        const double frequency = std::pow(10000.0, -2.0 * double(i) / double(dim));
        for (std::size_t t = 0; t < length; ++t) {
            pe(t, 2 * i) = static_cast<float>(std::sin(double(t) * frequency));
            pe(t, 2 * i + 1) = static_cast<float>(std::cos(double(t) * frequency));
        }
    }
    return pe;
}
// [sinusoidal_positions]

PositionalEncoding::PositionalEncoding(const std::string& kind, std::size_t max_length, std::size_t dim,
                                       Rng& rng)
    : kind_(kind), max_length_(max_length), dim_(dim) {
    if (kind == "sinusoidal") {
        fixed_ = sinusoidal_positions(max_length, dim);
    } else if (kind == "learned") {
        learned_ = std::make_shared<Embedding>(max_length, dim, rng);
        register_module("table", learned_);
    } else if (kind != "none") {
        throw ValueError("PositionalEncoding: unknown kind '" + kind +
                         "'; expected sinusoidal, learned or none");
    }
}

std::string PositionalEncoding::describe() const {
    return "PositionalEncoding(" + kind_ + ", " + std::to_string(max_length_) + " positions)";
}

Array PositionalEncoding::table(std::size_t length) const {
    if (length > max_length_)
        throw ValueError(describe() + ": asked for " + std::to_string(length) + " positions");
    if (kind_ == "sinusoidal") return Array(xt::view(fixed_, xt::range(0, length), xt::all()));
    if (kind_ == "learned") return Array(xt::view(learned_->weight.value(), xt::range(0, length), xt::all()));
    return xt::zeros<float>({length, dim_});
}

Tensor PositionalEncoding::forward(const Tensor& x, std::size_t start) const {
    if (x.dim() != 3 || x.shape()[2] != dim_)
        throw ShapeError(describe() + ": x is " + shape_str(x.shape()) + "; expected (B, T, " +
                         std::to_string(dim_) + ")");
    const std::size_t T = x.shape()[1];
    if (start + T > max_length_)
        throw ValueError(describe() + ": positions " + std::to_string(start) + " to " +
                         std::to_string(start + T - 1) + " asked for; this model knows " +
                         std::to_string(max_length_) + " (a longer sentence than it was built for)");
    if (kind_ == "none") return x;
    if (kind_ == "sinusoidal")
        return x + Tensor(Array(xt::view(fixed_, xt::range(start, start + T), xt::all())));
    IndexArray positions(IndexArray::shape_type{T});
    for (std::size_t t = 0; t < T; ++t) positions(t) = static_cast<Index>(start + t);
    return x + (*learned_)(positions);  // (B, T, D) + (T, D)
}

// ---- layers ------------------------------------------------------------------------------

EncoderLayer::EncoderLayer(std::size_t dim, std::size_t heads, std::size_t ff_size, float dropout, Rng& rng)
    : norm1(dim), attention(dim, heads, rng), norm2(dim), ff(dim, ff_size, rng), drop(dropout, rng) {
    register_module("norm1", norm1);
    register_module("attention", attention);
    register_module("norm2", norm2);
    register_module("ff", ff);
    register_module("drop", drop);
}

std::string EncoderLayer::describe() const { return "EncoderLayer(pre-LN)"; }

// [encoder_layer]
AttentionResult EncoderLayer::forward(const Tensor& x, const Array& keep) const {
    const Tensor h = norm1(x);
    AttentionResult a = attention.forward(h, h, keep);  // every source word reads every other
    const Tensor x1 = x + drop(a.output);
    return {x1 + drop(ff.forward(norm2(x1))), a.weights};
}
// [encoder_layer]

DecoderLayer::DecoderLayer(std::size_t dim, std::size_t heads, std::size_t ff_size, float dropout, Rng& rng)
    : norm1(dim),
      self_attention(dim, heads, rng),
      norm2(dim),
      cross_attention(dim, heads, rng),
      norm3(dim),
      ff(dim, ff_size, rng),
      drop(dropout, rng) {
    register_module("norm1", norm1);
    register_module("self_attention", self_attention);
    register_module("norm2", norm2);
    register_module("cross_attention", cross_attention);
    register_module("norm3", norm3);
    register_module("ff", ff);
    register_module("drop", drop);
}

std::string DecoderLayer::describe() const { return "DecoderLayer(pre-LN)"; }

// [decoder_layer]
DecoderLayer::Output DecoderLayer::forward(const Tensor& y, const MultiHeadAttention::KeyValues& memory,
                                           const Array& self_keep, const Array& memory_keep,
                                           MultiHeadAttention::KeyValues* cache) const {
    const Tensor h = norm1(y);
    AttentionResult self;
    if (cache) {  // decoding: the new positions' keys and values join the ones already computed
        MultiHeadAttention::KeyValues mine = self_attention.project(h);
        if (cache->length() > 0) {
            mine.keys = concat({cache->keys, mine.keys}, 2);  // (B, H, t + new, d)
            mine.values = concat({cache->values, mine.values}, 2);
        }
        *cache = mine;
        // New position i (of n) is position past + i: it sees the cache and the new ones up to
        // itself. One new position (decoding) sees everything, and needs no mask.
        const std::size_t n = y.shape()[1], past = mine.length() - n;
        Array keep;
        if (n > 1) {
            keep = xt::ones<float>({n, past + n});
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = past + i + 1; j < past + n; ++j) keep(i, j) = 0.0f;
        }
        self = self_attention.forward(h, mine, keep);
    } else {
        self = self_attention.forward(h, h, self_keep);  // causal: word t reads words <= t
    }
    const Tensor y1 = y + drop(self.output);
    AttentionResult cross = cross_attention.forward(norm2(y1), memory, memory_keep);  // reads the source
    const Tensor y2 = y1 + drop(cross.output);
    return {y2 + drop(ff.forward(norm3(y2))), self.weights, cross.weights};
}
// [decoder_layer]

// ---- the stacks --------------------------------------------------------------------------

Transformer::Transformer(const TransformerSizes& sizes, Rng& rng)
    : encoder_norm(sizes.dim), decoder_norm(sizes.dim), sizes_(sizes) {
    for (std::size_t i = 0; i < sizes.encoder_layers; ++i) {
        encoder.push_back(
            std::make_shared<EncoderLayer>(sizes.dim, sizes.heads, sizes.ff, sizes.dropout, rng));
        register_module("encoder" + std::to_string(i), encoder.back());
    }
    register_module("encoder_norm", encoder_norm);
    for (std::size_t i = 0; i < sizes.decoder_layers; ++i) {
        decoder.push_back(
            std::make_shared<DecoderLayer>(sizes.dim, sizes.heads, sizes.ff, sizes.dropout, rng));
        register_module("decoder" + std::to_string(i), decoder.back());
    }
    register_module("decoder_norm", decoder_norm);
    set_attention(scaled_dot_product_attention);
}

void Transformer::set_attention(AttentionFunction attend) {
    auto set = [&](MultiHeadAttention& a) {
        a.attend = attend;
        a.scaled = sizes_.scaled;
    };
    for (const auto& layer : encoder) set(layer->attention);
    for (const auto& layer : decoder) {
        set(layer->self_attention);
        set(layer->cross_attention);
    }
}

std::string Transformer::describe() const {
    return "Transformer(D=" + std::to_string(sizes_.dim) + ", heads=" + std::to_string(sizes_.heads) +
           ", ff=" + std::to_string(sizes_.ff) + ", " + std::to_string(sizes_.encoder_layers) + " + " +
           std::to_string(sizes_.decoder_layers) + " layers" + (sizes_.scaled ? "" : ", unscaled") + ")";
}

Tensor Transformer::encode(const Tensor& x, const Array& keep, Weights* weights) const {
    Tensor h = x;
    for (const auto& layer : encoder) {
        AttentionResult r = layer->forward(h, keep);
        h = r.output;
        if (weights) weights->encoder_self.push_back(r.weights);
    }
    return encoder_norm(h);
}

std::vector<MultiHeadAttention::KeyValues> Transformer::project_memory(const Tensor& memory) const {
    std::vector<MultiHeadAttention::KeyValues> out;
    for (const auto& layer : decoder) out.push_back(layer->cross_attention.project(memory));
    return out;
}

Tensor Transformer::decode(const Tensor& y, const std::vector<MultiHeadAttention::KeyValues>& memory,
                           const Array& self_keep, const Array& memory_keep, Weights* weights,
                           std::vector<MultiHeadAttention::KeyValues>* cache) const {
    if (memory.size() != decoder.size() || (cache && cache->size() != decoder.size()))
        throw ValueError(describe() + ": decode() needs one memory (and cache) entry per decoder layer, " +
                         std::to_string(decoder.size()) + "; got " + std::to_string(memory.size()) +
                         (cache ? " and " + std::to_string(cache->size()) : std::string()));
    Tensor h = y;
    for (std::size_t i = 0; i < decoder.size(); ++i) {
        DecoderLayer::Output r =
            decoder[i]->forward(h, memory[i], self_keep, memory_keep, cache ? &(*cache)[i] : nullptr);
        h = r.y;
        if (weights) {
            weights->decoder_self.push_back(r.self_weights);
            weights->decoder_cross.push_back(r.cross_weights);
        }
    }
    return decoder_norm(h);
}

}  // namespace dikkat::nn
