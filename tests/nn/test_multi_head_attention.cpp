// Attention in nn/transformer.hpp: scaled dot-product attention against a hand loop, masks
// that hide exactly, heads split and merged, multi-head attention against one head at a time,
// gradients against finite differences.
//
//     B batch, T query positions, S key positions, D model size, H heads, d = D / H
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

#include "../support/error_of.hpp"
#include "../support/gradients.hpp"
#include "transformer_test_util.hpp"

using namespace dikkat;
namespace transformer_test {
using Inputs = std::vector<Tensor>;

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
        const std::string& parameter = name;  // CAPTURE cannot take a structured binding (C++17)
        CAPTURE(parameter);
        REQUIRE(p.has_grad());
        CHECK(xt::amax(xt::abs(p.grad()))() > 0.0f);
    }
}
}  // namespace transformer_test
