// seq2seq::RnnTranslator (seq2seq/rnn_translator.hpp), with and without attention: shapes,
// attention that ignores padding, training (teacher forcing) and decoding (step by step) that
// compute the same scores, parameters, gradients, its configuration and swappable parts.
//
//     B batch, S source length, T target length, E embedding, H encoder state (one direction),
//     D decoder state, C context, A attention, V vocabulary
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/data/vocab.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>

#include "seq2seq_test_util.hpp"

using namespace dikkat;
using data::Vocab;
using seq2seq::RnnConfig;
using seq2seq::RnnTranslator;
using seq2seq_test::column;
using seq2seq_test::loss_of;
using seq2seq_test::padded_batch;
using seq2seq_test::parameter_gradient_error;
using seq2seq_test::words;

namespace {
const std::vector<std::string> kinds = {"none", "additive", "dot"};

// Tiny sizes (seq2seq_test_util.hpp): E 3, H 2, D 3, A 2; vocabularies of 9 and 8 words.
RnnConfig tiny_config(const std::string& attention) { return seq2seq_test::tiny_config(9, 8, attention); }

// Parameter count by the formulas of nn/rnn.hpp and nn/attention.hpp.
std::size_t expected_parameters(const RnnConfig& c) {
    const std::size_t E = c.embed, H = c.encoder_hidden, D = c.decoder_hidden, A = c.attention_size;
    const std::size_t C = c.context_size();
    const std::size_t embeddings = (c.source_vocab + c.target_vocab) * E;
    const std::size_t encoder = 2 * 3 * (E * H + H * H + 2 * H);  // two GRUs, one per direction
    const std::size_t bridge = 2 * H * D + D;
    const std::size_t decoder = 3 * ((E + C) * D + D * D + 2 * D);  // a GRU reading [y ; c]
    const std::size_t attention = c.attention == "additive" ? D * A + 2 * H * A + 2 * A  // W_q, W_k, b, v
                                  : c.attention == "dot"    ? D * 2 * H                  // W
                                                            : 0;
    const std::size_t output = (D + C + E) * c.target_vocab + c.target_vocab;  // from [s ; c ; y]
    return embeddings + encoder + bridge + decoder + attention + output;
}

// A context function that counts its calls (RnnParts::context is a plain function pointer, so
// the count lives outside it) and gives the decoder a start of all zeros.
int context_calls = 0;
Tensor counting_zero_context(const Tensor& h_forward_last, const Tensor& h_backward_first, const Tensor& W,
                             const Tensor& b) {
    ++context_calls;
    return seq2seq::context_vector(h_forward_last, h_backward_first, W, b) * 0.0f;  // (B, D)
}
}  // namespace

// ---- shapes and attention ------------------------------------------------------------------

TEST_CASE("RnnTranslator forward gives scores (B, T, V) with every kind of attention") {
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : kinds) {
        CAPTURE(kind);
        Rng rng(1);
        const RnnTranslator model(tiny_config(kind), rng);
        const Tensor logits = model.forward(batch);
        CHECK(logits.shape() == Shape{2, 5, 8});
        CHECK(xt::all(xt::isfinite(logits.value())));
        CHECK(model.describe() == "RnnTranslator(attention " + kind + ")");
    }
}

TEST_CASE(
    "RnnTranslator attention weights (B, T, S) sum to 1 over the real source words and are 0 at padding") {
    const seq2seq::Batch batch = padded_batch();
    for (const std::string kind : {"additive", "dot"}) {
        CAPTURE(kind);
        Rng rng(2);
        const RnnTranslator model(tiny_config(kind), rng);
        Array weights;
        model.forward(batch, &weights);
        REQUIRE(weights.shape() == Shape{2, 5, 5});
        for (std::size_t b = 0; b < 2; ++b)
            for (std::size_t t = 0; t < 5; ++t) {
                double total = 0.0;
                for (std::size_t j = 0; j < 5; ++j) {
                    if (batch.source_keep(b, j) == 0.0f) {
                        CHECK(weights(b, t, j) == 0.0f);
                    } else {
                        CHECK(weights(b, t, j) > 0.0f);
                        total += static_cast<double>(weights(b, t, j));
                    }
                }
                CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
            }
    }
}

TEST_CASE("RnnTranslator without attention leaves the weights array empty") {
    Rng rng(3);
    const RnnTranslator model(tiny_config("none"), rng);
    const seq2seq::Batch batch = padded_batch();
    Array weights;
    model.forward(batch, &weights);
    CHECK(weights.dimension() == 0);
    CHECK(model.attention == nullptr);
    const auto state = model.start(batch.source, batch.source_keep);
    model.step(*state, words({Vocab::bos_id, Vocab::bos_id}));
    CHECK(state->attention.dimension() == 0);
}

// ---- training and decoding agree -------------------------------------------------------------

TEST_CASE("RnnTranslator step by step on the reference words gives the scores of teacher forcing") {
    // The decoder of forward() (training) and of start() + step() (translating) must be one
    // computation: fed the same previous words, they give the same scores at every position —
    // padded positions included — and the same attention.
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : kinds) {
        CAPTURE(kind);
        Rng rng(4);
        const RnnTranslator model(tiny_config(kind), rng);
        Array weights;
        const Array forced = model.forward(batch, &weights).value();  // (B, T, V)
        const auto state = model.start(batch.source, batch.source_keep);
        for (std::size_t t = 0; t < batch.target_in.shape()[1]; ++t) {
            CAPTURE(t);
            const Array stepped = model.step(*state, column(batch.target_in, t)).value();  // (B, V)
            CHECK(max_difference(stepped, xt::view(forced, xt::all(), t, xt::all())) < 1e-5);
            if (kind != "none") {
                REQUIRE(state->attention.shape() == Shape{2, 5});
                CHECK(max_difference(state->attention, xt::view(weights, xt::all(), t, xt::all())) < 1e-6);
            }
        }
    }
}

TEST_CASE("RnnTranslator state select_rows 1 1 0 decodes sentences 1, 1 and 0") {
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : kinds) {
        CAPTURE(kind);
        Rng rng(5);
        const RnnTranslator model(tiny_config(kind), rng);
        // Reference: both sentences decoded side by side for two steps.
        const auto both = model.start(batch.source, batch.source_keep);
        model.step(*both, words({Vocab::bos_id, Vocab::bos_id}));
        const Array first_attention = both->attention;                  // (2, S)
        const Array second = model.step(*both, words({6, 5})).value();  // (2, V)
        const Array second_attention = both->attention;                 // (2, S)
        // The same, with the rows reordered and repeated after the first step (as beam search does).
        const auto picked = model.start(batch.source, batch.source_keep);
        model.step(*picked, words({Vocab::bos_id, Vocab::bos_id}));
        picked->select_rows({1, 1, 0});
        const Array picked_attention = picked->attention;                    // (3, S)
        const Array logits = model.step(*picked, words({5, 5, 6})).value();  // (3, V)
        REQUIRE(logits.shape() == Shape{3, 8});
        const std::vector<std::size_t> rows = {1, 1, 0};
        for (std::size_t r = 0; r < 3; ++r) {
            CAPTURE(r);
            CHECK(max_difference(xt::view(logits, r, xt::all()), xt::view(second, rows[r], xt::all())) <
                  1e-6);
            if (kind == "none") continue;
            CHECK(max_difference(xt::view(picked_attention, r, xt::all()),
                                 xt::view(first_attention, rows[r], xt::all())) == 0.0);
            CHECK(max_difference(xt::view(picked->attention, r, xt::all()),
                                 xt::view(second_attention, rows[r], xt::all())) < 1e-6);
        }
    }
}

// ---- parameters ------------------------------------------------------------------------------

TEST_CASE("RnnTranslator has as many parameters as its formula says, with and without attention") {
    for (const std::string& kind : kinds) {
        CAPTURE(kind);
        Rng rng(6);
        const RnnConfig config = tiny_config(kind);
        const RnnTranslator model(config, rng);
        CHECK(model.num_parameters() == expected_parameters(config));
        CHECK(model.num_parameters(/*trainable_only=*/true) == expected_parameters(config));
    }
    // The numbers, for the sizes above (worked by hand: embeddings 51, encoder 84, bridge 15,
    // decoder 99 / 108, attention 0 / 18 / 12, output 80 / 88).
    CHECK(expected_parameters(tiny_config("none")) == 329);
    CHECK(expected_parameters(tiny_config("additive")) == 364);
    CHECK(expected_parameters(tiny_config("dot")) == 358);
}

TEST_CASE("RnnTranslator names its parameters by part, attention between decoder and output") {
    Rng rng(7);
    const RnnTranslator model(tiny_config("additive"), rng);
    std::vector<std::string> names;
    std::vector<Shape> shapes;
    for (const auto& [name, p] : model.named_parameters()) {
        names.push_back(name);
        shapes.push_back(p.shape());
    }
    const std::vector<std::string> expected = {"source_embed.weight",
                                               "target_embed.weight",
                                               "encoder.forward.weight_x",
                                               "encoder.forward.weight_h",
                                               "encoder.forward.bias_x",
                                               "encoder.forward.bias_h",
                                               "encoder.backward.weight_x",
                                               "encoder.backward.weight_h",
                                               "encoder.backward.bias_x",
                                               "encoder.backward.bias_h",
                                               "bridge.weight",
                                               "bridge.bias",
                                               "decoder.weight_x",
                                               "decoder.weight_h",
                                               "decoder.bias_x",
                                               "decoder.bias_h",
                                               "attention.v",
                                               "attention.query.weight",
                                               "attention.key.weight",
                                               "attention.key.bias",
                                               "output.weight",
                                               "output.bias"};
    REQUIRE(names == expected);
    CHECK(shapes[0] == Shape{9, 3});    // source_embed (Vs, E)
    CHECK(shapes[1] == Shape{8, 3});    // target_embed (Vt, E)
    CHECK(shapes[2] == Shape{3, 6});    // encoder GRU (E, 3H)
    CHECK(shapes[10] == Shape{4, 3});   // bridge (2H, D)
    CHECK(shapes[12] == Shape{7, 9});   // decoder GRU (E + C, 3D), C = 2H
    CHECK(shapes[17] == Shape{3, 2});   // attention query (D, A)
    CHECK(shapes[18] == Shape{4, 2});   // attention key (2H, A)
    CHECK(shapes[20] == Shape{10, 8});  // output (D + C + E, V)
}

TEST_CASE("RnnTranslator without attention has no attention parameters and a context of D numbers") {
    Rng rng(8);
    const RnnTranslator model(tiny_config("none"), rng);
    for (const auto& [name, p] : model.named_parameters()) {
        CHECK(name.rfind("attention", 0) == std::string::npos);
        if (name == "decoder.weight_x") CHECK(p.shape() == Shape{6, 9});  // (E + D, 3D): C = D
        if (name == "output.weight") CHECK(p.shape() == Shape{9, 8});     // (D + D + E, V)
    }
}

// ---- gradients -------------------------------------------------------------------------------

TEST_CASE(
    "gradcheck: the RnnTranslator loss wrt embeddings, encoder, bridge, decoder, attention and output") {
    // One parameter from every part, on the padded batch; finite differences by changing the
    // parameter in place (see parameter_gradient_error).
    const seq2seq::Batch batch = padded_batch();
    const std::vector<std::string> common = {"source_embed.weight",       "target_embed.weight",
                                             "encoder.backward.weight_h", "bridge.weight",
                                             "decoder.weight_x",          "output.weight"};
    for (const std::string& kind : kinds) {
        std::vector<std::string> names = common;
        if (kind == "additive") names.insert(names.end(), {"attention.v", "attention.key.weight"});
        if (kind == "dot") names.push_back("attention.query.weight");
        Rng rng(9);
        RnnTranslator model(tiny_config(kind), rng);
        for (const std::string& name : names) {
            CAPTURE(kind);
            CAPTURE(name);
            const double error = parameter_gradient_error(model, name, batch);
            MESSAGE(kind, " ", name, ": max error ", error);
            CHECK(error < 5e-3);
        }
    }
}

TEST_CASE("RnnTranslator padded source words get no gradient in the source embedding") {
    // <pad> (id 0) is read only at the padded source positions, which the encoder carries its
    // state over and the attention gives weight 0: its embedding row must get exactly 0.
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : kinds) {
        CAPTURE(kind);
        Rng rng(10);
        const RnnTranslator model(tiny_config(kind), rng);
        loss_of(model, batch).backward();
        const Array& g = model.source_embed.weight.grad();  // (Vs, E)
        for (std::size_t e = 0; e < 3; ++e) {
            CHECK(g(Vocab::pad_id, e) == 0.0f);
            CHECK(g(7, e) != 0.0f);  // a real word learns
        }
    }
}

// ---- configuration ---------------------------------------------------------------------------

TEST_CASE("RnnConfig survives a round trip through JSON") {
    RnnConfig c = tiny_config("dot");
    c.attention_size = 11;
    const RnnConfig back = RnnConfig::from_json(nlohmann::json::parse(c.to_json().dump()));
    CHECK(back.source_vocab == 9);
    CHECK(back.target_vocab == 8);
    CHECK(back.embed == 3);
    CHECK(back.encoder_hidden == 2);
    CHECK(back.decoder_hidden == 3);
    CHECK(back.attention_size == 11);
    CHECK(back.attention == "dot");
    CHECK(back.to_json() == c.to_json());
}

TEST_CASE("RnnConfig from_json names the field that is missing or malformed") {
    const nlohmann::json good = tiny_config("additive").to_json();
    for (const char* key : {"source_vocab", "target_vocab", "embed", "encoder_hidden", "decoder_hidden",
                            "attention_size", "attention"}) {
        CAPTURE(key);
        nlohmann::json missing = good;
        missing.erase(key);
        check_error<ValueError>([&] { RnnConfig::from_json(missing); },
                                {"model configuration: '" + std::string(key) + "' is missing"});
    }
    nlohmann::json negative = good;
    negative["embed"] = -3;
    check_error<ValueError>([&] { RnnConfig::from_json(negative); }, {"'embed' is -3; expected 1 to"});
    nlohmann::json not_a_string = good;
    not_a_string["attention"] = 2;
    check_error<ValueError>([&] { RnnConfig::from_json(not_a_string); }, {"'attention'", "not a string"});
}

TEST_CASE("RnnTranslator refuses an attention it does not know") {
    Rng rng(11);
    CHECK_THROWS_AS(RnnTranslator(tiny_config("luong"), rng), ValueError);
}

// ---- swappable parts -------------------------------------------------------------------------

TEST_CASE("RnnParts context replaces context_vector when the model reads a source") {
    const seq2seq::Batch batch = padded_batch();
    Rng rng_default(12), rng_custom(12);
    const RnnTranslator standard(tiny_config("none"), rng_default);
    seq2seq::RnnParts parts;
    parts.context = counting_zero_context;
    const RnnTranslator custom(tiny_config("none"), rng_custom, parts);  // same seed, same weights
    context_calls = 0;
    const Array with_zero_start = custom.forward(batch).value();
    CHECK(context_calls == 1);  // once per source batch
    custom.start(batch.source, batch.source_keep);
    CHECK(context_calls == 2);
    // Its result is what the decoder starts from (and, without attention, reads at every step).
    CHECK(max_difference(with_zero_start, standard.forward(batch).value()) > 1e-3);
}

TEST_CASE("RnnParts attention factory builds the attention whatever the configuration says") {
    int calls = 0;
    std::size_t got_query = 0, got_key = 0, got_size = 0;
    seq2seq::RnnParts parts;
    parts.attention = [&](std::size_t query, std::size_t key, std::size_t size, Rng& r) {
        ++calls;
        got_query = query;
        got_key = key;
        got_size = size;
        return std::make_shared<nn::DotAttention>(query, key, r);
    };
    Rng rng(13);
    const RnnConfig config = tiny_config("additive");
    const RnnTranslator model(config, rng, parts);
    CHECK(calls == 1);
    CHECK(got_query == 3);  // D: the decoder state queries
    CHECK(got_key == 4);    // 2H: the encoder states are the keys
    CHECK(got_size == 2);   // A
    REQUIRE(model.attention != nullptr);
    CHECK(dynamic_cast<const nn::DotAttention*>(model.attention.get()) != nullptr);
    bool has_v = false, has_dot_query = false;
    for (const auto& [name, p] : model.named_parameters()) {
        has_v = has_v || name == "attention.v";
        has_dot_query = has_dot_query || (name == "attention.query.weight" && p.shape() == Shape{3, 4});
    }
    CHECK_FALSE(has_v);
    CHECK(has_dot_query);
    CHECK(model.num_parameters() == expected_parameters(tiny_config("dot")));
    Array weights;
    CHECK(model.forward(padded_batch(), &weights).shape() == Shape{2, 5, 8});
    CHECK(weights.shape() == Shape{2, 5, 5});
}

TEST_CASE("RnnTranslator step refuses a state another model started") {
    struct Foreign : seq2seq::Translator::State {
        void select_rows(const std::vector<std::size_t>&) override {}
    } foreign;
    Rng rng(14);
    const RnnTranslator model(tiny_config("none"), rng);
    CHECK_THROWS_WITH_AS(model.step(foreign, words({Vocab::bos_id})),
                         doctest::Contains("needs the state its own start() returned"), ValueError);
}

TEST_CASE("reverse_source reads each sentence backwards, its <eos> and padding in place") {
    // A translator reading "w1 w2 w3 <eos>" reversed gives the same result as one reading
    // "w3 w2 w1 <eos>" forwards: same weights (same seed), same logits.
    RnnConfig forwards = tiny_config("additive"), backwards = forwards;
    backwards.reverse_source = true;
    Rng rng_a(3), rng_b(3);
    const RnnTranslator plain(forwards, rng_a), reversing(backwards, rng_b);
    const auto batch = [](std::vector<std::vector<Index>> sources) {
        return seq2seq::make_batch(sources, {{1, 5, 6, 2}, {1, 7, 2}});
    };
    const Array a = reversing.forward(batch({{5, 6, 7, 2}, {8, 5, 2}})).value();
    const Array b = plain.forward(batch({{7, 6, 5, 2}, {5, 8, 2}})).value();
    CHECK(max_difference(a, b) < 1e-6);
    const Array c = plain.forward(batch({{5, 6, 7, 2}, {8, 5, 2}})).value();
    CHECK(max_difference(a, c) > 1e-4);  // and reversing does change what the model reads
    CHECK(RnnConfig::from_json(backwards.to_json()).reverse_source);
}
