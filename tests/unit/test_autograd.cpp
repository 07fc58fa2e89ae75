// The engine's promises: gradients accumulate, frozen tensors get none, NoGrad records
// nothing, long graphs neither overflow the stack nor leak, same seed gives same numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <dikkat/dikkat.hpp>
#include <dikkat/ops/broadcast.hpp>
#include <dikkat/viz/dot.hpp>

#include "../support/error_of.hpp"

using namespace dikkat;

TEST_CASE("a tensor used twice accumulates both gradients") {
    Tensor x(Array{3.0f}, true);
    Tensor y = x * x + x;  // dy/dx = 2x + 1 = 7
    y.backward();
    CHECK(x.grad()(0) == doctest::Approx(7.0));
}

TEST_CASE("backward twice without zero_grad doubles the gradients") {
    Tensor x(Array{1.0f, 2.0f}, true);
    Tensor loss = sum(tanh(x) * x);
    loss.backward();
    const Array once = x.grad();
    loss.backward();
    CHECK(xt::allclose(x.grad(), 2.0f * once));
    x.zero_grad();
    CHECK_FALSE(x.has_grad());
}

TEST_CASE("interior gradients are released unless retain_grad is asked for") {
    Tensor x(Array{1.0f, 2.0f}, true);
    Tensor h = tanh(x);
    Tensor h2 = tanh(x).retain_grad();
    sum(h * h2).backward();
    CHECK_FALSE(h.has_grad());
    CHECK(h2.has_grad());
    CHECK_THROWS_WITH_AS(h.grad(), doctest::Contains("retain_grad"), ValueError);
}

TEST_CASE("an op that passes its gradient on whole leaves a retained copy behind") {
    // relu, reshape, add and the reductions hand dy on without copying it (Node::take_grad),
    // except when the node keeps it for the learner: then both must be right.
    Tensor x(Array{-1.0f, 2.0f, 3.0f, -4.0f}, true);
    Tensor b(Array{1.0f, 1.0f, 1.0f, 1.0f}, true);
    Tensor r = relu(x).retain_grad();
    Tensor s = (r + b).retain_grad();
    Tensor m = reshape(s, {2, 2}).retain_grad();
    Tensor total = sum(m * 3.0f).retain_grad();
    total.backward();
    CHECK(total.grad()() == 1.0f);
    CHECK(m.grad() == xt::xarray<float>({{3.0f, 3.0f}, {3.0f, 3.0f}}));
    CHECK(s.grad() == xt::xarray<float>({3.0f, 3.0f, 3.0f, 3.0f}));
    CHECK(r.grad() == xt::xarray<float>({3.0f, 3.0f, 3.0f, 3.0f}));
    CHECK(b.grad() == xt::xarray<float>({3.0f, 3.0f, 3.0f, 3.0f}));
    CHECK(x.grad() == xt::xarray<float>({0.0f, 3.0f, 3.0f, 0.0f}));
}

TEST_CASE("frozen tensors receive no gradient") {
    Tensor w(Array{1.0f, 2.0f}, true);
    Tensor frozen(Array{3.0f, 4.0f}, true);
    frozen.set_requires_grad(false);
    sum(w * frozen).backward();
    CHECK(w.has_grad());
    CHECK_FALSE(frozen.has_grad());
    CHECK_THROWS_WITH_AS(frozen.grad(), doctest::Contains("requires_grad is false"), ValueError);
}

TEST_CASE("NoGrad records nothing") {
    Tensor w(Array{1.0f, 2.0f}, true);
    NoGrad no_grad;
    Tensor y = sum(w * w);
    CHECK_FALSE(y.requires_grad());
    CHECK(y.node().inputs.empty());
    CHECK_THROWS_AS(y.backward(), ValueError);
}

TEST_CASE("NoGrad ends with its scope") {
    Tensor w(Array{1.0f}, true);
    {
        NoGrad no_grad;
        CHECK_FALSE(grad_enabled());
    }
    CHECK(grad_enabled());
    CHECK((w * w).requires_grad());
}

TEST_CASE("detach cuts a tensor off the graph") {
    Tensor x(Array{2.0f}, true);
    Tensor d = (x * x).detach();
    CHECK_FALSE(d.requires_grad());
    sum(d * x).backward();  // d is a constant 4 here
    CHECK(x.grad()(0) == doctest::Approx(4.0));
}

TEST_CASE("backward on a non-scalar needs a seed") {
    Tensor x(Array{1.0f, 2.0f}, true);
    CHECK_THROWS_WITH_AS((x * 2.0f).backward(), doctest::Contains("one-element"), ShapeError);
    Tensor y = x * 2.0f;
    y.backward(Array{1.0f, 10.0f});
    CHECK(x.grad()(1) == doctest::Approx(20.0));
}

TEST_CASE("a 100,000-node chain runs backward and is freed without overflowing the stack") {
    const long before = Node::live_count();
    {
        Tensor x(Array{0.5f}, true);
        Tensor h = x;
        for (int i = 0; i < 100000; ++i) h = h * 0.99999f + 0.0f;
        h.backward();
        CHECK(x.grad()(0) == doctest::Approx(std::pow(0.99999, 100000)).epsilon(1e-3));
    }
    CHECK(Node::live_count() == before);
}

TEST_CASE("1,000 training steps free their graphs: no node outlives its step") {
    Rng rng(0);
    Tensor W(rng.normal_array({8, 4}, 0.0f, 0.3f), true);
    Tensor b(Array(xt::zeros<float>({4})), true);
    Array x = rng.normal_array({16, 8});
    IndexArray y = xt::zeros<Index>({16});
    for (std::size_t i = 0; i < 16; ++i) y(i) = static_cast<Index>(i % 4);
    const long baseline = Node::live_count();
    float first = 0.0f, last = 0.0f;
    for (int step = 0; step < 1000; ++step) {
        Tensor loss = cross_entropy(matmul(Tensor(x), W) + b, y);
        loss.backward();
        W.mutable_value() -= 0.1f * W.grad();
        b.mutable_value() -= 0.1f * b.grad();
        W.zero_grad();
        b.zero_grad();
        (step == 0 ? first : last) = loss.item();
    }
    CHECK(Node::live_count() == baseline);
    CHECK(last < first);
}

TEST_CASE("same seed, same numbers") {
    Rng a(42), b(42), c(43);
    Array xa = a.normal_array({100});
    Array xb = b.normal_array({100});
    Array xc = c.normal_array({100});
    CHECK(xt::all(xt::equal(xa, xb)));
    CHECK_FALSE(xt::all(xt::equal(xa, xc)));
    // The numbers themselves are fixed, not just repeatable within one build: the first draw
    // of seed 42 is pinned here, so a change of generator shows up as a failing test.
    Rng d(42);
    CHECK(d.next_u32() == 1608637542u);
}

TEST_CASE("dropout: same seed, same mask, evaluation is the identity") {
    Tensor x(Array(xt::ones<float>({64})), true);
    Rng r1(5), r2(5);
    Array m1 = dropout(x, 0.5f, r1).value();
    Array m2 = dropout(x, 0.5f, r2).value();
    CHECK(xt::all(xt::equal(m1, m2)));
    Rng r3(5);
    CHECK(xt::all(xt::equal(dropout(x, 0.5f, r3, /*training=*/false).value(), x.value())));
}

TEST_CASE("anomaly mode names the first op that produced NaN or Inf") {
    Tensor x(Array{-1.0f, 4.0f}, true);
    DetectAnomaly on;
    CHECK_THROWS_WITH_AS(sqrt(x), doctest::Contains("anomaly: sqrt produced"), ValueError);
    Tensor y = log(x + 2.0f);  // fine: log(1), log(6)
    CHECK(y.value()(0) == doctest::Approx(0.0));
}

TEST_CASE("anomaly mode catches a NaN born in backward") {
    Tensor x(Array{0.0f, 4.0f}, true);
    DetectAnomaly on;
    Tensor y = sum(sqrt(x));  // forward is finite; d sqrt(x)/dx at 0 is Inf
    CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("backward of sqrt"), ValueError);
}

TEST_CASE("without anomaly mode, NaN passes silently") {
    Tensor x(Array{-1.0f}, true);
    CHECK_NOTHROW(sqrt(x));
}

TEST_CASE("DOT export names every op and shape") {
    Tensor W(Array(xt::ones<float>({3, 2})), true);
    W.set_name("W");
    Tensor x(Array(xt::ones<float>({4, 3})));
    Tensor loss = mean(tanh(matmul(x, W)));
    std::string dot = viz::to_dot(loss);
    CHECK(dot.find("digraph") == 0);
    for (const char* s : {"matmul", "tanh", "mean", "W\\n(3, 2)", "(4, 2)", "->"})
        CHECK_MESSAGE(dot.find(s) != std::string::npos, std::string(s));
}

TEST_CASE("softmax rows sum to one and survive large scores") {
    Tensor x(Array{{1000.0f, 1001.0f, 1002.0f}, {-5.0f, 0.0f, 5.0f}});
    Array p = softmax(x).value();
    CHECK(double(p(0, 0) + p(0, 1) + p(0, 2)) == doctest::Approx(1.0));
    CHECK(std::isfinite(p(0, 2)));
    CHECK(double(p(0, 2)) == doctest::Approx(0.66524).epsilon(1e-4));
}

TEST_CASE("cross_entropy of uniform scores is log(C), an all-ignored batch gives 0") {
    Tensor z(Array(xt::zeros<float>({4, 10})), true);
    IndexArray t = {1, 2, 3, 4};
    CHECK(double(cross_entropy(z, t).item()) == doctest::Approx(std::log(10.0)));
    IndexArray ignored = {-100, -100, -100, -100};
    Tensor loss = cross_entropy(z, ignored);
    CHECK(loss.item() == 0.0f);
}

TEST_CASE("a retained gradient is not sent down again by the next backward()") {
    Tensor x(Array{1.0f}, true);
    Tensor h = (x * 2.0f).retain_grad();
    Tensor l1 = h * 1.0f, l2 = h * 10.0f;
    l1.backward();
    x.zero_grad();
    l2.backward();
    CHECK(x.grad()(0) == doctest::Approx(20.0));  // not 22: l1's gradient stays in l1's pass
    CHECK(h.grad()(0) == doctest::Approx(10.0));
}

TEST_CASE("a gradient of the wrong shape is refused, naming both shapes") {
    Tensor w(Array{1.0f, 2.0f, 3.0f}, true);
    w.set_name("w");
    Array wrong = xt::ones<float>({2, 3});
    CHECK_THROWS_WITH_AS(w.node().accumulate(wrong),
                         doctest::Contains("shape (2, 3) was sent to 'w' of shape (3,)"), ShapeError);
}

TEST_CASE("empty tensors pass through broadcasting, sums and softmax") {
    Tensor a(Array(xt::zeros<float>({0, 3})), true);
    Tensor b(Array(xt::ones<float>({1, 3})), true);
    Tensor s = a + b;  // (0, 3) + (1, 3) -> (0, 3), as in NumPy
    CHECK(s.shape() == Shape{0, 3});
    sum(s).backward();
    CHECK(b.grad() == Array(xt::zeros<float>({1, 3})));
    CHECK(sum(a, {0}).shape() == Shape{3});
    CHECK(softmax(Tensor(Array(xt::zeros<float>({3, 0})))).shape() == Shape{3, 0});
    CHECK(matmul(Tensor(Array(xt::zeros<float>({0, 2, 3}))), Tensor(Array(xt::ones<float>({1, 3, 4}))))
              .shape() == Shape{0, 2, 4});
}

TEST_CASE("broadcast_to repeats an array as xt::broadcast does, for every kind of stretch") {
    Rng rng(8);
    const std::vector<std::pair<Shape, Shape>> cases = {{{1}, {3, 4}},
                                                        {{4}, {3, 4}},
                                                        {{3, 1}, {3, 4}},
                                                        {{1, 4}, {3, 4}},
                                                        {{2, 1, 3}, {4, 2, 5, 3}},
                                                        {{5, 1}, {2, 3, 5, 4}},
                                                        {{2, 3}, {2, 3}},
                                                        {{}, {2, 2}},
                                                        {{3}, {0, 3}}};
    for (const auto& [from, to] : cases) {
        const Array a = rng.normal_array(from);
        // CAPTURE's lambda cannot capture a structured binding in C++17: the shapes as strings.
        const std::string from_shape = shape_str(from), to_shape = shape_str(to);
        CAPTURE(from_shape);
        CAPTURE(to_shape);
        CHECK(broadcast_to(a, to) == Array(xt::broadcast(a, to)));
    }
}

// ---- the rule for op authors (autograd.hpp) -------------------------------------------------

TEST_CASE("a node that receives a gradient but has no backward function is an error naming the op") {
    Tensor x(Array{1.0f, 2.0f}, true);
    Tensor y = make_result("myop", x.value() * 2.0f, {x});  // records x, forgets its backward
    const std::string msg = error_of<ValueError>([&] { sum(y).backward(); });
    CHECK_MESSAGE(msg.find("backward: 'myop' (2,) received a gradient but has no backward function") !=
                      std::string::npos,
                  msg);
    CHECK_MESSAGE(msg.find("set result.node().backward") != std::string::npos, msg);
    CHECK_FALSE(x.has_grad());
}

TEST_CASE("accumulate_in_place adds to what has arrived and skips an input that needs no gradient") {
    Tensor x(Array{{1.0f, 2.0f, 3.0f}}, true);      // (1, 3)
    Tensor frozen(Array(xt::ones<float>({3, 1})));  // requires_grad = false
    // x reaches the loss twice: through slice (an in-place add) and through mul (an array).
    Tensor loss = sum(slice(x, 1, 0, 2)) + sum(x * 10.0f) + sum(matmul(x, frozen));
    loss.backward();
    CHECK(x.grad() == Array{{12.0f, 12.0f, 11.0f}});
    CHECK_FALSE(frozen.has_grad());
    bool called = false;
    frozen.node().accumulate_in_place([&](Array&) { called = true; });
    CHECK_FALSE(called);
}

// ---- matmul with b transposed ---------------------------------------------------------------

TEST_CASE("causal_mask keeps key j for query i when j <= i") {
    CHECK(causal_mask(3) == Array{{1, 0, 0}, {1, 1, 0}, {1, 1, 1}});
    CHECK(causal_mask(0).shape() == Shape{0, 0});
}

TEST_CASE("padding_mask keeps the positions before each length") {
    CHECK(padding_mask({3, 1, 0, 4}, 4) == Array{{1, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}, {1, 1, 1, 1}});
}

TEST_CASE("fill_hidden keeps x where keep is 1, fills where it is 0, and an Inf there stays out") {
    const float inf = std::numeric_limits<float>::infinity();
    Tensor x(Array{{1.0f, inf}, {3.0f, 4.0f}}, true);
    const Array keep = {1.0f, 0.0f};  // (2) broadcast over the rows: hide column 1
    Tensor y = fill_hidden(x, keep, -1e9f);
    CHECK(y.value() == Array{{1.0f, -1e9f}, {3.0f, -1e9f}});
    sum(y * 2.0f).backward();
    CHECK(x.grad() == Array{{2.0f, 0.0f}, {2.0f, 0.0f}});
    CHECK(std::signbit(x.grad()(0, 1)) == false);
}

TEST_CASE("a padded key gets exactly zero attention weight and sends exactly zero gradient") {
    // scores = q k^T / sqrt(d), weights = softmax(fill_hidden(scores, keep, -1e9)), out = weights v.
    const std::size_t B = 2, Tq = 3, Tk = 4, d = 2;
    const std::vector<std::size_t> lengths = {4, 2};  // sequence 1: keys 2 and 3 are padding
    Rng rng(9);
    Tensor q(rng.normal_array({B, Tq, d}), true), k(rng.normal_array({B, Tk, d}), true),
        v(rng.normal_array({B, Tk, d}), true);
    Array keep = padding_mask(lengths, Tk);  // (B, Tk)
    keep.reshape({B, 1, Tk});                // over the queries
    Tensor scores = (matmul(q, k, /*transpose_b=*/true) / std::sqrt(float(d))).retain_grad();  // (B, Tq, Tk)
    Tensor weights = softmax(fill_hidden(scores, keep, -1e9f)).retain_grad();
    Tensor out = matmul(weights, v);  // (B, Tq, d)
    out.backward(rng.normal_array({B, Tq, d}));
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t j = lengths[b]; j < Tk; ++j) {
            CAPTURE(b);
            CAPTURE(j);
            for (std::size_t i = 0; i < Tq; ++i) {
                CHECK(weights.value()(b, i, j) == 0.0f);
                CHECK(scores.grad()(b, i, j) == 0.0f);
            }
            for (std::size_t c = 0; c < d; ++c) {
                CHECK(k.grad()(b, j, c) == 0.0f);
                CHECK(v.grad()(b, j, c) == 0.0f);
            }
        }
    CHECK(k.grad()(1, 1, 0) != 0.0f);  // a real key of the padded sequence does get a gradient
    CHECK(double(weights.value()(1, 0, 0) + weights.value()(1, 0, 1)) == doctest::Approx(1.0));
}

// ---- argmax and topk (ops/topk.hpp) ---------------------------------------------------------

TEST_CASE("argmax picks the largest along an axis, the first of a tie") {
    const Array x = {{0.1f, 2.0f, -1.0f, 2.0f}, {5.0f, 1.0f, 1.0f, 0.0f}};
    CHECK(argmax(x) == IndexArray{1, 0});
    CHECK(argmax(x, 0) == IndexArray{1, 0, 1, 0});
    CHECK(argmax(Array{3.0f, 7.0f})() == 1);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    CHECK(argmax(Array{1.0f, nan, 3.0f})() == 1);  // a NaN shows up, as in PyTorch
}

TEST_CASE("topk returns the k largest, sorted descending, ties to the lower index") {
    const Array x = {{0.1f, 2.0f, -1.0f, 2.0f}, {5.0f, 1.0f, 1.0f, 0.0f}};
    const TopK top = topk(x, 3);
    CHECK(top.values == Array{{2.0f, 2.0f, 0.1f}, {5.0f, 1.0f, 1.0f}});
    CHECK(top.indices == IndexArray{{1, 3, 0}, {0, 1, 2}});
    const TopK down = topk(x, 1, 0);  // along the first axis: (1, 4)
    CHECK(down.values == Array{{5.0f, 2.0f, 1.0f, 2.0f}});
    CHECK(down.indices == IndexArray{{1, 0, 1, 0}});
    CHECK(topk(x, 0).values.shape() == Shape{2, 0});
}
