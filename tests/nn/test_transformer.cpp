// The transformer's parts (nn/transformer.hpp): scaled dot-product attention against a hand
// loop, heads split and merged, multi-head attention against one head at a time, masks that
// hide exactly, gradients against finite differences, positional encodings, parameter counts,
// and the stacks' two promises — the decoder never reads the future, the encoder never reads
// padding.
//
//     B batch, T query positions, S key positions, D model size, H heads, d = D / H, F feed-forward
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

#include "../support/error_of.hpp"
#include "../support/gradients.hpp"

using namespace dikkat;
using Inputs = std::vector<Tensor>;

namespace {
constexpr std::size_t B = 2, T = 3, S = 4, D = 8, H = 2, F = 16;

// The largest |a - b| over two arrays of the same shape.
double max_difference(const Array& a, const Array& b) {
    REQUIRE(a.shape() == b.shape());
    return static_cast<double>(xt::amax(xt::abs(a - b))());
}

// Calls f, expects an E, and checks that its message contains every part.
template <class E, class Call>
void check_error(Call&& f, const std::vector<std::string>& parts) {
    const std::string msg = error_of<E>(f);
    for (const auto& p : parts) CHECK_MESSAGE(msg.find(p) != std::string::npos, msg, " lacks ", p);
}

// The second sentence has 2 real words of S = 4: keep (B, S), and (B, 1, 1, S) for the scores
// (B, H, T, S).
Array source_keep() { return padding_mask({S, 2}, S); }
Array key_keep() {
    Array keep = source_keep();
    keep.reshape({B, std::size_t{1}, std::size_t{1}, S});
    return keep;
}

// What an attention computes, by loops in double: q (B, T, d), k (B, S, d), v (B, S, dv), keep
// (B, S) (0 hides key j from every query of sentence b) ->
//     weights(b, i, j) = softmax_j(scale * q_bi . k_bj) over the kept keys, 0 at the hidden ones
//     output(b, i, :)  = sum_j weights(b, i, j) v_bj
struct HandAttention {
    Array output, weights;
};
HandAttention hand_attention(const Array& q, const Array& k, const Array& v, const Array& keep,
                             double scale) {
    const std::size_t nb = q.shape()[0], nt = q.shape()[1], ns = k.shape()[1];
    const std::size_t nd = q.shape()[2], nv = v.shape()[2];
    HandAttention out{Array(Shape{nb, nt, nv}), Array(Shape{nb, nt, ns})};
    for (std::size_t b = 0; b < nb; ++b)
        for (std::size_t i = 0; i < nt; ++i) {
            std::vector<double> e(ns, 0.0);
            double largest = -1e300;
            for (std::size_t j = 0; j < ns; ++j) {
                if (keep(b, j) == 0.0f) continue;
                for (std::size_t c = 0; c < nd; ++c)
                    e[j] += static_cast<double>(q(b, i, c)) * static_cast<double>(k(b, j, c));
                e[j] *= scale;
                largest = std::max(largest, e[j]);
            }
            double total = 0.0;
            for (std::size_t j = 0; j < ns; ++j) {
                e[j] = keep(b, j) == 0.0f ? 0.0 : std::exp(e[j] - largest);
                total += e[j];
            }
            for (std::size_t j = 0; j < ns; ++j) out.weights(b, i, j) = static_cast<float>(e[j] / total);
            for (std::size_t c = 0; c < nv; ++c) {
                double y = 0.0;
                for (std::size_t j = 0; j < ns; ++j) y += e[j] / total * static_cast<double>(v(b, j, c));
                out.output(b, i, c) = static_cast<float>(y);
            }
        }
    return out;
}

// Columns [from, to) of a (rows, cols) matrix, or elements [from, to) of a vector.
Tensor columns(const Tensor& w, std::size_t from, std::size_t to) {
    if (w.dim() == 1) return Tensor(Array(xt::view(w.value(), xt::range(from, to))));
    return Tensor(Array(xt::view(w.value(), xt::all(), xt::range(from, to))));
}

// Tiny stacks for the tests, dropout off.
nn::TransformerSizes tiny_sizes(std::size_t encoder_layers, std::size_t decoder_layers) {
    nn::TransformerSizes sizes;
    sizes.dim = D;
    sizes.heads = H;
    sizes.ff = F;
    sizes.encoder_layers = encoder_layers;
    sizes.decoder_layers = decoder_layers;
    sizes.dropout = 0.0f;
    return sizes;
}

// Parameter counts by the formulas of nn/transformer.hpp.
std::size_t attention_parameters(std::size_t dim) { return 4 * (dim * dim + dim); }
std::size_t feed_forward_parameters(std::size_t dim, std::size_t ff) { return 2 * dim * ff + ff + dim; }
std::size_t encoder_layer_parameters(std::size_t dim, std::size_t ff) {
    return attention_parameters(dim) + feed_forward_parameters(dim, ff) + 2 * 2 * dim;  // two LayerNorms
}
std::size_t decoder_layer_parameters(std::size_t dim, std::size_t ff) {
    return 2 * attention_parameters(dim) + feed_forward_parameters(dim, ff) +
           3 * 2 * dim;  // three LayerNorms
}
std::size_t transformer_parameters(const nn::TransformerSizes& s) {
    return s.encoder_layers * encoder_layer_parameters(s.dim, s.ff) + 2 * s.dim +  // + the final LayerNorm
           s.decoder_layers * decoder_layer_parameters(s.dim, s.ff) + 2 * s.dim;
}

// An attention that counts its calls (AttentionFunction is a plain function pointer, so the
// count lives outside it) and otherwise is the library's.
int attention_calls = 0;
nn::AttentionResult counting_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Array& keep,
                                       bool scaled) {
    ++attention_calls;
    return nn::scaled_dot_product_attention(q, k, v, keep, scaled);
}
}  // namespace

// ---- scaled_dot_product_attention --------------------------------------------------------------

TEST_CASE("scaled_dot_product_attention computes softmax(q k^T / sqrt(d)) v, as a hand loop does") {
    constexpr std::size_t d = 5, dv = 3;
    const Array q = randn({B, T, d}, 1), k = randn({B, S, d}, 2), v = randn({B, S, dv}, 3);
    const nn::AttentionResult a = nn::scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v));
    const HandAttention expected = hand_attention(q, k, v, xt::ones<float>({B, S}), 1.0 / std::sqrt(5.0));
    REQUIRE(a.output.shape() == Shape{B, T, dv});
    REQUIRE(a.weights.shape() == Shape{B, T, S});
    CHECK(max_difference(a.weights.value(), expected.weights) < 1e-6);
    CHECK(max_difference(a.output.value(), expected.output) < 1e-5);
    // Each row of weights is a distribution over the keys.
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t i = 0; i < T; ++i) {
            double total = 0.0;
            for (std::size_t j = 0; j < S; ++j) total += static_cast<double>(a.weights.value()(b, i, j));
            CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
        }
}

TEST_CASE("scaled_dot_product_attention with scaled false leaves out the 1 / sqrt(d)") {
    constexpr std::size_t d = 4;
    const Array q = randn({B, T, d}, 4), k = randn({B, S, d}, 5), v = randn({B, S, 3}, 6);
    const nn::AttentionResult raw =
        nn::scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), {}, /*scaled=*/false);
    const HandAttention expected = hand_attention(q, k, v, xt::ones<float>({B, S}), /*scale=*/1.0);
    CHECK(max_difference(raw.weights.value(), expected.weights) < 1e-6);
    CHECK(max_difference(raw.output.value(), expected.output) < 1e-5);
    // Unscaled attention on q is scaled attention on q * sqrt(d) (here sqrt(4) = 2, exact in float) ...
    const Array doubled = q * 2.0f;
    const nn::AttentionResult scaled =
        nn::scaled_dot_product_attention(Tensor(doubled), Tensor(k), Tensor(v));
    CHECK(max_difference(raw.weights.value(), scaled.weights.value()) < 1e-6);
    // ... and not scaled attention on q: the scale does change the weights.
    const nn::AttentionResult plain = nn::scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v));
    CHECK(max_difference(raw.weights.value(), plain.weights.value()) > 1e-2);
}

TEST_CASE("scaled_dot_product_attention gives padded keys weight exactly 0 and their k and v zero gradient") {
    // Heads batched: q (B, H, T, d), k and v (B, H, S, d), keep (B, 1, 1, S).
    constexpr std::size_t d = 4;
    Tensor q(randn({B, H, T, d}, 7), true), k(randn({B, H, S, d}, 8), true), v(randn({B, H, S, d}, 9), true);
    const Array keep = key_keep();
    const nn::AttentionResult a = nn::scaled_dot_product_attention(q, k, v, keep);
    REQUIRE(a.weights.shape() == Shape{B, H, T, S});
    // A loss that reaches both results, so every gradient path is used.
    (sum(a.output * Tensor(randn({B, H, T, d}, 10))) + sum(a.weights * Tensor(randn({B, H, T, S}, 11))))
        .backward();
    const Array& w = a.weights.value();
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h) {
            for (std::size_t i = 0; i < T; ++i) {
                double total = 0.0;
                for (std::size_t j = 0; j < S; ++j) total += static_cast<double>(w(b, h, i, j));
                CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
            }
            for (std::size_t j = 0; j < S; ++j) {
                CAPTURE(b);
                CAPTURE(h);
                CAPTURE(j);
                const bool hidden = source_keep()(b, j) == 0.0f;
                double k_grad = 0.0, v_grad = 0.0;
                for (std::size_t c = 0; c < d; ++c) {
                    k_grad += std::abs(static_cast<double>(k.grad()(b, h, j, c)));
                    v_grad += std::abs(static_cast<double>(v.grad()(b, h, j, c)));
                }
                for (std::size_t i = 0; i < T; ++i) {
                    if (hidden)
                        CHECK(w(b, h, i, j) == 0.0f);
                    else
                        CHECK(w(b, h, i, j) > 0.0f);
                }
                if (hidden) {
                    CHECK(k_grad == 0.0);
                    CHECK(v_grad == 0.0);
                } else {  // the real keys do learn
                    CHECK(k_grad > 0.0);
                    CHECK(v_grad > 0.0);
                }
            }
        }
}

TEST_CASE("scaled_dot_product_attention with a causal mask gives future keys weight 0 and no gradient") {
    // q, k, v (B, T, d) with T = S = 4 and keep causal_mask(4) (T, T). A loss read from query i
    // alone: keys j > i are hidden from it, so they get weight exactly 0 and exactly no gradient.
    constexpr std::size_t n = 4, d = 3;
    for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        Tensor q(randn({B, n, d}, 12), true), k(randn({B, n, d}, 13), true), v(randn({B, n, d}, 14), true);
        const nn::AttentionResult a = nn::scaled_dot_product_attention(q, k, v, causal_mask(n));
        const Tensor row_out = select(a.output, 1, i),
                     row_weights = select(a.weights, 1, i);  // (B, d), (B, S)
        (sum(row_out * Tensor(randn({B, d}, 15))) + sum(row_weights * Tensor(randn({B, n}, 16)))).backward();
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t j = 0; j < n; ++j) {
                CAPTURE(j);
                double k_grad = 0.0, v_grad = 0.0;
                for (std::size_t c = 0; c < d; ++c) {
                    k_grad += std::abs(static_cast<double>(k.grad()(b, j, c)));
                    v_grad += std::abs(static_cast<double>(v.grad()(b, j, c)));
                }
                if (j > i) {
                    CHECK(a.weights.value()(b, i, j) == 0.0f);
                    CHECK(k_grad == 0.0);
                    CHECK(v_grad == 0.0);
                } else {
                    CHECK(a.weights.value()(b, i, j) > 0.0f);
                    CHECK(v_grad > 0.0);
                    if (i > 0) CHECK(k_grad > 0.0);  // query 0 sees one key: its softmax is flat 1
                }
            }
    }
}

TEST_CASE("scaled_dot_product_attention names all three shapes when they do not fit") {
    const Tensor q(Array(Shape{2, 3, 4})), k(Array(Shape{2, 5, 4})), v(Array(Shape{2, 5, 3}));
    CHECK(nn::scaled_dot_product_attention(q, k, v).output.shape() == Shape{2, 3, 3});  // these fit
    // d differs between q and k
    check_error<ShapeError>(
        [&] {
            nn::scaled_dot_product_attention(q, Tensor(Array(Shape{2, 5, 3})), v);
        },
        {"scaled_dot_product_attention: q is (2, 3, 4), k (2, 5, 3), v (2, 5, 3)",
         "expected q (..., T, d), k (..., S, d) and v (..., S, dv)"});
    // a value per key
    check_error<ShapeError>(
        [&] {
            nn::scaled_dot_product_attention(q, k, Tensor(Array(Shape{2, 6, 3})));
        },
        {"q is (2, 3, 4), k (2, 5, 4), v (2, 6, 3)"});
    // leading axes differ
    check_error<ShapeError>(
        [&] {
            nn::scaled_dot_product_attention(q, Tensor(Array(Shape{3, 5, 4})), Tensor(Array(Shape{3, 5, 3})));
        },
        {"q is (2, 3, 4), k (3, 5, 4), v (3, 5, 3)", "the same leading axes"});
    // ranks differ, or too few axes
    check_error<ShapeError>(
        [&] {
            nn::scaled_dot_product_attention(q, Tensor(Array(Shape{5, 4})), v);
        },
        {"k (5, 4)"});
    check_error<ShapeError>(
        [&] {
            nn::scaled_dot_product_attention(Tensor(Array(Shape{4})), Tensor(Array(Shape{4})),
                                             Tensor(Array(Shape{4})));
        },
        {"q is (4,)"});
    // no keys at all
    check_error<ShapeError>(
        [&] {
            nn::scaled_dot_product_attention(q, Tensor(Array(Shape{2, 0, 4})), Tensor(Array(Shape{2, 0, 3})));
        },
        {"k (2, 0, 4)", "S >= 1"});
}

TEST_CASE("gradcheck: scaled_dot_product_attention wrt q, k and v, with a padding mask and a causal mask") {
    const Array padding = key_keep();  // (B, 1, 1, S)
    const std::vector<Array> heads = {randn({B, H, T, 4}, 20), randn({B, H, S, 4}, 21),
                                      randn({B, H, S, 3}, 22)};
    check_gradients(
        "attention output, padding",
        [&](const Inputs& x) { return nn::scaled_dot_product_attention(x[0], x[1], x[2], padding).output; },
        heads);
    check_gradients(
        "attention weights, padding",
        [&](const Inputs& x) { return nn::scaled_dot_product_attention(x[0], x[1], x[2], padding).weights; },
        heads);
    const Array causal = causal_mask(S);  // (S, S)
    const std::vector<Array> self = {randn({B, S, 4}, 23), randn({B, S, 4}, 24), randn({B, S, 3}, 25)};
    check_gradients(
        "attention output, causal",
        [&](const Inputs& x) { return nn::scaled_dot_product_attention(x[0], x[1], x[2], causal).output; },
        self);
    check_gradients(
        "attention weights, unscaled, causal",
        [&](const Inputs& x) {
            return nn::scaled_dot_product_attention(x[0], x[1], x[2], causal, /*scaled=*/false).weights;
        },
        self);
}

// ---- split_heads and merge_heads -------------------------------------------------------------

TEST_CASE("split_heads puts head h's features h d to (h + 1) d - 1 at head h and merge_heads undoes it") {
    constexpr std::size_t heads = 3, d = 2;
    const Array x = randn({B, T, heads * d}, 30);  // (B, T, D)
    const Tensor split = nn::split_heads(Tensor(x), heads);
    REQUIRE(split.shape() == Shape{B, heads, T, d});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < heads; ++h)
            for (std::size_t t = 0; t < T; ++t)
                for (std::size_t c = 0; c < d; ++c) CHECK(split.value()(b, h, t, c) == x(b, t, h * d + c));
    CHECK(nn::merge_heads(split).value() == x);
    const Array y = randn({B, heads, T, d}, 31);  // (B, H, T, d)
    const Tensor merged = nn::merge_heads(Tensor(y));
    REQUIRE(merged.shape() == Shape{B, T, heads * d});
    CHECK(nn::split_heads(merged, heads).value() == y);
}

TEST_CASE("split_heads and merge_heads name the shape they cannot split or merge") {
    check_error<ShapeError>(
        [] {
            nn::split_heads(Tensor(Array(Shape{2, 3, 5})), 2);
        },
        {"split_heads: x is (2, 3, 5) for 2 heads", "D a multiple of the heads"});
    check_error<ShapeError>(
        [] {
            nn::split_heads(Tensor(Array(Shape{2, 3, 4})), 0);
        },
        {"x is (2, 3, 4) for 0 heads"});
    check_error<ShapeError>(
        [] {
            nn::split_heads(Tensor(Array(Shape{3, 4})), 2);
        },
        {"x is (3, 4) for 2 heads"});
    check_error<ShapeError>(
        [] {
            nn::merge_heads(Tensor(Array(Shape{2, 3, 4})));
        },
        {"merge_heads: x is (2, 3, 4); expected (B, H, T, d)"});
}

// ---- MultiHeadAttention ----------------------------------------------------------------------

TEST_CASE("MultiHeadAttention equals each head computed alone with its slice of the weights, then W_o") {
    // Head h uses columns [h d, (h + 1) d) of W_q, W_k, W_v and their biases; the heads' outputs
    // side by side (B, T, D) go through the output layer. Computed here one head at a time by the
    // hand loop, from the module's own parameters.
    Rng rng(40);
    const nn::MultiHeadAttention mha(D, H, rng);
    const Array x_query = randn({B, T, D}, 41), x_kv = randn({B, S, D}, 42);
    const nn::AttentionResult got = mha.forward(Tensor(x_query), Tensor(x_kv), key_keep());
    REQUIRE(got.output.shape() == Shape{B, T, D});
    REQUIRE(got.weights.shape() == Shape{B, H, T, S});
    constexpr std::size_t d = D / H;
    std::vector<Tensor> outputs;
    for (std::size_t h = 0; h < H; ++h) {
        CAPTURE(h);
        const std::size_t from = h * d, to = from + d;
        auto head = [&](const nn::Linear& l, const Array& x) {  // (B, ., D) -> (B, ., d)
            return nn::linear(Tensor(x), columns(l.weight, from, to), columns(l.bias, from, to)).value();
        };
        const HandAttention a =
            hand_attention(head(mha.query, x_query), head(mha.key, x_kv), head(mha.value, x_kv),
                           source_keep(), 1.0 / std::sqrt(double(d)));
        CHECK(max_difference(xt::view(got.weights.value(), xt::all(), h), a.weights) < 1e-6);
        outputs.emplace_back(a.output);
    }
    const Tensor expected = mha.output(concat(outputs, 2));  // (B, T, D)
    CHECK(max_difference(got.output.value(), expected.value()) < 1e-5);
    // The heads really differ (one head copied into both would pass the checks above only by chance).
    CHECK(max_difference(xt::view(got.weights.value(), xt::all(), 0),
                         xt::view(got.weights.value(), xt::all(), 1)) > 1e-3);
}

TEST_CASE("MultiHeadAttention project splits the keys and values of x into heads once") {
    Rng rng(43);
    const nn::MultiHeadAttention mha(D, H, rng);
    const Tensor x(randn({B, S, D}, 44)), q(randn({B, T, D}, 45));
    const nn::MultiHeadAttention::KeyValues kv = mha.project(x);
    REQUIRE(kv.keys.shape() == Shape{B, H, S, D / H});
    CHECK(kv.length() == S);
    CHECK(kv.keys.value() == nn::split_heads(mha.key(x), H).value());
    CHECK(kv.values.value() == nn::split_heads(mha.value(x), H).value());
    CHECK(mha.forward(q, kv).output.value() == mha.forward(q, x).output.value());
    CHECK(nn::MultiHeadAttention::KeyValues{}.length() == 0);
    check_error<ShapeError>(
        [&] {
            mha.project(Tensor(Array(Shape{B, S, 6})));
        },
        {"MultiHeadAttention(8, heads=2): keys and values come from x (2, 4, 6)", "expected (B, S, 8)"});
    check_error<ShapeError>(
        [&] {
            mha.forward(Tensor(Array(Shape{B, T, 6})), kv);
        },
        {"queries from (2, 3, 6), keys (2, 2, 4, 4)"});
    check_error<ShapeError>(
        [&] {
            mha.forward(q, mha.project(Tensor(Array(Shape{3, S, D}))));
        },
        {"queries from (2, 3, 8), keys (3, 2, 4, 4)"});
}

TEST_CASE("MultiHeadAttention refuses heads that do not divide the model size") {
    Rng rng(46);
    check_error<ValueError>([&] { nn::MultiHeadAttention(D, 3, rng); },
                            {"MultiHeadAttention: 3 heads do not divide the model size 8"});
    check_error<ValueError>([&] { nn::MultiHeadAttention(D, 0, rng); }, {"0 heads do not divide"});
    CHECK(nn::MultiHeadAttention(D, 8, rng).heads() == 8);  // one feature per head is fine
}

TEST_CASE("gradcheck: MultiHeadAttention output and weights wrt the queries' and the keys' inputs") {
    Rng rng(47);
    const nn::MultiHeadAttention mha(D, H, rng);
    const Array keep = key_keep();
    const std::vector<Array> inputs = {randn({B, T, D}, 48), randn({B, S, D}, 49)};
    check_gradients(
        "MultiHeadAttention output", [&](const Inputs& x) { return mha.forward(x[0], x[1], keep).output; },
        inputs);
    check_gradients(
        "MultiHeadAttention weights", [&](const Inputs& x) { return mha.forward(x[0], x[1], keep).weights; },
        inputs);
    check_gradients("MultiHeadAttention self-attention, causal",
                    [&](const Inputs& x) { return mha.forward(x[0], x[0], causal_mask(S)).output; },
                    {randn({B, S, D}, 50)});
}

TEST_CASE("MultiHeadAttention sends a gradient to all eight of its parameters") {
    Rng rng(51);
    const nn::MultiHeadAttention mha(D, H, rng);
    const Tensor x(randn({B, S, D}, 52));
    sum(mha.forward(x, x, key_keep()).output * Tensor(randn({B, S, D}, 53))).backward();
    const auto params = mha.named_parameters();
    REQUIRE(params.size() == 8);
    for (const auto& [name, p] : params) {
        CAPTURE(name);
        REQUIRE(p.has_grad());
        CHECK(xt::amax(xt::abs(p.grad()))() > 0.0f);
    }
}

// ---- layers ----------------------------------------------------------------------------------

TEST_CASE("gradcheck: EncoderLayer output and weights wrt its input, with padding") {
    Rng rng(60);
    nn::EncoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    layer.eval();
    const Array keep = key_keep();
    check_gradients("EncoderLayer output", [&](const Inputs& x) { return layer.forward(x[0], keep).output; },
                    {randn({B, S, D}, 61)});
    check_gradients("EncoderLayer weights",
                    [&](const Inputs& x) { return layer.forward(x[0], keep).weights; },
                    {randn({B, S, D}, 62)});
}

TEST_CASE("gradcheck: DecoderLayer output wrt its input and the encoder's output, causal and padded") {
    Rng rng(63);
    nn::DecoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    layer.eval();
    const Array keep = key_keep();
    const std::vector<Array> inputs = {randn({B, T, D}, 64), randn({B, S, D}, 65)};
    auto run = [&](const Inputs& x) {
        return layer.forward(x[0], layer.cross_attention.project(x[1]), causal_mask(T), keep);
    };
    check_gradients(
        "DecoderLayer output", [&](const Inputs& x) { return run(x).y; }, inputs);
    check_gradients(
        "DecoderLayer self weights", [&](const Inputs& x) { return run(x).self_weights; }, inputs);
    check_gradients(
        "DecoderLayer cross weights", [&](const Inputs& x) { return run(x).cross_weights; }, inputs);
}

TEST_CASE("DecoderLayer fed one position at a time with a cache gives the outputs of the causal pass") {
    // The key/value cache of incremental decoding: position t attends over the cached keys and
    // values of positions < t and its own — what the causal mask lets it see in one pass.
    constexpr std::size_t n = 5;
    Rng rng(66);
    nn::DecoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    const Array y = randn({B, n, D}, 67);
    const nn::MultiHeadAttention::KeyValues memory =
        layer.cross_attention.project(Tensor(randn({B, S, D}, 68)));
    const nn::DecoderLayer::Output all = layer.forward(Tensor(y), memory, causal_mask(n), key_keep());
    nn::MultiHeadAttention::KeyValues cache;
    for (std::size_t t = 0; t < n; ++t) {
        CAPTURE(t);
        const Tensor y_t(Array(xt::view(y, xt::all(), xt::range(t, t + 1), xt::all())));  // (B, 1, D)
        const nn::DecoderLayer::Output one = layer.forward(y_t, memory, {}, key_keep(), &cache);
        CHECK(cache.length() == t + 1);
        REQUIRE(one.y.shape() == Shape{B, 1, D});
        CHECK(max_difference(one.y.value(), xt::view(all.y.value(), xt::all(), xt::range(t, t + 1))) < 1e-5);
        REQUIRE(one.self_weights.shape() == Shape{B, H, 1, t + 1});  // over the words so far
        CHECK(max_difference(one.self_weights.value(),
                             xt::view(all.self_weights.value(), xt::all(), xt::all(), xt::range(t, t + 1),
                                      xt::range(0, t + 1))) < 1e-6);
        CHECK(max_difference(one.cross_weights.value(), xt::view(all.cross_weights.value(), xt::all(),
                                                                 xt::all(), xt::range(t, t + 1))) < 1e-6);
    }
}

// A cache may be filled several positions at a time (a prefix, then the rest): each new position
// must still see only itself and what comes before it.
TEST_CASE("DecoderLayer fed several positions at once with a cache still hides the later ones") {
    constexpr std::size_t n = 4;
    Rng rng(69);
    nn::DecoderLayer layer(D, H, F, /*dropout=*/0.0f, rng);
    const Array y = randn({B, n, D}, 70);
    const nn::MultiHeadAttention::KeyValues memory =
        layer.cross_attention.project(Tensor(randn({B, S, D}, 71)));
    const Array causal = layer.forward(Tensor(y), memory, causal_mask(n), key_keep()).y.value();
    nn::MultiHeadAttention::KeyValues cache;
    const Array primed = layer.forward(Tensor(y), memory, causal_mask(n), key_keep(), &cache).y.value();
    CHECK(cache.length() == n);
    CHECK(max_difference(primed, causal) < 1e-5);
    // Two positions, then two more on top of them.
    nn::MultiHeadAttention::KeyValues halves;
    const Array first =
        layer.forward(Tensor(Array(xt::view(y, xt::all(), xt::range(0, 2)))), memory, {}, key_keep(), &halves)
            .y.value();
    const Array second =
        layer.forward(Tensor(Array(xt::view(y, xt::all(), xt::range(2, n)))), memory, {}, key_keep(), &halves)
            .y.value();
    CHECK(halves.length() == n);
    CHECK(max_difference(first, xt::view(causal, xt::all(), xt::range(0, 2))) < 1e-5);
    CHECK(max_difference(second, xt::view(causal, xt::all(), xt::range(2, n))) < 1e-5);
}

TEST_CASE("a layer's dropout follows train and eval, and in eval the layer is the one without dropout") {
    // Same seed, same weights: Dropout takes one draw from the Rng whatever its p.
    Rng rng_a(72), rng_b(72);
    nn::EncoderLayer dropping(D, H, F, /*dropout=*/0.5f, rng_a), plain(D, H, F, /*dropout=*/0.0f, rng_b);
    const Tensor x(randn({B, S, D}, 73));
    const Array without = plain.forward(x).output.value();
    CHECK(dropping.training());
    const Array first = dropping.forward(x).output.value(), second = dropping.forward(x).output.value();
    CHECK(max_difference(first, without) > 1e-3);
    CHECK(max_difference(first, second) > 1e-3);  // a new mask on every call
    dropping.eval();
    CHECK_FALSE(dropping.drop.training());  // eval() reaches the child
    CHECK(dropping.forward(x).output.value() == without);
}

// ---- positional encodings --------------------------------------------------------------------

TEST_CASE("sinusoidal_positions is sin(t / 10000^(2i/D)) at 2i and cos at 2i + 1, row 0 is 0 1 0 1") {
    constexpr std::size_t length = 50, dim = 6;
    const Array pe = nn::sinusoidal_positions(length, dim);
    REQUIRE(pe.shape() == Shape{length, dim});
    for (std::size_t c = 0; c < dim; ++c) CHECK(pe(0, c) == (c % 2 == 0 ? 0.0f : 1.0f));
    for (std::size_t t = 0; t < length; ++t)
        for (std::size_t i = 0; i < dim / 2; ++i) {
            const double angle = double(t) / std::pow(10000.0, 2.0 * double(i) / double(dim));
            CHECK(static_cast<double>(pe(t, 2 * i)) == doctest::Approx(std::sin(angle)).epsilon(1e-6));
            CHECK(static_cast<double>(pe(t, 2 * i + 1)) == doctest::Approx(std::cos(angle)).epsilon(1e-6));
        }
    // Worked by hand: PE(1, 0) = sin 1, PE(2, 3) = cos(2 / 10000^(2/6)) = cos(2 / 21.544).
    CHECK(static_cast<double>(pe(1, 0)) == doctest::Approx(0.8414710));
    CHECK(static_cast<double>(pe(2, 3)) == doctest::Approx(0.9956943).epsilon(1e-6));
    check_error<ValueError>([] { nn::sinusoidal_positions(4, 5); },
                            {"sinusoidal_positions: the model size 5 is odd"});
}

TEST_CASE("PositionalEncoding none returns x unchanged and sinusoidal adds rows start to start + T - 1") {
    Rng rng(80);
    constexpr std::size_t max_length = 10, start = 4;
    const Tensor x(randn({B, T, D}, 81));
    const nn::PositionalEncoding none("none", max_length, D, rng);
    CHECK(none.forward(x, start).value() == x.value());
    CHECK(none.num_parameters() == 0);
    CHECK(none.table(3) == xt::zeros<float>({std::size_t{3}, D}));
    const nn::PositionalEncoding sinusoidal("sinusoidal", max_length, D, rng);
    CHECK(sinusoidal.num_parameters() == 0);
    const Array pe = nn::sinusoidal_positions(max_length, D);
    const Array got = sinusoidal(x, start).value();
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t c = 0; c < D; ++c) CHECK(got(b, t, c) == x.value()(b, t, c) + pe(start + t, c));
    CHECK(sinusoidal.table(max_length) == pe);
    CHECK(sinusoidal.describe() == "PositionalEncoding(sinusoidal, 10 positions)");
}

TEST_CASE("PositionalEncoding learned adds rows start to start + T - 1 of its table, which learn") {
    Rng rng(82);
    constexpr std::size_t max_length = 10, start = 2;
    const nn::PositionalEncoding learned("learned", max_length, D, rng);
    const auto params = learned.named_parameters();
    REQUIRE(params.size() == 1);
    CHECK(params[0].first == "table.weight");
    CHECK(params[0].second.shape() == Shape{max_length, D});
    const Array table = params[0].second.value();
    CHECK(learned.table(max_length) == table);
    const Tensor x(randn({B, T, D}, 83), true);
    const Tensor y = learned(x, start);
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t c = 0; c < D; ++c)
                CHECK(y.value()(b, t, c) == x.value()(b, t, c) + table(start + t, c));
    // Row start + t receives the gradient of position t summed over the batch; the other rows none.
    const Array r = randn({B, T, D}, 84);
    sum(y * Tensor(r)).backward();
    const Array& g = params[0].second.grad();
    for (std::size_t p = 0; p < max_length; ++p)
        for (std::size_t c = 0; c < D; ++c) {
            const bool used = p >= start && p < start + T;
            const float expected = used ? r(0, p - start, c) + r(1, p - start, c) : 0.0f;
            CHECK(static_cast<double>(g(p, c)) ==
                  doctest::Approx(static_cast<double>(expected)).epsilon(1e-6));
        }
    check_gradients("PositionalEncoding learned", [&](const Inputs& in) { return learned(in[0], start); },
                    {randn({B, T, D}, 85)});
}

TEST_CASE("PositionalEncoding names the positions it does not have and refuses a kind it does not know") {
    Rng rng(86);
    for (const std::string kind : {"sinusoidal", "learned", "none"}) {
        CAPTURE(kind);
        const nn::PositionalEncoding pe(kind, 6, D, rng);
        CHECK(pe.forward(Tensor(Array(Shape{B, 3, D})), 3).shape() ==
              Shape{B, 3, D});  // positions 3 to 5: fit
        check_error<ValueError>(
            [&] {
                pe.forward(Tensor(Array(Shape{B, 3, D})), 4);
            },
            {"PositionalEncoding(" + kind + ", 6 positions): positions 4 to 6 asked for",
             "this model knows 6"});
        check_error<ValueError>([&] { pe.forward(Tensor(Array(Shape{B, 7, D}))); }, {"positions 0 to 6"});
        check_error<ValueError>([&] { pe.table(7); }, {"asked for 7 positions"});
        check_error<ShapeError>(
            [&] {
                pe.forward(Tensor(Array(Shape{B, 3, 6})));
            },
            {"x is (2, 3, 6); expected (B, T, 8)"});
    }
    check_error<ValueError>(
        [&] { nn::PositionalEncoding("rotary", 6, D, rng); },
        {"PositionalEncoding: unknown kind 'rotary'; expected sinusoidal, learned or none"});
    check_error<ValueError>([&] { nn::PositionalEncoding("sinusoidal", 6, 5, rng); },
                            {"the model size 5 is odd"});
    CHECK(nn::PositionalEncoding("learned", 6, 5, rng).num_parameters() == 30);  // odd D is fine when learned
}

// ---- parameters ------------------------------------------------------------------------------

TEST_CASE("the transformer's parts have as many parameters as their formulas say") {
    Rng rng(90);
    const nn::MultiHeadAttention mha(D, H, rng);
    CHECK(mha.num_parameters() == attention_parameters(D));
    std::vector<std::string> names;
    for (const auto& [name, p] : mha.named_parameters()) names.push_back(name);
    CHECK(names == std::vector<std::string>{"query.weight", "query.bias", "key.weight", "key.bias",
                                            "value.weight", "value.bias", "output.weight", "output.bias"});
    const nn::FeedForward ff(D, F, rng);
    CHECK(ff.num_parameters() == feed_forward_parameters(D, F));
    CHECK(ff.describe() == "FeedForward(8 -> 16 -> 8)");
    const nn::EncoderLayer encoder(D, H, F, 0.1f, rng);
    CHECK(encoder.num_parameters() == encoder_layer_parameters(D, F));
    const nn::DecoderLayer decoder(D, H, F, 0.1f, rng);
    CHECK(decoder.num_parameters() == decoder_layer_parameters(D, F));
    const nn::TransformerSizes sizes = tiny_sizes(2, 3);
    const nn::Transformer transformer(sizes, rng);
    CHECK(transformer.num_parameters() == transformer_parameters(sizes));
    CHECK(transformer.num_parameters(/*trainable_only=*/true) == transformer_parameters(sizes));
    // The numbers for D = 8, F = 16, worked by hand: attention 4 (64 + 8) = 288, feed-forward
    // 256 + 16 + 8 = 280, LayerNorm 16; encoder layer 288 + 280 + 32 = 600, decoder layer
    // 576 + 280 + 48 = 904; 2 + 3 layers and two final LayerNorms 1200 + 2712 + 32 = 3944.
    CHECK(attention_parameters(D) == 288);
    CHECK(feed_forward_parameters(D, F) == 280);
    CHECK(encoder_layer_parameters(D, F) == 600);
    CHECK(decoder_layer_parameters(D, F) == 904);
    CHECK(transformer_parameters(sizes) == 3944);
    // Lesson 4's default sizes: D 128, F 512.
    CHECK(nn::MultiHeadAttention(128, 4, rng).num_parameters() == 4 * (128 * 128 + 128));
    CHECK(nn::FeedForward(128, 512, rng).num_parameters() == 2 * 128 * 512 + 512 + 128);
}

TEST_CASE("Transformer names its layers encoder0 encoder1 ... and decoder0 ... then the final norms") {
    Rng rng(91);
    const nn::Transformer transformer(tiny_sizes(2, 1), rng);
    std::vector<std::string> modules;
    for (const auto& [name, m] : transformer.named_modules())
        if (name.find('.') == std::string::npos && !name.empty()) modules.push_back(name);
    CHECK(modules ==
          std::vector<std::string>{"encoder0", "encoder1", "encoder_norm", "decoder0", "decoder_norm"});
    bool found = false;
    for (const auto& [name, p] : transformer.named_parameters())
        found = found || (name == "decoder0.cross_attention.key.weight" && p.shape() == Shape{D, D});
    CHECK(found);
}

// ---- the stacks ------------------------------------------------------------------------------

TEST_CASE(
    "Transformer::decode with the causal mask: the output at t does not change with the inputs after t") {
    constexpr std::size_t n = 5;
    Rng rng(100);
    const nn::Transformer model(tiny_sizes(1, 2), rng);
    const Array keep = key_keep();
    const auto memory = model.project_memory(model.encode(Tensor(randn({B, S, D}, 101)), keep));
    const Array y = randn({B, n, D}, 102);
    const Array before = model.decode(Tensor(y), memory, causal_mask(n), keep).value();  // (B, n, D)
    for (std::size_t t = 0; t + 1 < n; ++t) {
        CAPTURE(t);
        Array changed = y;
        xt::view(changed, xt::all(), xt::range(t + 1, n), xt::all()) = randn({B, n - t - 1, D}, 103 + t);
        const Array after = model.decode(Tensor(changed), memory, causal_mask(n), keep).value();
        CHECK(max_difference(xt::view(before, xt::all(), xt::range(0, t + 1)),
                             xt::view(after, xt::all(), xt::range(0, t + 1))) < 1e-6);
        CHECK(max_difference(xt::view(before, xt::all(), xt::range(t + 1, n)),
                             xt::view(after, xt::all(), xt::range(t + 1, n))) >
              1e-3);  // the change is read later
        // Without the mask, the earlier positions do read the later ones.
        const Array unmasked = model.decode(Tensor(y), memory, {}, keep).value();
        const Array unmasked_after = model.decode(Tensor(changed), memory, {}, keep).value();
        CHECK(max_difference(xt::view(unmasked, xt::all(), xt::range(0, t + 1)),
                             xt::view(unmasked_after, xt::all(), xt::range(0, t + 1))) > 1e-3);
    }
}

TEST_CASE("Transformer::encode with padding: a padded position's input changes no real position's output") {
    Rng rng(110);
    const nn::Transformer model(tiny_sizes(2, 1), rng);
    const Array keep = key_keep();  // sentence 1 is padded after 2 words
    const Array x = randn({B, S, D}, 111);
    Array changed = x;
    xt::view(changed, 1, xt::range(2, S), xt::all()) = randn({S - 2, D}, 112);
    const Tensor memory = model.encode(Tensor(x), keep), memory_changed = model.encode(Tensor(changed), keep);
    const Array& a = memory.value();
    const Array& b = memory_changed.value();
    CHECK(max_difference(xt::view(a, 0), xt::view(b, 0)) < 1e-6);
    CHECK(max_difference(xt::view(a, 1, xt::range(0, 2)), xt::view(b, 1, xt::range(0, 2))) < 1e-6);
    CHECK(max_difference(xt::view(a, 1, xt::range(2, S)), xt::view(b, 1, xt::range(2, S))) > 1e-3);
    // Nor what the decoder reads from the memory: cross-attention hides the padded keys too.
    const Tensor y(randn({B, T, D}, 113));
    const Array decoded = model.decode(y, model.project_memory(memory), causal_mask(T), keep).value();
    const Array decoded_changed =
        model.decode(y, model.project_memory(memory_changed), causal_mask(T), keep).value();
    CHECK(max_difference(decoded, decoded_changed) < 1e-6);
    // Without the padding mask the real positions would read the padded ones.
    CHECK(max_difference(xt::view(model.encode(Tensor(x), {}).value(), 1, xt::range(0, 2)),
                         xt::view(model.encode(Tensor(changed), {}).value(), 1, xt::range(0, 2))) > 1e-3);
}

TEST_CASE("Transformer returns every layer's attention weights, (B, H, T, S), rows summing to 1") {
    constexpr std::size_t n = 3;  // target positions
    Rng rng(120);
    const nn::Transformer model(tiny_sizes(2, 3), rng);
    const Array keep = key_keep();
    nn::Transformer::Weights w;
    const Tensor memory = model.encode(Tensor(randn({B, S, D}, 121)), keep, &w);
    CHECK(memory.shape() == Shape{B, S, D});
    CHECK(w.decoder_self.empty());
    const Tensor out =
        model.decode(Tensor(randn({B, n, D}, 122)), model.project_memory(memory), causal_mask(n), keep, &w);
    CHECK(out.shape() == Shape{B, n, D});
    REQUIRE(w.encoder_self.size() == 2);
    REQUIRE(w.decoder_self.size() == 3);
    REQUIRE(w.decoder_cross.size() == 3);
    auto check_rows = [](const Tensor& weights, const Shape& shape, auto kept) {
        REQUIRE(weights.shape() == shape);
        const Array& a = weights.value();
        for (std::size_t b = 0; b < shape[0]; ++b)
            for (std::size_t h = 0; h < shape[1]; ++h)
                for (std::size_t i = 0; i < shape[2]; ++i) {
                    double total = 0.0;
                    for (std::size_t j = 0; j < shape[3]; ++j) {
                        if (!kept(b, i, j)) CHECK(a(b, h, i, j) == 0.0f);
                        total += static_cast<double>(a(b, h, i, j));
                    }
                    CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
                }
    };
    const Array padding = source_keep();
    auto real_key = [&](std::size_t b, std::size_t, std::size_t j) { return padding(b, j) != 0.0f; };
    auto past_key = [](std::size_t, std::size_t i, std::size_t j) { return j <= i; };
    for (const Tensor& e : w.encoder_self) check_rows(e, Shape{B, H, S, S}, real_key);
    for (const Tensor& s : w.decoder_self) check_rows(s, Shape{B, H, n, n}, past_key);
    for (const Tensor& c : w.decoder_cross) check_rows(c, Shape{B, H, n, S}, real_key);
    // Each layer's own weights, not one layer's repeated.
    CHECK(max_difference(w.decoder_cross[0].value(), w.decoder_cross[2].value()) > 1e-4);
}

TEST_CASE("Transformer::decode needs one memory and one cache entry per decoder layer") {
    Rng rng(130);
    const nn::Transformer model(tiny_sizes(1, 2), rng);
    const auto memory = model.project_memory(model.encode(Tensor(randn({B, S, D}, 131)), {}));
    REQUIRE(memory.size() == 2);
    const Tensor y(randn({B, 1, D}, 132));
    const std::vector<nn::MultiHeadAttention::KeyValues> one(memory.begin(), memory.begin() + 1);
    check_error<ValueError>([&] { model.decode(y, one, {}, {}); },
                            {"needs one memory (and cache) entry per decoder layer, 2; got 1"});
    std::vector<nn::MultiHeadAttention::KeyValues> cache(3);
    check_error<ValueError>([&] { model.decode(y, memory, {}, {}, nullptr, &cache); }, {"got 2 and 3"});
}

TEST_CASE("Transformer set_attention makes every attention of every layer call the given function") {
    Rng rng(140);
    nn::TransformerSizes sizes = tiny_sizes(2, 3);
    sizes.scaled = false;
    nn::Transformer model(sizes, rng);
    CHECK(model.describe() == "Transformer(D=8, heads=2, ff=16, 2 + 3 layers, unscaled)");
    CHECK_FALSE(model.encoder[1]->attention.scaled);  // sizes.scaled reaches every attention
    CHECK_FALSE(model.decoder[2]->cross_attention.scaled);
    const Tensor x(randn({B, S, D}, 141)), y(randn({B, T, D}, 142));
    auto run = [&] {
        return model.decode(y, model.project_memory(model.encode(x, key_keep())), causal_mask(T), key_keep())
            .value();
    };
    const Array library = run();
    model.set_attention(counting_attention);
    attention_calls = 0;
    CHECK(run() == library);  // the same computation, through the given function
    CHECK(attention_calls == 2 + 2 * 3);
    CHECK_FALSE(model.decoder[0]->self_attention.scaled);  // set_attention keeps sizes.scaled
}
