// Module: parameter registration, hierarchical names, counting, freezing, modes, summary.
#include <doctest/doctest.h>

#include <memory>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

using namespace dikkat;

namespace {

// A small model with every kind of child: members, a Sequential, owned layers in a loop,
// parameter-free layers, and a parameter registered directly.
struct Block : nn::Module {
    nn::LayerNorm norm;
    nn::Linear ff;
    Block(std::size_t d, Rng& rng) : norm(d), ff(d, d, rng) {
        register_module("norm", norm);
        register_module("ff", ff);
    }
    std::string describe() const override { return "Block"; }
};

struct TinyModel : nn::Module {
    std::size_t V, D, L;
    nn::Embedding embed;
    nn::Dropout drop;
    std::vector<Block*> layers;
    nn::Sequential head;
    Tensor scale;
    TinyModel(std::size_t vocab, std::size_t dim, std::size_t n_layers, Rng& rng)
        : V(vocab), D(dim), L(n_layers), embed(vocab, dim, rng), drop(0.1f, rng) {
        register_module("embed", embed);
        register_module("drop", drop);
        for (std::size_t i = 0; i < n_layers; ++i)
            layers.push_back(
                &register_module("layer" + std::to_string(i), std::make_shared<Block>(dim, rng)));
        head.add<nn::Linear>(dim, 2 * dim, rng);
        head.add(relu, "relu");
        head.add<nn::Linear>(2 * dim, vocab, rng, /*bias=*/false);
        register_module("head", head);
        scale = register_parameter("scale", xt::ones<float>(Shape{1}));
    }
    std::size_t expected_count() const {
        const std::size_t block = 2 * D + (D * D + D);
        return V * D + L * block + (D * 2 * D + 2 * D) + 2 * D * V + 1;
    }
};

}  // namespace

TEST_CASE("every parameter of a nested model is registered and counted by the formula") {
    Rng rng(1);
    TinyModel m(/*vocab=*/11, /*dim=*/4, /*layers=*/2, rng);
    CHECK(m.num_parameters() == m.expected_count());
    CHECK(m.num_parameters(/*trainable_only=*/true) == m.expected_count());
    std::size_t summed = 0;
    for (const Tensor& p : m.parameters()) summed += p.numel();
    CHECK(summed == m.expected_count());
}

TEST_CASE("parameters have dotted names in registration order, as PyTorch's state_dict") {
    Rng rng(1);
    TinyModel m(11, 4, 2, rng);
    std::vector<std::string> names;
    for (const auto& [name, t] : m.named_parameters()) names.push_back(name);
    const std::vector<std::string> expected = {
        "scale",          "embed.weight",       "layer0.norm.weight", "layer0.norm.bias", "layer0.ff.weight",
        "layer0.ff.bias", "layer1.norm.weight", "layer1.norm.bias",   "layer1.ff.weight", "layer1.ff.bias",
        "head.0.weight",  "head.0.bias",        "head.2.weight"};
    CHECK(names == expected);
}

TEST_CASE("each tensor carries its full dotted name once the model is built, for graph exports and errors") {
    Rng rng(1);
    TinyModel m(5, 3, 1, rng);  // nothing else called: the names are written by registration
    CHECK(m.layers[0]->ff.weight.name() == "layer0.ff.weight");
    CHECK(m.layers[0]->norm.bias.name() == "layer0.norm.bias");
    CHECK(m.embed.weight.name() == "embed.weight");
    CHECK(m.head.named_parameters()[2].second.name() == "head.2.weight");
    CHECK(m.scale.name() == "scale");
    for (const auto& [name, t] : m.named_parameters()) CHECK(t.name() == name);
}

TEST_CASE(
    "a layer added to a Sequential already inside a model gets its full name, and the others keep theirs") {
    Rng rng(1);
    TinyModel m(5, 3, 1, rng);
    m.head.add<nn::Linear>(5, 4, rng);  // appended after the model registered its head
    CHECK(m.head.named_parameters()[2].second.name() == "head.2.weight");
    CHECK(m.head.named_parameters().back().second.name() == "head.3.bias");
    for (const auto& [name, t] : m.named_parameters()) CHECK(t.name() == name);
}

TEST_CASE("a layer that outlives the model it was registered in can still grow") {
    Rng rng(1);
    auto seq = std::make_shared<nn::Sequential>();
    seq->add<nn::Linear>(2, 2, rng);
    {
        struct Holder : nn::Module {
            explicit Holder(std::shared_ptr<nn::Sequential> s) { register_module("seq", std::move(s)); }
        } holder(seq);
        CHECK(seq->named_parameters()[0].second.name() == "seq.0.weight");
    }
    seq->add<nn::Linear>(2, 2, rng);  // its first model is gone: names are its own again
    CHECK(seq->named_parameters()[2].second.name() == "1.weight");
}

TEST_CASE("named_parameters reads names without writing them into the tensors") {
    Rng rng(1);
    TinyModel m(5, 3, 1, rng);
    m.embed.weight.set_name("my label");
    const auto params = m.named_parameters();
    CHECK(params[1].first == "embed.weight");
    CHECK(m.embed.weight.name() == "my label");
    m.summary();
    m.num_parameters();
    CHECK(m.embed.weight.name() == "my label");
}

TEST_CASE("a shared layer's tensors keep their first name") {
    struct Shared : nn::Module {
        nn::Linear shared;
        explicit Shared(Rng& rng) : shared(2, 2, rng) {
            register_module("first", shared);
            register_module("second", shared);
        }
    };
    struct Outer : nn::Module {
        Shared inner;
        explicit Outer(Rng& rng) : inner(rng) { register_module("inner", inner); }
    };
    Rng rng(0);
    Outer m(rng);
    CHECK(m.inner.shared.weight.name() == "inner.first.weight");
}

TEST_CASE("a const model holding a Dropout runs forward, in training and in evaluation") {
    Rng rng(4);
    TinyModel m(7, 4, 1, rng);
    const TinyModel& frozen_view = m;  // every forward is const, Dropout's too
    Tensor x(Array(xt::ones<float>({2, 3, 4})));
    const Array first = frozen_view.drop(x).value();
    const Array second = frozen_view.drop(x).value();
    CHECK(first != second);  // a new mask per call: the generator advances behind const
    m.eval();
    CHECK(frozen_view.drop(x).value() == x.value());
}

TEST_CASE("named_modules lists every module, each before its children") {
    Rng rng(1);
    TinyModel m(5, 3, 1, rng);
    std::vector<std::string> names;
    for (const auto& [name, mod] : m.named_modules()) names.push_back(name);
    const std::vector<std::string> expected = {"",          "embed", "drop",   "layer0", "layer0.norm",
                                               "layer0.ff", "head",  "head.0", "head.2"};
    CHECK(names == expected);
}

TEST_CASE("a name used twice or containing a dot is refused when registered") {
    struct Twice : nn::Module {
        Twice() {
            register_parameter("w", Array{1.0f});
            register_parameter("w", Array{2.0f});
        }
    };
    struct Dotted : nn::Module {
        Dotted() { register_parameter("a.b", Array{1.0f}); }
    };
    CHECK_THROWS_AS(Twice(), ValueError);
    CHECK_THROWS_AS(Dotted(), ValueError);
}

TEST_CASE("freeze and unfreeze go by name prefix, whole components only") {
    Rng rng(1);
    TinyModel m(11, 4, 2, rng);
    CHECK(m.freeze("layer0") == 4);
    CHECK_FALSE(m.layers[0]->ff.weight.requires_grad());
    CHECK(m.layers[1]->ff.weight.requires_grad());
    CHECK(m.num_parameters(true) == m.expected_count() - (2 * 4 + 4 * 4 + 4));
    CHECK(m.unfreeze("layer0.ff") == 2);
    CHECK(m.layers[0]->ff.weight.requires_grad());
    CHECK_FALSE(m.layers[0]->norm.weight.requires_grad());
    m.freeze();  // everything
    CHECK(m.num_parameters(true) == 0);
    m.unfreeze("head");
    CHECK(m.num_parameters(true) == 4 * 8 + 8 + 8 * 11);
}

TEST_CASE("freeze names the prefix and the top-level names when nothing matches") {
    Rng rng(1);
    TinyModel m(11, 4, 1, rng);
    try {
        m.freeze("layer");  // not a whole component: "layer0" is not under "layer"
        FAIL("expected ValueError");
    } catch (const ValueError& e) {
        const std::string msg = e.what();
        CHECK(msg.find("'layer'") != std::string::npos);
        CHECK(msg.find("[scale, embed, drop, layer0, head]") != std::string::npos);
    }
}

TEST_CASE("a frozen parameter receives no gradient, its unfrozen neighbours do") {
    Rng rng(2);
    nn::Sequential net;
    net.add<nn::Linear>(3, 4, rng);
    net.add(tanh, "tanh");
    net.add<nn::Linear>(4, 1, rng);
    net.freeze("0");
    Tensor x(rng.normal_array({5, 3}));
    sum(net(x)).backward();
    for (const auto& [name, p] : net.named_parameters()) {
        const std::string& parameter = name;  // CAPTURE cannot take a structured binding (C++17)
        CAPTURE(parameter);
        CHECK(p.has_grad() == (name.rfind("2.", 0) == 0));
    }
}

TEST_CASE("every parameter of a model gets a gradient from one backward pass") {
    // The test that catches a parameter which silently failed to register or is never used.
    Rng rng(3);
    TinyModel m(7, 4, 2, rng);
    IndexArray ids = {{1, 2, 3}, {4, 5, 6}};
    Tensor h = m.drop(m.embed(ids));  // (2, 3, 4)
    for (Block* b : m.layers) h = h + b->ff(b->norm(h));
    Tensor logits = m.head(h) * m.scale;  // (2, 3, 7)
    cross_entropy(logits, IndexArray{{2, 3, 4}, {5, 6, 0}}).backward();
    for (const auto& [name, p] : m.named_parameters()) {
        const std::string& parameter = name;  // CAPTURE cannot take a structured binding (C++17)
        CAPTURE(parameter);
        CHECK(p.has_grad());
    }
    m.zero_grad();
    for (const Tensor& p : m.parameters()) CHECK_FALSE(p.has_grad());
}

TEST_CASE("train and eval reach every descendant") {
    Rng rng(1);
    TinyModel m(5, 3, 2, rng);
    CHECK(m.training());
    m.eval();
    for (const auto& [name, mod] : m.named_modules()) {
        const std::string& module = name;  // CAPTURE cannot take a structured binding (C++17)
        CAPTURE(module);
        CHECK_FALSE(mod->training());
    }
    m.train();
    CHECK(m.drop.training());
    CHECK(m.layers[1]->ff.training());
}

TEST_CASE("summary lists name, shape, count and trainable, with totals") {
    Rng rng(1);
    nn::Sequential net;
    net.add<nn::Linear>(3, 2, rng);
    net.add<nn::LayerNorm>(2);
    net.freeze("1");
    const std::string s = net.summary();
    CHECK(s.find("Sequential(Linear(3, 2), LayerNorm(2, eps=1e-05))") != std::string::npos);
    CHECK(s.find("0.weight") != std::string::npos);
    CHECK(s.find("(3, 2)") != std::string::npos);
    CHECK(s.find("1.bias") != std::string::npos);
    CHECK(s.find("total 12 parameters, 8 trainable, 4 frozen") != std::string::npos);
}

TEST_CASE("a layer shared under two names is listed, counted and stepped once") {
    struct Tied : nn::Module {
        nn::Linear shared;
        explicit Tied(Rng& rng) : shared(2, 2, rng) {
            register_module("first", shared);
            register_module("second", shared);
        }
    };
    Rng rng(0);
    Tied m(rng);
    CHECK(m.named_parameters().size() == 2);
    CHECK(m.named_parameters()[0].first == "first.weight");
    CHECK(m.num_parameters() == 6);
}
