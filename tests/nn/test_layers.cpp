// The layers: shapes, initialisation as PyTorch does it, forward values, errors.
#include <doctest/doctest.h>

#include <cmath>

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
