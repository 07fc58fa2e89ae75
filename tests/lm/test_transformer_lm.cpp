// The language model of lesson 5 (lm/transformer_lm.hpp): its parameters counted by formula and
// named for PyTorch, the tied output layer, the two objectives' promises — GPT never reads the
// future, BERT reads both sides, neither reads padding — and the errors a learner meets.
//
//     B batch, T positions, D model size, H heads, F feed-forward, V vocabulary, L layers
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/ops.hpp>

#include "../support/error_of.hpp"
#include "lm_test_util.hpp"

using namespace dikkat;
namespace lm_test {
using lm::Objective;

namespace {
// The parameter count by formula: the tied embedding once, learned positions, L layers, the
// final LayerNorm, the output layer's bias.
std::size_t lm_parameters(const lm::LMConfig& c) {
    const std::size_t d = c.dim, f = c.ff;
    const std::size_t layer = 4 * (d * d + d) + 2 * d * f + f + d + 4 * d;
    return c.vocab * d + (c.positions == "learned" ? c.context * d : 0) + c.layers * layer + 2 * d + c.vocab;
}

// Two sequences of 6 words (ids 5..11 are words).
IndexArray two_sentences() { return IndexArray{{5, 6, 7, 8, 9, 10}, {11, 10, 9, 8, 7, 6}}; }

// The logits (1, T, V) of `ids`, and of `ids` with the word at `j` replaced.
struct Pair {
    Array before, after;
};
Pair logits_with_word_changed(const lm::TransformerLM& model, std::size_t j) {
    const std::vector<Index> ids = {5, 6, 7, 8, 9, 10};
    std::vector<Index> changed = ids;
    changed[j] = 11;
    NoGrad no_grad;
    return {model.forward(one_row(ids)).value(), model.forward(one_row(changed)).value()};
}
// max |a - b| at position t of two (1, T, V) logits.
double difference_at(const Pair& p, std::size_t t) {
    return max_difference(xt::view(p.before, 0, t, xt::all()), xt::view(p.after, 0, t, xt::all()));
}
}  // namespace

// ---- parameters --------------------------------------------------------------------------------

TEST_CASE("TransformerLM has the parameters of the formula, with learned and with sinusoidal positions") {
    for (const char* positions : {"learned", "sinusoidal"})
        for (std::size_t layers : {1u, 2u}) {
            CAPTURE(positions);
            CAPTURE(layers);
            const lm::LMConfig c = tiny_config(Objective::gpt, layers, positions);
            Rng rng(1);
            const lm::TransformerLM model(c, rng);
            CHECK(model.num_parameters() == lm_parameters(c));
            CHECK(model.layers.size() == layers);
        }
    // The numbers by hand for one: 12*8 + 8*8 + 2*(288 + 256 + 16 + 8 + 32) + 16 + 12.
    Rng rng(1);
    CHECK(lm::TransformerLM(tiny_config(Objective::bert, 2), rng).num_parameters() == 1388);
}

TEST_CASE("TransformerLM's parameters carry the names of PyTorch's module tree") {
    Rng rng(2);
    const lm::TransformerLM model(tiny_config(Objective::gpt, 2), rng);
    std::vector<std::string> names;
    for (const auto& [name, p] : model.named_parameters()) names.push_back(name);
    std::vector<std::string> expected = {"embed.weight", "positions.table.weight"};
    for (const char* l : {"0", "1"})
        for (const char* m : {"norm1", "attention.query", "attention.key", "attention.value",
                              "attention.output", "norm2", "ff.up", "ff.down"})
            for (const char* p : {"weight", "bias"})
                expected.push_back(std::string("layers.") + l + "." + m + "." + p);
    for (const char* n : {"norm.weight", "norm.bias", "head.bias"}) expected.push_back(n);
    CHECK(names == expected);
}

TEST_CASE("the output layer holds the embedding's tensor, and the gradients of both uses add into it") {
    Rng rng(3);
    lm::TransformerLM model(tiny_config(Objective::gpt, 1), rng);
    CHECK(model.head.weight.node_ptr() == model.embed.weight.node_ptr());
    const IndexArray ids = two_sentences();
    const Array R = rng.normal_array({2, 6, V});  // dL/dlogits of L = sum(R * logits)
    const Array W = model.embed.weight.value();   // (V, D)

    // Through the embedding alone: features (B, T, D) seeded with dL/dh of the head's input, R W.
    const Tensor h = model.features(ids);
    Array dh(Shape{2, 6, D});
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t t = 0; t < 6; ++t)
            for (std::size_t d = 0; d < D; ++d) {
                double s = 0.0;
                for (std::size_t v = 0; v < V; ++v) s += double(R(b, t, v)) * double(W(v, d));
                dh(b, t, d) = float(s);
            }
    h.backward(dh);
    const Array through_embedding = model.embed.weight.grad();
    // Through the head alone: dL/dW = sum over (b, t) of R[b, t, :]^T h[b, t, :] (V, D).
    Array through_head = xt::zeros<float>({V, D});
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t t = 0; t < 6; ++t)
            for (std::size_t v = 0; v < V; ++v)
                for (std::size_t d = 0; d < D; ++d) through_head(v, d) += R(b, t, v) * h.value()(b, t, d);

    model.zero_grad();
    model.forward(ids).backward(R);
    const Array both = model.embed.weight.grad();
    CHECK(max_difference(both, through_embedding + through_head) < 1e-5);
    CHECK(max_difference(both, through_embedding) > 1e-3);  // the head's share is not lost
    CHECK(max_difference(model.head.weight.grad(), both) == 0.0);
}

// ---- what a position reads ---------------------------------------------------------------------

TEST_CASE("GPT is causal: a word changes no scores before it, and the scores at and after it") {
    Rng rng(4);
    const lm::TransformerLM gpt(tiny_config(Objective::gpt), rng);
    for (std::size_t j : {1u, 3u, 5u}) {
        CAPTURE(j);
        const Pair p = logits_with_word_changed(gpt, j);
        for (std::size_t t = 0; t < j; ++t) CHECK(difference_at(p, t) < 1e-6);
        for (std::size_t t = j; t < 6; ++t) CHECK(difference_at(p, t) > 1e-5);
    }
}

TEST_CASE("BERT reads both sides: a word changes the scores at every position, earlier ones too") {
    Rng rng(4);
    const lm::TransformerLM bert(tiny_config(Objective::bert), rng);
    for (std::size_t j : {1u, 3u, 5u}) {
        CAPTURE(j);
        const Pair p = logits_with_word_changed(bert, j);
        for (std::size_t t = 0; t < 6; ++t) CHECK(difference_at(p, t) > 1e-5);
    }
}

TEST_CASE("a causal function that lets every position read every other makes GPT read ahead") {
    Rng rng(5);
    lm::TransformerLM gpt(tiny_config(Objective::gpt), rng);
    gpt.causal = [](std::size_t T) { return Array(xt::ones<float>({T, T})); };
    const Pair p = logits_with_word_changed(gpt, 3);
    CHECK(difference_at(p, 0) > 1e-5);
}

TEST_CASE("a causal function of the wrong shape is a ShapeError naming both shapes") {
    Rng rng(5);
    lm::TransformerLM gpt(tiny_config(Objective::gpt), rng);
    gpt.causal = [](std::size_t T) { return causal_mask(T - 1); };
    check_error<ShapeError>([&] { gpt.forward(two_sentences()); },
                            {"the causal mask for 6 positions is (5, 5); expected (6, 6)"});
}

TEST_CASE("attention_keep is causal for GPT, everything for BERT, and hides padded keys for both") {
    Rng rng(6);
    const lm::TransformerLM gpt(tiny_config(Objective::gpt), rng);
    const lm::TransformerLM bert(tiny_config(Objective::bert), rng);
    const Array keep = padding_mask({2, 3}, 3);  // (B, T): the first sentence has 2 words
    CHECK(gpt.attention_keep(3) == causal_mask(3));
    CHECK(bert.attention_keep(3).dimension() == 0);  // {}: no mask at all
    const Array g = gpt.attention_keep(3, keep);
    REQUIRE(g.shape() == Shape{2, 1, 3, 3});
    const Array expected_g = {{{{1, 0, 0}, {1, 1, 0}, {1, 1, 0}}}, {{{1, 0, 0}, {1, 1, 0}, {1, 1, 1}}}};
    CHECK(g == expected_g);
    const Array b = bert.attention_keep(3, keep);
    REQUIRE(b.shape() == Shape{2, 1, 1, 3});
    const Array expected_b = {{{{1, 1, 0}}}, {{{1, 1, 1}}}};
    CHECK(b == expected_b);
}

TEST_CASE("padding keep 0 leaves the real positions' features as those of the sequence alone") {
    // Row 0 holds 4 words and 2 pads, row 1 six words; each row against itself, unpadded.
    const IndexArray ids = {{5, 6, 7, 8, 0, 0}, {11, 10, 9, 8, 7, 6}};
    const Array keep = padding_mask({4, 6}, 6);
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng rng(7);
        const lm::TransformerLM model(tiny_config(o), rng);
        NoGrad no_grad;
        const Array padded = model.features(ids, keep).value();  // (2, 6, D)
        const Array alone0 = model.features(one_row({5, 6, 7, 8})).value();
        const Array alone1 = model.features(one_row({11, 10, 9, 8, 7, 6})).value();
        CHECK(max_difference(xt::view(padded, 0, xt::range(0, 4), xt::all()), xt::view(alone0, 0)) < 1e-5);
        CHECK(max_difference(xt::view(padded, 1), xt::view(alone1, 0)) < 1e-5);
        if (o == Objective::bert) {  // without the keep, BERT's words read the pads
            const Array unkept = model.features(ids).value();
            CHECK(max_difference(xt::view(unkept, 0, xt::range(0, 4), xt::all()), xt::view(alone0, 0)) >
                  1e-4);
        }
    }
}

TEST_CASE("features hands back every layer's attention weights, causal for GPT") {
    Rng rng(8);
    const lm::TransformerLM gpt(tiny_config(Objective::gpt, 2), rng);
    std::vector<Tensor> weights;
    const Tensor y = gpt.features(two_sentences(), {}, &weights);
    CHECK(y.shape() == Shape{2, 6, D});
    REQUIRE(weights.size() == 2);
    for (const Tensor& w : weights) {
        REQUIRE(w.shape() == Shape{2, H, 6, 6});
        CHECK(max_difference(xt::sum(w.value(), {3}), xt::ones<float>({2, 2, 6})) < 1e-5);  // rows sum to 1
        for (std::size_t i = 0; i < 6; ++i)
            for (std::size_t j = i + 1; j < 6; ++j) CHECK(w.value()(1, 1, i, j) == 0.0f);  // no future
    }
    CHECK(gpt.forward(two_sentences()).shape() == Shape{2, 6, V});
}

// ---- errors ------------------------------------------------------------------------------------

TEST_CASE("TransformerLM refuses ids that are not (B, T), too long, or outside the vocabulary") {
    Rng rng(9);
    const lm::TransformerLM gpt(tiny_config(Objective::gpt, 1), rng);
    check_error<ShapeError>([&] { gpt.forward(IndexArray{5, 6, 7}); }, {"ids are (3,)", "expected (B, T)"});
    check_error<ShapeError>(
        [&] {
            gpt.forward(IndexArray(IndexArray::shape_type{1, 0}));
        },
        {"ids are (1, 0)"});
    check_error<ValueError>(
        [&] {
            gpt.forward(one_row({5, 6, 7, 8, 9, 10, 11, 5, 6}));
        },
        {"a sequence of 9 tokens", "at most 8 (its context)"});
    check_error<ValueError>(
        [&] {
            gpt.forward(one_row({5, 12}));
        },
        {"id 12", "outside the vocabulary [0, 12)"});
    check_error<ValueError>([&] { gpt.forward(one_row({-1, 5})); }, {"id -1"});
    // The whole context is fine.
    CHECK(gpt.forward(one_row({5, 6, 7, 8, 9, 10, 11, 5})).shape() == Shape{1, 8, V});
}

TEST_CASE("TransformerLM names both shapes when the keep does not fit the ids") {
    Rng rng(9);
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        const lm::TransformerLM model(tiny_config(o, 1), rng);
        check_error<ShapeError>(
            [&] {
                model.forward(two_sentences(), padding_mask({2, 5}, 5));
            },
            {"keep is (2, 5)", "expected (B, 6)"});
        check_error<ShapeError>(
            [&] {
                model.forward(two_sentences(), Array(xt::ones<float>({2, 1, 6})));
            },
            {"keep is (2, 1, 6)"});
    }
}

TEST_CASE(
    "TransformerLM refuses heads that do not divide the model size, and a vocabulary of specials only") {
    Rng rng(10);
    lm::LMConfig c = tiny_config(Objective::gpt, 1);
    c.heads = 3;
    check_error<ValueError>([&] { lm::TransformerLM model(c, rng); },
                            {"3 heads do not divide the model size 8"});
    c = tiny_config(Objective::gpt, 1);
    c.vocab = 5;
    check_error<ValueError>([&] { lm::TransformerLM model(c, rng); }, {"vocabulary of 5 ids"});
}

// ---- configuration -----------------------------------------------------------------------------

TEST_CASE("LMConfig survives to_json and from_json, for both objectives") {
    for (Objective o : {Objective::gpt, Objective::bert}) {
        lm::LMConfig c = tiny_config(o, 3, "sinusoidal");
        c.dropout = 0.1f;
        const lm::LMConfig back = lm::LMConfig::from_json(c.to_json());
        CHECK(back.objective == o);
        CHECK(back.to_json() == c.to_json());
        CHECK(back.dropout == 0.1f);
        CHECK(back.layers == 3);
        CHECK(back.positions == "sinusoidal");
    }
    CHECK(lm::to_string(Objective::bert) == "bert");
    CHECK(lm::objective_from_string("gpt") == Objective::gpt);
    check_error<ValueError>([] { lm::objective_from_string("GPT"); }, {"objective 'GPT'"});
}

TEST_CASE("LMConfig::from_json names the key that is missing or wrong") {
    const nlohmann::json good = tiny_config(Objective::gpt).to_json();
    auto with = [&](const std::string& key, const nlohmann::json& value) {
        nlohmann::json j = good;
        j[key] = value;
        return j;
    };
    nlohmann::json no_heads = good;
    no_heads.erase("heads");
    check_error<ValueError>([&] { lm::LMConfig::from_json(no_heads); }, {"'heads' is missing"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("objective", "elmo")); },
                            {"objective 'elmo'"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("objective", 1)); }, {"'objective'"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("positions", "rotary")); },
                            {"'positions' is 'rotary'"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("dropout", 1.5)); }, {"'dropout'", "[0, 1)"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("dim", 0u)); },
                            {"'dim' is 0; expected 1 to 65536"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("layers", 1000u)); },
                            {"'layers' is 1000; expected 1 to 256"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("context", -4)); },
                            {"'context' is -4; expected 1 to 65536"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(with("ff", 16.5)); },
                            {"'ff' is missing or not a whole number"});
    check_error<ValueError>([&] { lm::LMConfig::from_json(nlohmann::json::array()); }, {"a JSON object"});
}

TEST_CASE("masked_lm_loss equals the cross-entropy of the full output at the hidden words, gradients too") {
    Rng rng(3);
    lm::TransformerLM bert(tiny_config(Objective::bert), rng);
    IndexArray inputs = IndexArray{{5, 6, 4, 8, 9, 4, 11, 7}, {4, 7, 8, 9, 10, 11, 5, 6}};
    IndexArray targets(inputs.shape(), Index{-100});
    targets(0, 2) = 7, targets(0, 5) = 10, targets(1, 0) = 5, targets(1, 6) = 9;  // the hidden words
    auto gradients = [&](const Tensor& loss) {
        bert.zero_grad();
        loss.backward();
        std::vector<Array> g;
        for (const Tensor& p : bert.parameters()) g.push_back(p.grad());
        return g;
    };
    const Tensor fast = lm::masked_lm_loss(bert, inputs, targets);
    const Tensor full = cross_entropy(bert(inputs), targets);
    CHECK(fast.item() == doctest::Approx(full.item()).epsilon(1e-6));
    const std::vector<Array> g_fast = gradients(fast), g_full = gradients(full);
    for (std::size_t i = 0; i < g_fast.size(); ++i) CHECK(max_difference(g_fast[i], g_full[i]) < 1e-6);
    check_error<ValueError>(
        [&] { lm::masked_lm_loss(bert, inputs, IndexArray(inputs.shape(), Index{-100})); },
        {"no position is hidden"});
    check_error<ShapeError>([&] { lm::masked_lm_loss(bert, inputs, IndexArray{{1, 2}}); }, {"same shape"});
}
}  // namespace lm_test
