// Optimizers against hand-computed updates, and the rules about which parameters move.
#include <doctest/doctest.h>

#include <cmath>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/optim.hpp>

using namespace dikkat;

namespace {

// One named parameter holding `value`, with gradient `grad`.
struct Param {
    Tensor t;
    Param(float value, float grad) : t(Array{value}, true) { t.mutable_grad() = Array{grad}; }
    void set_grad(float g) { t.mutable_grad() = Array{g}; }
    float value() const { return t.value()(0); }
    optim::ParamGroup group() const { return {{{"p", t}}, std::nullopt, std::nullopt}; }
};

struct TwoLayer : nn::Module {
    nn::Linear body, head;
    explicit TwoLayer(Rng& rng) : body(3, 4, rng), head(4, 2, rng) {
        register_module("body", body);
        register_module("head", head);
    }
    Tensor loss(const Tensor& x) const { return mean(head(tanh(body(x))) * head(tanh(body(x)))); }
};

optim::SGDOptions sgd_options(float lr, float momentum = 0.0f, float weight_decay = 0.0f) {
    optim::SGDOptions o;
    o.lr = lr;
    o.momentum = momentum;
    o.weight_decay = weight_decay;
    return o;
}

optim::AdamOptions adam_options(float lr, float weight_decay = 0.0f) {
    optim::AdamOptions o;
    o.lr = lr;
    o.weight_decay = weight_decay;
    return o;
}

}  // namespace

TEST_CASE("SGD without momentum steps p = p - lr * g") {
    Param p(1.0f, 0.5f);
    optim::SGD opt({p.group()}, sgd_options(0.1f));
    opt.step();
    CHECK(p.value() == doctest::Approx(0.95f));
    CHECK(opt.steps() == 1);
}

TEST_CASE("SGD with momentum and weight decay follows PyTorch's formula over three steps") {
    // g' = g + wd p;  buf = g' (first step), then buf = mu buf + g';  p -= lr buf
    Param p(1.0f, 0.5f);
    optim::SGD opt({p.group()}, sgd_options(/*lr=*/0.1f, /*momentum=*/0.9f, /*weight_decay=*/0.1f));
    double w = 1.0, buf = 0.0;
    const double grads[] = {0.5, -1.0, 0.25};
    for (int step = 0; step < 3; ++step) {
        p.set_grad(static_cast<float>(grads[step]));
        opt.step();
        const double g = grads[step] + 0.1 * w;
        buf = step == 0 ? g : 0.9 * buf + g;
        w -= 0.1 * buf;
        CHECK(p.value() == doctest::Approx(w).epsilon(1e-6));
    }
    CHECK(w == doctest::Approx(0.974774).epsilon(1e-6));  // the hand-computed end point
}

TEST_CASE("Adam's first steps match the hand-computed values, bias correction included") {
    // lr 0.1, betas (0.9, 0.999), eps 1e-8. Step 1: m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25,
    // p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9 — Adam's first step has length lr whatever g is.
    Param p(1.0f, 0.5f);
    optim::Adam opt({p.group()}, adam_options(0.1f));
    opt.step();
    CHECK(p.value() == doctest::Approx(0.9).epsilon(1e-6));
    // Step 2 with g = -1: m = -0.055, v = 0.00124975, p = 0.9 - 0.1/0.19 * m / (sqrt(v / 0.001999) + eps)
    p.set_grad(-1.0f);
    opt.step();
    CHECK(p.value() == doctest::Approx(0.9366103542).epsilon(1e-6));
    p.set_grad(0.25f);
    opt.step();
    CHECK(p.value() == doctest::Approx(0.9502794203).epsilon(1e-6));
}

TEST_CASE("Adam adds weight decay to the gradient, AdamW shrinks the weight directly") {
    // With g = 0 and wd = 0.1: Adam sees g' = 0.1 p and takes a full step of length lr;
    // AdamW multiplies p by (1 - lr wd) and then takes no step (m = 0).
    Param a(1.0f, 0.0f), w(1.0f, 0.0f);
    optim::Adam adam({a.group()}, adam_options(/*lr=*/0.1f, /*weight_decay=*/0.1f));
    optim::AdamW adamw({w.group()}, [] {
        optim::AdamWOptions o;
        o.lr = 0.1f;
        o.weight_decay = 0.1f;
        return o;
    }());
    adam.step();
    adamw.step();
    CHECK(a.value() == doctest::Approx(0.9).epsilon(1e-6));
    CHECK(w.value() == doctest::Approx(0.99).epsilon(1e-7));
    CHECK(optim::AdamWOptions().weight_decay == 1e-2f);  // PyTorch's default
    CHECK(adamw.type() == "AdamW");
}

TEST_CASE("frozen parameters and parameters without a gradient are not touched") {
    Rng rng(0);
    TwoLayer m(rng);
    optim::Adam opt(m, adam_options(0.1f));
    m.freeze("body");
    const Array body_before = m.body.weight.value();
    const Array head_before = m.head.weight.value();
    m.loss(Tensor(rng.normal_array({5, 3}))).backward();
    opt.step();
    CHECK(m.body.weight.value() == body_before);
    CHECK(m.head.weight.value() != head_before);
    // Unfrozen later, the body starts moving, with its own step count starting at 1.
    m.unfreeze("body");
    opt.zero_grad();
    m.loss(Tensor(rng.normal_array({5, 3}))).backward();
    opt.step();
    CHECK(m.body.weight.value() != body_before);
    const auto state = opt.state_dict();
    CHECK(state.metadata.at("state.body.weight.step") == "1");
    CHECK(state.metadata.at("state.head.weight.step") == "2");
}

TEST_CASE("parameter groups have their own learning rates (discriminative fine-tuning)") {
    Rng rng(0);
    TwoLayer m(rng);
    optim::SGD opt({optim::group(m, "body", /*lr=*/0.01f), optim::group(m, "head")}, sgd_options(0.5f));
    CHECK(opt.num_groups() == 2);
    CHECK(opt.lr(0) == 0.01f);
    CHECK(opt.lr(1) == 0.5f);
    m.body.bias.mutable_grad() = Array{1.0f, 1.0f, 1.0f, 1.0f};
    m.head.bias.mutable_grad() = Array{1.0f, 1.0f};
    const Array b0 = m.body.bias.value(), h0 = m.head.bias.value();
    opt.step();
    CHECK(xt::allclose(m.body.bias.value(), b0 - 0.01f));
    CHECK(xt::allclose(m.head.bias.value(), h0 - 0.5f));
    opt.set_lr_factor(0.5f);
    CHECK(opt.lr(0) == 0.005f);
    CHECK(opt.lr(1) == 0.25f);
    opt.set_lr(1, 1.0f);
    CHECK(opt.lr(1) == 0.5f);  // base 1.0 times the factor 0.5
}

TEST_CASE("a parameter in two groups, or an unknown prefix, is refused") {
    Rng rng(0);
    TwoLayer m(rng);
    CHECK_THROWS_AS(optim::SGD({optim::group(m, "body"), optim::group(m)}), ValueError);
    CHECK_THROWS_AS(optim::group(m, "neck"), ValueError);
}

TEST_CASE("optimizer state round trip: a restored optimizer continues bit for bit") {
    Rng rng(0);
    TwoLayer a(rng);
    Rng rng_b(99);
    TwoLayer b(rng_b);
    optim::Adam opt_a(a, adam_options(0.05f));
    Rng data(5);
    const Tensor x(data.normal_array({6, 3}));
    for (int i = 0; i < 3; ++i) {
        opt_a.zero_grad();
        a.loss(x).backward();
        opt_a.step();
    }
    // Copy the weights and the optimizer state into b's (differently initialised) optimizer.
    const auto pa = a.parameters(), pb = b.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) Tensor(pb[i]).mutable_value() = pa[i].value();
    optim::Adam opt_b(b, adam_options(0.05f));
    opt_b.load_state_dict(opt_a.state_dict());
    CHECK(opt_b.steps() == 3);
    for (int i = 0; i < 2; ++i) {
        opt_a.zero_grad();
        opt_b.zero_grad();
        a.loss(x).backward();
        b.loss(x).backward();
        opt_a.step();
        opt_b.step();
    }
    for (std::size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].value() == pb[i].value());
}

TEST_CASE("optimizer state from another optimizer type or another model is refused") {
    Rng rng(0);
    TwoLayer m(rng);
    optim::Adam adam(m);
    optim::SGD sgd(m, sgd_options(0.01f, /*momentum=*/0.9f));
    m.loss(Tensor(rng.normal_array({2, 3}))).backward();
    adam.step();
    CHECK_THROWS_WITH_AS(sgd.load_state_dict(adam.state_dict()), doctest::Contains("saved by Adam"),
                         ValueError);
    auto state = adam.state_dict();
    state.tensors[0].second = Array(Shape{1, 1});
    CHECK_THROWS_WITH_AS(adam.load_state_dict(state), doctest::Contains("state.body.weight"), ValueError);
    state = adam.state_dict();
    state.tensors[0].first = "state.neck.weight.exp_avg";
    CHECK_THROWS_WITH_AS(adam.load_state_dict(state), doctest::Contains("'neck.weight'"), ValueError);
}
