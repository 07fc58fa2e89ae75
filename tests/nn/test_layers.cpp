// The layers: shapes, initialisation as PyTorch does it, forward values, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <dikkat/gradcheck.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

using namespace dikkat;

TEST_CASE("Linear has weight (in, out) and bias (out): in*out + out parameters") {
    Rng rng(0);
    nn::Linear fc(/*in=*/5, /*out=*/3, rng);
    CHECK(fc.weight.shape() == Shape{5, 3});
    CHECK(fc.bias.shape() == Shape{3});
    CHECK(fc.num_parameters() == 5 * 3 + 3);
    nn::Linear no_bias(5, 3, rng, /*bias=*/false);
    CHECK(no_bias.num_parameters() == 15);
    CHECK_FALSE(no_bias.bias.defined());
    CHECK(no_bias.describe() == "Linear(5, 3, bias=false)");
}

TEST_CASE("Linear initialises weight and bias from U(-1/sqrt(in), 1/sqrt(in)), as PyTorch") {
    Rng rng(0);
    nn::Linear fc(/*in=*/64, /*out=*/256, rng);
    const float k = 1.0f / 8.0f;
    CHECK(xt::amax(xt::abs(fc.weight.value()))() <= k);
    CHECK(xt::amax(xt::abs(fc.bias.value()))() <= k);
    // A uniform on [-k, k] has variance k^2/3; 16k draws estimate it within a few percent.
    const double var = static_cast<double>(xt::mean(fc.weight.value() * fc.weight.value())());
    CHECK(var == doctest::Approx(static_cast<double>(k * k) / 3.0).epsilon(0.05));
    CHECK(std::abs(xt::mean(fc.weight.value())()) < 0.01f * k);  // centred on 0
    CHECK(xt::amin(fc.weight.value())() < -0.99f * k);           // reaches both ends
    CHECK(xt::amax(fc.weight.value())() > 0.99f * k);
}

TEST_CASE("the same seed gives the same initial weights") {
    Rng a(42), b(42), c(43);
    nn::Linear fa(4, 4, a), fb(4, 4, b), fc(4, 4, c);
    CHECK(fa.weight.value() == fb.weight.value());
    CHECK(fa.weight.value() != fc.weight.value());
}

TEST_CASE("Linear computes x W + b for any number of leading axes") {
    Rng rng(0);
    nn::Linear fc(2, 3, rng);
    fc.weight.mutable_value() = Array{{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}};
    fc.bias.mutable_value() = Array{0.5f, -0.5f, 0.0f};
    const Array expected_row = {1.0f + 8.0f + 0.5f, 2.0f + 10.0f - 0.5f, 3.0f + 12.0f};  // x = (1, 2)
    CHECK(fc(Tensor(Array{1.0f, 2.0f})).value() == expected_row);                        // (2) -> (3)
    Tensor batch(Array{{{1.0f, 2.0f}}, {{1.0f, 2.0f}}});                                 // (2, 1, 2)
    Tensor y = fc(batch);
    CHECK(y.shape() == Shape{2, 1, 3});
    CHECK(xt::view(y.value(), 1, 0) == expected_row);
}

TEST_CASE("Linear names itself and the input shape when the last axis is wrong") {
    Rng rng(0);
    nn::Linear fc(3, 2, rng);
    try {
        fc(Tensor(Array(Shape{4, 5})));
        FAIL("expected ShapeError");
    } catch (const ShapeError& e) {
        const std::string msg = e.what();
        CHECK(msg.find("Linear(3, 2)") != std::string::npos);
        CHECK(msg.find("(4, 5)") != std::string::npos);
    }
}

TEST_CASE("Linear sends gradients to x, weight and bias: for L = sum(y), dW = x^T 1, db = B") {
    Rng rng(0);
    nn::Linear fc(3, 2, rng);
    Tensor x(rng.normal_array({4, 3}), /*requires_grad=*/true);
    sum(fc(x)).backward();
    const Array col_sums = xt::sum(x.value(), {0});  // (3)
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j) CHECK(fc.weight.grad()(i, j) == doctest::Approx(col_sums(i)));
    CHECK(fc.bias.grad() == Array{4.0f, 4.0f});
    const Array row_sums = xt::sum(fc.weight.value(), {1});  // dx[b, i] = sum_j W[i, j]
    CHECK(xt::allclose(xt::view(x.grad(), 2), row_sums));
}

TEST_CASE("nn::linear is Linear's math as a function: the same y = x W + b, with or without a bias") {
    Rng rng(0);
    nn::Linear fc(/*in=*/3, /*out=*/2, rng);
    for (const Shape& shape : {Shape{3}, Shape{4, 3}, Shape{2, 5, 3}}) {
        Tensor x(rng.normal_array(shape));
        CHECK(nn::linear(x, fc.weight, fc.bias).value() == fc(x).value());
    }
    const Tensor x(rng.normal_array({4, 3}));
    CHECK(nn::linear(x, fc.weight).value() == matmul(x, fc.weight).value());  // no bias
    const GradcheckResult r =
        gradcheck("linear", [](const std::vector<Tensor>& in) { return nn::linear(in[0], in[1], in[2]); },
                  {rng.normal_array({4, 3}), rng.normal_array({3, 2}), rng.normal_array({2})});
    CHECK_MESSAGE(r.passed, r.summary());
}

TEST_CASE("nn::linear names every shape when they do not fit") {
    const Tensor x(Array(Shape{4, 5})), W(Array(Shape{3, 2})), b(Array(Shape{3}));
    CHECK_THROWS_WITH_AS(
        nn::linear(x, W),
        doctest::Contains("linear: x is (4, 5), W is (3, 2); x's last axis must equal W.shape[0] (5 vs 3)"),
        ShapeError);
    const Tensor x3(Array(Shape{4, 3}));
    CHECK_THROWS_WITH_AS(nn::linear(x3, W, b), doctest::Contains("b must be (out) = (2,)"), ShapeError);
    CHECK_THROWS_WITH_AS(nn::linear(x3, Tensor(Array(Shape{3}))), doctest::Contains("W must be (in, out)"),
                         ShapeError);
}

TEST_CASE("Embedding has (V, D) weights drawn from N(0, 1), as PyTorch") {
    Rng rng(0);
    nn::Embedding emb(/*V=*/200, /*D=*/100, rng);
    CHECK(emb.weight.shape() == Shape{200, 100});
    CHECK(emb.num_parameters() == 20000);
    const double mean = static_cast<double>(xt::mean(emb.weight.value())());
    const double var = static_cast<double>(xt::variance(emb.weight.value())());
    CHECK(std::abs(mean) < 0.03);
    CHECK(var == doctest::Approx(1.0).epsilon(0.05));
}

TEST_CASE("Embedding looks up rows: ids (B, T) give (B, T, D)") {
    Rng rng(0);
    nn::Embedding emb(5, 3, rng);
    IndexArray ids = {{0, 4}, {4, 2}};
    Tensor y = emb(ids);
    CHECK(y.shape() == Shape{2, 2, 3});
    CHECK(xt::view(y.value(), 1, 0) == xt::view(emb.weight.value(), 4));
    CHECK_THROWS_AS(emb(IndexArray{5}), ValueError);
}

TEST_CASE("LayerNorm starts with weight 1 and bias 0, so it only normalises") {
    nn::LayerNorm ln(4);
    CHECK(ln.weight.value() == xt::ones<float>(Shape{4}));
    CHECK(ln.bias.value() == xt::zeros<float>(Shape{4}));
    CHECK(ln.num_parameters() == 8);
    Tensor y = ln(Tensor(Array{{1.0f, 2.0f, 3.0f, 4.0f}}));
    CHECK(std::abs(xt::mean(y.value())()) < 1e-6f);
    CHECK(xt::variance(y.value())() == doctest::Approx(1.0f).epsilon(1e-4));
    CHECK_THROWS_AS(ln(Tensor(Array(Shape{2, 3}))), ShapeError);
}

TEST_CASE("Dropout has no parameters, drops in training and passes through in eval") {
    Rng rng(0);
    nn::Dropout drop(0.5f, rng);
    CHECK(drop.num_parameters() == 0);
    Tensor x(xt::ones<float>(Shape{1000}));
    const Array trained = drop(x).value();
    const float zeros = static_cast<float>(xt::sum(xt::equal(trained, 0.0f))());
    CHECK(zeros > 400.0f);
    CHECK(zeros < 600.0f);
    CHECK(xt::amax(trained)() == 2.0f);  // survivors scaled by 1/(1-p)
    drop.eval();
    CHECK(drop(x).value() == x.value());
    CHECK_THROWS_AS(nn::Dropout(1.0f, rng), ValueError);
}

TEST_CASE("Dropout with the same seed draws the same masks") {
    nn::Dropout a(0.3f, std::uint64_t{7}), b(0.3f, std::uint64_t{7});
    Tensor x(xt::ones<float>(Shape{64}));
    CHECK(a(x).value() == b(x).value());
    CHECK(a(x).value() == b(x).value());
}

TEST_CASE("Sequential numbers its steps from 0, functions included, and applies them in order") {
    Rng rng(0);
    nn::Sequential mlp;
    auto& first = mlp.add<nn::Linear>(4, 8, rng);
    mlp.add(relu, "relu");
    mlp.add<nn::Linear>(8, 2, rng);
    CHECK(mlp.size() == 3);
    CHECK(mlp.num_parameters() == 4 * 8 + 8 + 8 * 2 + 2);
    CHECK(mlp.named_parameters()[2].first == "2.weight");
    Tensor x(rng.normal_array({5, 4}));
    Tensor by_hand =
        matmul(relu(first(x)), mlp.named_parameters()[2].second) + mlp.named_parameters()[3].second;
    CHECK(xt::allclose(mlp(x).value(), by_hand.value()));
    CHECK(mlp.describe() == "Sequential(Linear(4, 8), relu, Linear(8, 2))");
}

// ---- weight tying ---------------------------------------------------------------------------

namespace {
// A tiny language model whose output layer reuses the embedding's matrix.
struct TiedLM : nn::Module {
    nn::Embedding embed;
    nn::TiedLinear head;
    explicit TiedLM(Rng& rng) : embed(/*V=*/7, /*D=*/4, rng), head(embed, /*with_bias=*/true) {
        register_module("embed", embed);
        register_module("head", head);
    }
    Tensor forward(const IndexArray& ids) const { return head(tanh(embed(ids))); }  // (B, T) -> (B, T, V)
};
}  // namespace

TEST_CASE("TiedLinear holds the embedding's own tensor and computes h W^T + b without copying W") {
    Rng rng(0);
    TiedLM m(rng);
    CHECK(m.head.weight.node_ptr() == m.embed.weight.node_ptr());  // the same Node
    const float* data = m.embed.weight.value().data();
    Tensor h(rng.normal_array({2, 3, 4}));
    m.head.bias.mutable_value() = Array{1, 2, 3, 4, 5, 6, 7};
    Tensor logits = m.head(h);  // (2, 3, 7)
    CHECK(logits.shape() == Shape{2, 3, 7});
    CHECK(m.embed.weight.value().data() == data);  // W's buffer untouched by the forward
    const Array W = m.embed.weight.value();
    for (std::size_t v = 0; v < 7; ++v) {  // logits[1, 2, v] = h[1, 2] . W[v] + b[v]
        double s = double(v + 1);
        for (std::size_t d = 0; d < 4; ++d) s += double(h.value()(1, 2, d)) * double(W(v, d));
        CHECK(double(logits.value()(1, 2, v)) == doctest::Approx(s).epsilon(1e-5));
    }
    CHECK(m.head.describe() == "TiedLinear(4, 7)");
    CHECK_THROWS_WITH_AS(m.head(Tensor(Array(xt::zeros<float>({3, 5})))),
                         doctest::Contains("TiedLinear(4, 7)"), ShapeError);
}

TEST_CASE("the gradients of both uses of a tied weight add up in the one matrix") {
    Rng rng(1);
    TiedLM m(rng);
    const IndexArray ids = {{1, 2, 3}, {3, 6, 0}}, targets = {{2, 3, 4}, {6, 0, 1}};
    cross_entropy(m.forward(ids), targets).backward();
    // The same computation untied: two separate copies of W, each receiving its own use's share.
    Tensor W_in(m.embed.weight.value(), true), W_out(m.embed.weight.value(), true);
    Tensor b(m.head.bias.value(), true);
    Tensor logits = matmul(tanh(embedding(W_in, ids)), W_out, /*transpose_b=*/true) + b;
    cross_entropy(logits, targets).backward();
    CHECK(xt::allclose(m.embed.weight.grad(), W_in.grad() + W_out.grad(), 1e-5, 1e-7));
    CHECK(xt::allclose(m.head.bias.grad(), b.grad()));
}

TEST_CASE("a tied weight is listed, named and counted once") {
    Rng rng(2);
    TiedLM m(rng);
    std::vector<std::string> names;
    for (const auto& [name, t] : m.named_parameters()) names.push_back(name);
    CHECK(names == std::vector<std::string>{"embed.weight", "head.bias"});
    CHECK(m.num_parameters() == 7 * 4 + 7);
    CHECK(m.head.weight.name() == "embed.weight");
    nn::TiedLinear no_bias(m.embed, /*with_bias=*/false);
    CHECK(no_bias.num_parameters() == 7 * 4);
    CHECK(no_bias.describe() == "TiedLinear(4, 7, bias=false)");
}

// ---- sampling -------------------------------------------------------------------------------

TEST_CASE("sample_token takes one row of scores: greedy at temperature 0, seeded otherwise") {
    const Array z = {0.5f, 3.0f, -1.0f, 3.0f, 2.9f};
    Rng rng(0);
    CHECK(nn::sample_token(z, 0.0f, rng) == 1);  // arg-max, the first of a tie
    Rng a(5), b(5);
    for (int i = 0; i < 10; ++i) CHECK(nn::sample_token(z, 1.0f, a) == nn::sample_token(z, 1.0f, b));
    // A very low temperature only ever picks among the best scores.
    for (int i = 0; i < 20; ++i) {
        const Index t = nn::sample_token(z, 0.01f, rng);
        CHECK((t == 1 || t == 3));
    }
    // A hidden token (-inf) is never drawn.
    const Array hidden = {-std::numeric_limits<float>::infinity(), 0.0f};
    for (int i = 0; i < 20; ++i) CHECK(nn::sample_token(hidden, 5.0f, rng) == 1);
}

TEST_CASE("sample_token refuses a batch, a negative temperature and NaN scores") {
    Rng rng(0);
    CHECK_THROWS_WITH_AS(nn::sample_token(Array(xt::zeros<float>({1, 5})), 1.0f, rng),
                         doctest::Contains("one row of scores (V), got (1, 5)"), ShapeError);
    CHECK_THROWS_AS(nn::sample_token(Array{1.0f}, -1.0f, rng), ValueError);
    CHECK_THROWS_AS(nn::sample_token(Array(Shape{0}), 1.0f, rng), ValueError);
    const float minus_inf = -std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(nn::sample_token(Array{minus_inf, minus_inf}, 1.0f, rng),
                         doctest::Contains("every score is -inf"), ValueError);
    CHECK_THROWS_WITH_AS(nn::sample_token(Array{1.0f, std::nanf("")}, 1.0f, rng), doctest::Contains("NaN"),
                         ValueError);
}

// How often each id is drawn in `n` draws from `z` at `temperature`, keeping the `top_k` best.
static std::vector<int> draw_counts(const Array& z, float temperature, std::size_t top_k, int n,
                                    std::uint64_t seed) {
    Rng rng(seed);
    std::vector<int> counts(z.size(), 0);
    for (int i = 0; i < n; ++i)
        ++counts[static_cast<std::size_t>(nn::sample_token(z, temperature, rng, top_k))];
    return counts;
}

TEST_CASE("sample_token with top_k draws only among the k highest scores") {
    // A hot temperature makes every id nearly equally likely: only the cut keeps ids out.
    const Array z = {0.5f, 3.0f, -1.0f, 2.0f, 2.9f, 1.0f};
    const std::vector<int> top2 = draw_counts(z, 20.0f, 2, 600, 1);
    for (std::size_t i : {0u, 2u, 3u, 5u}) CHECK(top2[i] == 0);
    CHECK(top2[1] > 0);
    CHECK(top2[4] > 0);
    const std::vector<int> top3 = draw_counts(z, 20.0f, 3, 600, 2);
    for (std::size_t i : {0u, 2u, 5u}) CHECK(top3[i] == 0);
    for (std::size_t i : {1u, 3u, 4u}) CHECK(top3[i] > 0);
    // top_k 0 (no cut) and top_k >= V draw every id.
    for (std::size_t k : {0u, 6u, 100u}) {
        CAPTURE(k);
        for (int c : draw_counts(z, 20.0f, k, 600, 3)) CHECK(c > 0);
    }
    // top_k 1 is greedy at any temperature.
    for (int c : draw_counts(z, 50.0f, 1, 100, 4)) CHECK((c == 0 || c == 100));
    CHECK(draw_counts(z, 50.0f, 1, 100, 4)[1] == 100);
}

TEST_CASE("sample_token with top_k keeps every score tied with the k-th") {
    const Array z = {1.0f, 3.0f, 3.0f, 0.0f, 3.0f, -2.0f};
    const std::vector<int> counts = draw_counts(z, 1.0f, 2, 600, 5);
    for (std::size_t i : {1u, 2u, 4u}) CHECK(counts[i] > 0);  // three scores of 3 for k = 2: all stay in
    for (std::size_t i : {0u, 3u, 5u}) CHECK(counts[i] == 0);
    // Hidden scores (-inf) stay hidden when k reaches past the visible ones.
    const float minus_inf = -std::numeric_limits<float>::infinity();
    const std::vector<int> hidden = draw_counts(Array{minus_inf, 0.0f, minus_inf, 1.0f}, 1.0f, 3, 200, 6);
    CHECK(hidden[0] == 0);
    CHECK(hidden[2] == 0);
    CHECK(hidden[1] + hidden[3] == 200);
}
