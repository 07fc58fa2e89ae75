// Attention (nn/attention.hpp): the additive score against a hand loop, gradients against
// finite differences, padding that gets exactly nothing, parameters, names and errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

#include "../support/error_of.hpp"
#include "../support/gradients.hpp"

using namespace dikkat;
using Inputs = std::vector<Tensor>;

namespace attention_test {
// Small sizes for the checks: B batch, S source positions, A attention size, D* input sizes.
constexpr std::size_t B = 2, S = 4, A = 3, Dq = 5, Dk = 4, Dv = 3;

// The second sequence is 2 tokens long, padded to S = 4.
Array two_padded() { return padding_mask({S, 2}, S); }  // (B, S)

// Gradient checks of one attention step wrt query, keys and values: the context and the
// weights, with the second sequence padded.
void check_attention(const nn::Attention& att, const std::string& name) {
    const Array keep = two_padded();
    const std::vector<Array> inputs = {randn({B, Dq}, 11), randn({B, S, Dk}, 12), randn({B, S, Dv}, 13)};
    check_gradients(
        name + " context",
        [&](const Inputs& x) { return att(x[0], att.project_keys(x[1]), x[2], keep).context; }, inputs);
    check_gradients(
        name + " weights",
        [&](const Inputs& x) { return att(x[0], att.project_keys(x[1]), x[2], keep).weights; }, inputs);
}

// Padded positions: weight exactly 0, keys and values exactly zero gradient; the weights of
// each row sum to 1 over the real positions.
void check_padding(const nn::Attention& att) {
    Rng rng(5);
    const Array keep = two_padded();
    Tensor query(rng.normal_array({B, Dq}), true);
    Tensor keys(rng.normal_array({B, S, Dk}), true);
    Tensor values(rng.normal_array({B, S, Dv}), true);
    const nn::Attention::Output out = att(query, att.project_keys(keys), values, keep);
    CHECK(out.context.shape() == Shape{B, Dv});
    CHECK(out.weights.shape() == Shape{B, S});
    // A loss that reaches both outputs, so every gradient path is used.
    (sum(out.context * out.context) + sum(out.weights * Tensor(rng.normal_array({B, S})))).backward();
    for (std::size_t b = 0; b < B; ++b) {
        double total = 0.0;
        for (std::size_t j = 0; j < S; ++j) {
            const float w = out.weights.value()(b, j);
            if (keep(b, j) == 0.0f) {
                CHECK(w == 0.0f);
                for (std::size_t d = 0; d < Dk; ++d) CHECK(keys.grad()(b, j, d) == 0.0f);
                for (std::size_t d = 0; d < Dv; ++d) CHECK(values.grad()(b, j, d) == 0.0f);
            } else {
                CHECK(w > 0.0f);
                CHECK(std::abs(keys.grad()(b, j, 0)) > 0.0f);  // real positions do learn
                total += static_cast<double>(w);
            }
        }
        CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
    }
}

// context_b = sum_j weights_bj values_bj, by hand.
void check_context_is_weighted_sum(const nn::Attention& att) {
    Rng rng(6);
    const Tensor values(rng.normal_array({B, S, Dv}));
    const auto out = att(Tensor(rng.normal_array({B, Dq})),
                         att.project_keys(Tensor(rng.normal_array({B, S, Dk}))), values, two_padded());
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t d = 0; d < Dv; ++d) {
            double c = 0.0;
            for (std::size_t j = 0; j < S; ++j)
                c += static_cast<double>(out.weights.value()(b, j)) *
                     static_cast<double>(values.value()(b, j, d));
            CHECK(static_cast<double>(out.context.value()(b, d)) == doctest::Approx(c).epsilon(1e-5));
        }
}

// ---- additive_scores -----------------------------------------------------------------------

TEST_CASE("additive_scores computes e_bj = v . tanh(q_b + k_bj), as a hand loop does") {
    Rng rng(1);
    const Tensor q(rng.normal_array({B, A})), k(rng.normal_array({B, S, A})), v(rng.normal_array({A}));
    const Tensor e = additive_scores(q, k, v);
    REQUIRE(e.shape() == Shape{B, S});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t j = 0; j < S; ++j) {
            double expected = 0.0;
            for (std::size_t a = 0; a < A; ++a)
                expected +=
                    static_cast<double>(v.value()(a)) *
                    std::tanh(static_cast<double>(q.value()(b, a)) + static_cast<double>(k.value()(b, j, a)));
            CHECK(static_cast<double>(e.value()(b, j)) == doctest::Approx(expected).epsilon(1e-5));
        }
}

TEST_CASE("gradcheck: additive_scores wrt q, k and v") {
    check_gradients("additive_scores", [](const Inputs& x) { return additive_scores(x[0], x[1], x[2]); },
                    {randn({B, A}, 1), randn({B, S, A}, 2), randn({A}, 3)});
}

TEST_CASE("additive_scores, one op, gives the values and gradients of its composition from ops") {
    // A = 37: whole SIMD batches and a remainder. The composition is lesson 3's exercise.
    const std::size_t b = 3, s = 5, a = 37;
    const Tensor q(randn({b, a}, 21), true), k(randn({b, s, a}, 22), true), v(randn({a}, 23), true);
    const Tensor q2(q.value(), true), k2(k.value(), true), v2(v.value(), true);
    const Tensor w(randn({b, s}, 24));  // a loss that weighs every score differently
    const Tensor fused = additive_scores(q, k, v);
    const auto B2 = static_cast<std::ptrdiff_t>(b), S2 = static_cast<std::ptrdiff_t>(s);
    const Tensor composed =
        reshape(matmul(tanh(k2 + reshape(q2, {B2, 1, -1})), reshape(v2, {-1, 1})), {B2, S2});
    CHECK(xt::allclose(fused.value(), composed.value(), 1e-5, 1e-6));
    sum(fused * w).backward();
    sum(composed * w).backward();
    CHECK(xt::allclose(q.grad(), q2.grad(), 1e-5, 1e-6));
    CHECK(xt::allclose(k.grad(), k2.grad(), 1e-5, 1e-6));
    CHECK(xt::allclose(v.grad(), v2.grad(), 1e-5, 1e-6));
}

TEST_CASE("gradcheck: additive_scores with whole SIMD batches and a remainder (A = 19)") {
    check_gradients("additive_scores", [](const Inputs& x) { return additive_scores(x[0], x[1], x[2]); },
                    {randn({B, 19}, 4), randn({B, S, 19}, 5), randn({19}, 6)});
}

TEST_CASE("additive_scores names all three shapes when they do not fit") {
    const Tensor q(Array(Shape{2, 3})), k(Array(Shape{2, 4, 5})), v(Array(Shape{3}));
    CHECK_THROWS_WITH_AS(
        additive_scores(q, k, v),
        doctest::Contains(
            "additive_scores: q is (2, 3), k is (2, 4, 5), v is (3,); expected q (B, A), k (B, S, A)"),
        ShapeError);
    const Tensor k_other_batch(Array(Shape{3, 4, 3}));
    CHECK_THROWS_AS(additive_scores(q, k_other_batch, v), ShapeError);
    const Tensor v_wrong(Array(Shape{4}));
    CHECK_THROWS_AS(additive_scores(q, Tensor(Array(Shape{2, 4, 3})), v_wrong), ShapeError);
}

// ---- AdditiveAttention ---------------------------------------------------------------------

TEST_CASE("AdditiveAttention has query.weight (Dq, A), key.weight (Dk, A), key.bias (A) and v (A)") {
    Rng rng(0);
    nn::AdditiveAttention att(/*query=*/Dq, /*key=*/Dk, /*attention=*/A, rng);
    const auto params = att.named_parameters();
    REQUIRE(params.size() == 4);
    // A module's own parameters are listed before its children's: v first.
    CHECK(params[0].first == "v");
    CHECK(params[0].second.shape() == Shape{A});
    CHECK(params[1].first == "query.weight");
    CHECK(params[1].second.shape() == Shape{Dq, A});
    CHECK(params[2].first == "key.weight");
    CHECK(params[2].second.shape() == Shape{Dk, A});
    CHECK(params[3].first == "key.bias");
    CHECK(params[3].second.shape() == Shape{A});
    CHECK(params[0].second.name() == "v");  // the tensors carry their names (anomaly messages, DOT)
    CHECK(params[1].second.name() == "query.weight");
    CHECK(att.num_parameters() == Dq * A + Dk * A + A + A);
    CHECK_FALSE(att.query.bias.defined());
    CHECK(att.describe() == "AdditiveAttention(5, 4, 3)");
    nn::AdditiveAttention lesson(/*query=*/256, /*key=*/256, /*attention=*/128, rng);  // lesson 3's sizes
    CHECK(lesson.num_parameters() == 256 * 128 + 256 * 128 + 2 * 128);
}

TEST_CASE("AdditiveAttention draws v from U(-1/sqrt(A), 1/sqrt(A))") {
    Rng rng(0);
    nn::AdditiveAttention att(8, 8, /*attention=*/4096, rng);
    const float r = 1.0f / 64.0f;
    CHECK(xt::amax(xt::abs(att.v.value()))() <= r);
    CHECK(xt::amin(att.v.value())() < -0.95f * r);  // reaches both ends
    CHECK(xt::amax(att.v.value())() > 0.95f * r);
}

TEST_CASE("AdditiveAttention projects the keys once: h W_k + b, (B, S, Dk) -> (B, S, A)") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    const Tensor keys(rng.normal_array({B, S, Dk}));
    const Tensor pk = att.project_keys(keys);
    CHECK(pk.shape() == Shape{B, S, A});
    CHECK(pk.value() == att.key(keys).value());
    // Its scores are additive_scores of the projected query, s W_q.
    const Tensor s(rng.normal_array({B, Dq}));
    CHECK(att.scores(s, pk).value() == additive_scores(matmul(s, att.query.weight), pk, att.v).value());
}

TEST_CASE("gradcheck: AdditiveAttention context and weights wrt query, keys and values, with padding") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    check_attention(att, "AdditiveAttention");
}

TEST_CASE("AdditiveAttention gives padding weight exactly 0 and its keys and values zero gradient") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    check_padding(att);
}

TEST_CASE("AdditiveAttention's context is the weighted sum of the values") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    check_context_is_weighted_sum(att);
}

TEST_CASE("AdditiveAttention sends gradients to all four parameters") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    const Tensor keys(rng.normal_array({B, S, Dk}));
    sum(att(Tensor(rng.normal_array({B, Dq})), att.project_keys(keys), keys).context).backward();
    for (const auto& [name, p] : att.named_parameters()) {
        const std::string& parameter = name;  // CAPTURE cannot take a structured binding (C++17)
        CAPTURE(parameter);
        REQUIRE(p.has_grad());
        CHECK(xt::amax(xt::abs(p.grad()))() > 0.0f);
    }
}

// ---- DotAttention --------------------------------------------------------------------------

TEST_CASE("DotAttention has one parameter, query.weight (Dq, Dk)") {
    Rng rng(0);
    nn::DotAttention att(Dq, Dk, rng);
    const auto params = att.named_parameters();
    REQUIRE(params.size() == 1);
    CHECK(params[0].first == "query.weight");
    CHECK(params[0].second.shape() == Shape{Dq, Dk});
    CHECK(att.num_parameters() == Dq * Dk);
    CHECK(att.describe() == "DotAttention(5, 4)");
}

TEST_CASE("DotAttention scores (s W) . h_j and uses the keys as they are") {
    Rng rng(0);
    nn::DotAttention att(Dq, Dk, rng);
    const Tensor keys(rng.normal_array({B, S, Dk}));
    CHECK(att.project_keys(keys).node_ptr() == keys.node_ptr());  // the same tensor, not a copy
    const Tensor s(rng.normal_array({B, Dq}));
    const Tensor e = att.scores(s, keys);
    REQUIRE(e.shape() == Shape{B, S});
    const Array q = matmul(s, att.query.weight).value();  // (B, Dq) @ (Dq, Dk) -> (B, Dk)
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t j = 0; j < S; ++j) {
            double expected = 0.0;
            for (std::size_t d = 0; d < Dk; ++d)
                expected += static_cast<double>(q(b, d)) * static_cast<double>(keys.value()(b, j, d));
            CHECK(static_cast<double>(e.value()(b, j)) == doctest::Approx(expected).epsilon(1e-5));
        }
}

TEST_CASE("gradcheck: DotAttention context and weights wrt query, keys and values, with padding") {
    Rng rng(0);
    nn::DotAttention att(Dq, Dk, rng);
    check_attention(att, "DotAttention");
}

TEST_CASE("DotAttention gives padding weight exactly 0 and its keys and values zero gradient") {
    Rng rng(0);
    nn::DotAttention att(Dq, Dk, rng);
    check_padding(att);
}

TEST_CASE("DotAttention's context is the weighted sum of the values") {
    Rng rng(0);
    nn::DotAttention att(Dq, Dk, rng);
    check_context_is_weighted_sum(att);
}

// ---- both ----------------------------------------------------------------------------------

TEST_CASE("make_attention builds either score behind one interface") {
    Rng rng(0);
    const std::shared_ptr<nn::Attention> additive = nn::make_attention("additive", Dq, Dk, A, rng);
    const std::shared_ptr<nn::Attention> dot = nn::make_attention("dot", Dq, Dk, A, rng);
    CHECK(additive->describe() == "AdditiveAttention(5, 4, 3)");
    CHECK(dot->describe() == "DotAttention(5, 4)");
    CHECK(additive->projected_size() == A);
    CHECK(dot->projected_size() == Dk);
    for (const auto& att : {additive, dot}) {  // the same calls, whichever the score
        const Tensor keys(rng.normal_array({B, S, Dk}));
        const auto out = (*att)(Tensor(rng.normal_array({B, Dq})), att->project_keys(keys), keys);
        CHECK(out.context.shape() == Shape{B, Dk});
        CHECK(out.weights.shape() == Shape{B, S});
    }
    CHECK_THROWS_WITH_AS(nn::make_attention("bahdanau", Dq, Dk, A, rng),
                         "unknown attention score 'bahdanau': expected additive or dot", ValueError);
}

TEST_CASE("without keep every position is attended, and a row with no real token gets uniform weights") {
    Rng rng(0);
    for (const std::string score : {"additive", "dot"}) {
        CAPTURE(score);
        const auto att = nn::make_attention(score, Dq, Dk, A, rng);
        const Tensor query(rng.normal_array({B, Dq})), keys(rng.normal_array({B, S, Dk}));
        const Tensor pk = att->project_keys(keys);
        const Array all = (*att)(query, pk, keys).weights.value();
        CHECK(xt::all(all > 0.0f));
        CHECK(all == (*att)(query, pk, keys, xt::ones<float>({B, S})).weights.value());
        Array keep = xt::ones<float>({B, S});
        xt::view(keep, 1) = 0.0f;  // sequence 1 has no real token at all
        const Array w = (*att)(query, pk, keys, keep).weights.value();
        for (std::size_t j = 0; j < S; ++j) CHECK(w(1, j) == doctest::Approx(1.0 / S));  // not NaN
    }
}

TEST_CASE("attention names the module and every shape when they do not fit") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    const Tensor query(Array(Shape{B, Dq})), keys(Array(Shape{B, S, Dk})), values(Array(Shape{B, S, Dv}));
    const Tensor pk = att.project_keys(keys);
    // project_keys: keys must be (B, S, Dk)
    check_error<ShapeError>(
        [&] {
            att.project_keys(Tensor(Array(Shape{B, S, 7})));
        },
        {"AdditiveAttention(5, 4, 3): keys are (2, 4, 7); expected (B, S, 4)"});
    check_error<ShapeError>([&] { att.project_keys(Tensor(Array(Shape{B, Dk}))); }, {"keys are (2, 4)"});
    // forward: query (B, Dq)
    check_error<ShapeError>(
        [&] {
            att(Tensor(Array(Shape{B, 6})), pk, values);
        },
        {"AdditiveAttention(5, 4, 3): query is (2, 6), projected keys (2, 4, 3), values (2, 4, 3)",
         "expected query (B, 5)"});
    // projected keys of another batch, or not projected at all
    check_error<ShapeError>(
        [&] {
            att(Tensor(Array(Shape{3, Dq})), pk, values);
        },
        {"query is (3, 5)", "expected projected keys (3, S, 3), from project_keys()"});
    check_error<ShapeError>([&] { att(query, keys, values); },
                            {"projected keys (2, 4, 4)", "from project_keys()"});
    // values: one per key
    check_error<ShapeError>(
        [&] {
            att(query, pk, Tensor(Array(Shape{B, 5, Dv})));
        },
        {"values (2, 5, 3)", "expected values (2, 4, Dv), one per key"});
    // keep must be (B, S)
    check_error<ShapeError>(
        [&] {
            att(query, pk, values, xt::ones<float>(Shape{B, 5}));
        },
        {"keep (2, 5)", "expected keep (2, 4)"});
    check_error<ShapeError>(
        [&] {
            att(query, pk, values, xt::ones<float>(Shape{B, 1, S}));
        },
        {"keep (2, 1, 4)"});
    // scores() checks too
    check_error<ShapeError>([&] { att.scores(Tensor(Array(Shape{Dq})), pk); }, {"query is (5,)"});
    nn::DotAttention dot(Dq, Dk, rng);
    check_error<ShapeError>([&] { dot(query, pk, values); },
                            {"DotAttention(5, 4): query is (2, 5), projected keys (2, 4, 3)",
                             "expected projected keys (2, S, 4)"});
    check_error<ShapeError>([&] { dot.scores(Tensor(Array(Shape{Dq})), keys); },
                            {"DotAttention(5, 4): query is (5,)"});
}

TEST_CASE("attention under NoGrad builds no graph (greedy decoding)") {
    Rng rng(0);
    nn::AdditiveAttention att(Dq, Dk, A, rng);
    NoGrad no_grad;
    const Tensor keys(rng.normal_array({B, S, Dk}));
    const auto out = att(Tensor(rng.normal_array({B, Dq})), att.project_keys(keys), keys, two_padded());
    CHECK_FALSE(out.context.requires_grad());
    CHECK(out.context.node().is_leaf());
}
}  // namespace attention_test
