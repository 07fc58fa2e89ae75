// seq2seq::TransformerTranslator (seq2seq/transformer_translator.hpp): teacher forcing and
// decoding with the key/value cache compute the same scores, and decoding with the cache
// chooses exactly the words that recomputing everything would; states that follow beam search;
// masks seen from the whole model; parameters, gradients, configuration and checkpoints.
//
//     B batch, S source length, T target length, D model size, H heads, V target vocabulary
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/seq2seq/decode.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>

#include "../io/io_test_util.hpp"
#include "seq2seq_test_util.hpp"

using namespace dikkat;
using data::Vocab;
using seq2seq::TransformerConfig;
using seq2seq::TransformerTranslator;
using seq2seq_test::column;
using seq2seq_test::padded_batch;
using seq2seq_test::parameter_gradient_error;
using seq2seq_test::tiny_transformer_config;
using seq2seq_test::words;

namespace {
const std::vector<std::string> position_kinds = {"sinusoidal", "learned", "none"};

// Parameter count by the formulas of nn/transformer.hpp: embeddings (Vs + Vt) D, learned
// positions max_length D, the stacks, the output layer D V + V.
std::size_t expected_parameters(const TransformerConfig& c) {
    const std::size_t D = c.sizes.dim, F = c.sizes.ff, V = c.target_vocab;
    const std::size_t attention = 4 * (D * D + D), ff = 2 * D * F + F + D, norm = 2 * D;
    const std::size_t encoder = c.sizes.encoder_layers * (attention + ff + 2 * norm) + norm;
    const std::size_t decoder = c.sizes.decoder_layers * (2 * attention + ff + 3 * norm) + norm;
    const std::size_t positions = c.positions == "learned" ? c.max_length * D : 0;
    return (c.source_vocab + V) * D + positions + encoder + decoder + D * V + V;
}

// Decoding by recomputing everything: each step runs the model's whole forward() (teacher
// forcing, causal mask) over the source and every word so far, and keeps the last position's
// scores. No cache — the reference the cached decoder must match.
class RecomputingTranslator : public seq2seq::Translator {
  public:
    explicit RecomputingTranslator(const TransformerTranslator& model) : model_(model) {}

    struct Words : State {
        IndexArray source;                      // (B, S)
        Array source_keep;                      // (B, S) or {}
        std::vector<std::vector<Index>> words;  // per row, every word fed so far (<bos> first)
        void select_rows(const std::vector<std::size_t>& rows) override {
            source = IndexArray(xt::view(source, xt::keep(rows), xt::all()));
            if (has_keep(source_keep)) source_keep = Array(xt::view(source_keep, xt::keep(rows), xt::all()));
            std::vector<std::vector<Index>> kept;
            for (std::size_t r : rows) kept.push_back(words[r]);
            words = std::move(kept);
        }
    };

    Tensor forward(const seq2seq::Batch& batch, Array* attention = nullptr) const override {
        return model_.forward(batch, attention);
    }
    std::unique_ptr<State> start(const IndexArray& source, const Array& source_keep) const override {
        auto state = std::make_unique<Words>();
        state->source = source;
        state->source_keep = source_keep;
        state->words.resize(source.shape()[0]);
        return state;
    }
    Tensor step(State& state, const IndexArray& previous) const override {
        auto& s = dynamic_cast<Words&>(state);
        const std::size_t B = previous.size();
        REQUIRE(s.words.size() == B);
        for (std::size_t b = 0; b < B; ++b) s.words[b].push_back(previous(b));
        const std::size_t T = s.words[0].size();
        IndexArray target(IndexArray::shape_type{B, T});  // (B, T): every row has the same length
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t t = 0; t < T; ++t) target(b, t) = s.words[b][t];
        const seq2seq::Batch batch{s.source, s.source_keep, target, target};
        Array attention;                                          // (B, T, S)
        const Tensor scores = model_.forward(batch, &attention);  // (B, T, V)
        state.attention = Array(xt::view(attention, xt::all(), T - 1, xt::all()));
        return select(scores, 1, T - 1);  // (B, V): the newest position's
    }

  private:
    const TransformerTranslator& model_;
};

// Row b of a padded batch's source without its padding: the sentence beam_search reads.
std::vector<Index> row(const IndexArray& ids, const Array& keep, std::size_t b) {
    std::vector<Index> out;
    for (std::size_t j = 0; j < ids.shape()[1]; ++j)
        if (keep(b, j) != 0.0f) out.push_back(ids(b, j));
    return out;
}

// Two translations are the same decision: the same words, the same end, and (within float
// error) the same log-probability and attention.
void check_same_translation(const seq2seq::Translation& cached, const seq2seq::Translation& recomputed) {
    CHECK(cached.ids == recomputed.ids);
    CHECK(cached.ended == recomputed.ended);
    CHECK(std::abs(cached.log_prob - recomputed.log_prob) < 1e-4);
    if (cached.attention.shape() == recomputed.attention.shape())
        CHECK(max_difference(cached.attention, recomputed.attention) < 1e-5);
    else
        FAIL_CHECK("attention shapes differ");
}
}  // namespace

// ---- shapes and attention ------------------------------------------------------------------

TEST_CASE("TransformerTranslator forward gives scores (B, T, V) and attention (B, T, S) that skips padding") {
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : position_kinds) {
        CAPTURE(kind);
        Rng rng(1);
        const TransformerTranslator model(tiny_transformer_config(kind), rng);
        CHECK(model.describe() == "TransformerTranslator(" + kind + " positions)");
        Array attention;
        const Tensor scores = model.forward(batch, &attention);
        CHECK(scores.shape() == Shape{2, 5, 8});
        CHECK(xt::all(xt::isfinite(scores.value())));
        REQUIRE(attention.shape() == Shape{2, 5, 5});
        for (std::size_t b = 0; b < 2; ++b)
            for (std::size_t t = 0; t < 5; ++t) {
                double total = 0.0;
                for (std::size_t j = 0; j < 5; ++j) {
                    if (batch.source_keep(b, j) == 0.0f)
                        CHECK(attention(b, t, j) == 0.0f);
                    else
                        CHECK(attention(b, t, j) > 0.0f);
                    total += static_cast<double>(attention(b, t, j));
                }
                CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
            }
    }
}

TEST_CASE(
    "TransformerTranslator forward keeps every layer's weights per head, the last cross-attention averaged") {
    const seq2seq::Batch batch = padded_batch();
    Rng rng(2);
    const TransformerTranslator model(tiny_transformer_config("sinusoidal"), rng);
    nn::Transformer::Weights weights;
    const Array scores = model.forward(batch, weights).value();
    REQUIRE(weights.encoder_self.size() == 1);
    REQUIRE(weights.decoder_self.size() == 2);
    REQUIRE(weights.decoder_cross.size() == 2);
    CHECK(weights.encoder_self[0].shape() == Shape{2, 2, 5, 5});   // (B, H, S, S)
    CHECK(weights.decoder_self[1].shape() == Shape{2, 2, 5, 5});   // (B, H, T, T)
    CHECK(weights.decoder_cross[1].shape() == Shape{2, 2, 5, 5});  // (B, H, T, S)
    Array attention;
    CHECK(model.forward(batch, &attention).value() == scores);
    const Array& last = weights.decoder_cross[1].value();
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t t = 0; t < 5; ++t)
            for (std::size_t j = 0; j < 5; ++j) {
                const float mean = (last(b, 0, t, j) + last(b, 1, t, j)) / 2.0f;
                CHECK(static_cast<double>(attention(b, t, j)) ==
                      doctest::Approx(static_cast<double>(mean)).epsilon(1e-6));
            }
    CHECK(max_difference(xt::view(last, xt::all(), 0), xt::view(last, xt::all(), 1)) > 1e-4);  // heads differ
}

TEST_CASE("key_keep turns source_keep (B, S) into (B, 1, 1, S) and leaves no mask as no mask") {
    const Array keep = padding_mask({3, 1}, 3);
    const Array k = seq2seq::key_keep(keep);
    REQUIRE(k.shape() == Shape{2, 1, 1, 3});
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t j = 0; j < 3; ++j) CHECK(k(b, 0, 0, j) == keep(b, j));
    CHECK_FALSE(has_keep(seq2seq::key_keep(Array())));
    check_error<ShapeError>(
        [] {
            seq2seq::key_keep(xt::ones<float>({2, 1, 3}));
        },
        {"key_keep: source_keep is (2, 1, 3); expected (B, S)"});
}

// ---- what the model may read ---------------------------------------------------------------

TEST_CASE("TransformerTranslator scores at position t do not change with the target words after t") {
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : position_kinds) {
        CAPTURE(kind);
        Rng rng(3);
        const TransformerTranslator model(tiny_transformer_config(kind), rng);
        const Array before = model.forward(batch).value();  // (B, T, V)
        for (std::size_t t = 0; t + 1 < 5; ++t) {
            CAPTURE(t);
            seq2seq::Batch changed = batch;
            for (std::size_t b = 0; b < 2; ++b)
                for (std::size_t u = t + 1; u < 5; ++u)
                    changed.target_in(b, u) = changed.target_in(b, u) == 6 ? 7 : 6;  // another word
            const Array after = model.forward(changed).value();
            CHECK(max_difference(xt::view(before, xt::all(), xt::range(0, t + 1)),
                                 xt::view(after, xt::all(), xt::range(0, t + 1))) < 1e-6);
            CHECK(max_difference(xt::view(before, xt::all(), xt::range(t + 1, 5)),
                                 xt::view(after, xt::all(), xt::range(t + 1, 5))) > 1e-4);
        }
    }
}

TEST_CASE("TransformerTranslator scores do not change with the ids at padded source positions") {
    const seq2seq::Batch batch = padded_batch();  // source 1 is padded at positions 2, 3 and 4
    for (const std::string& kind : position_kinds) {
        CAPTURE(kind);
        Rng rng(4);
        const TransformerTranslator model(tiny_transformer_config(kind), rng);
        seq2seq::Batch changed = batch;
        for (std::size_t j = 2; j < 5; ++j) changed.source(1, j) = static_cast<Index>(4 + j);
        CHECK(max_difference(model.forward(batch).value(), model.forward(changed).value()) < 1e-6);
        // The ids are read, though, when the keep mask says they are words.
        changed.source_keep = xt::ones<float>({2, 5});
        CHECK(max_difference(xt::view(model.forward(batch).value(), 1),
                             xt::view(model.forward(changed).value(), 1)) > 1e-4);
    }
}

// ---- training and decoding agree -------------------------------------------------------------

TEST_CASE(
    "TransformerTranslator step by step with the cache on the reference words gives the scores of teacher "
    "forcing") {
    // start() + step() (translating, one new word at a time over the key/value cache) and
    // forward() (training, every position in one causal pass) are one computation: fed the
    // same previous words they give the same scores at every position — padded ones included —
    // and the same attention.
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : position_kinds) {
        CAPTURE(kind);
        Rng rng(5);
        const TransformerTranslator model(tiny_transformer_config(kind), rng);
        Array attention;
        const Array forced = model.forward(batch, &attention).value();  // (B, T, V)
        const auto state = model.start(batch.source, batch.source_keep);
        for (std::size_t t = 0; t < batch.target_in.shape()[1]; ++t) {
            CAPTURE(t);
            const Array stepped = model.step(*state, column(batch.target_in, t)).value();  // (B, V)
            REQUIRE(stepped.shape() == Shape{2, 8});
            CHECK(max_difference(stepped, xt::view(forced, xt::all(), t, xt::all())) < 1e-5);
            REQUIRE(state->attention.shape() == Shape{2, 5});
            CHECK(max_difference(state->attention, xt::view(attention, xt::all(), t, xt::all())) < 1e-6);
        }
    }
}

TEST_CASE("greedy_decode and beam_search with the cache choose exactly the words of recomputing everything") {
    // An untrained model says arbitrary words, which is all this needs: the cached decoder and
    // the recomputing one must make the same choice at every step, for every hypothesis.
    constexpr std::size_t max_length = 12;
    const seq2seq::Batch batch = padded_batch();
    for (const std::string kind : {"sinusoidal", "learned"}) {
        CAPTURE(kind);
        Rng rng(24);  // a seed whose untrained model says varied words, not <eos> at once
        TransformerConfig config = tiny_transformer_config(kind);
        config.max_length = max_length + 1;  // greedy_decode reads up to max_length + 1 positions
        const TransformerTranslator model(config, rng);
        const RecomputingTranslator recomputing(model);
        const auto cached = seq2seq::greedy_decode(model, batch.source, batch.source_keep, max_length);
        const auto recomputed =
            seq2seq::greedy_decode(recomputing, batch.source, batch.source_keep, max_length);
        REQUIRE(cached.size() == 2);
        REQUIRE(recomputed.size() == 2);
        std::size_t words_said = 0;
        for (std::size_t b = 0; b < 2; ++b) {
            CAPTURE(b);
            check_same_translation(cached[b], recomputed[b]);
            words_said += cached[b].ids.size();
        }
        CHECK(words_said >= 6);  // a real test: several steps, not an <eos> at once
        for (std::size_t b = 0; b < 2; ++b) {
            CAPTURE(b);
            const std::vector<Index> source = row(batch.source, batch.source_keep, b);
            const seq2seq::Translation with_cache =
                seq2seq::beam_search(model, source, /*beam=*/3, max_length);
            const seq2seq::Translation without =
                seq2seq::beam_search(recomputing, source, /*beam=*/3, max_length);
            check_same_translation(with_cache, without);
            CHECK(with_cache.ids.size() >= 2);
        }
    }
}

TEST_CASE("TransformerTranslator state select_rows 1 1 0 decodes sentences 1, 1 and 0 with their caches") {
    const seq2seq::Batch batch = padded_batch();
    for (const std::string& kind : position_kinds) {
        CAPTURE(kind);
        Rng rng(7);
        const TransformerTranslator model(tiny_transformer_config(kind), rng);
        // Reference: both sentences decoded side by side for three steps.
        const auto both = model.start(batch.source, batch.source_keep);
        model.step(*both, words({Vocab::bos_id, Vocab::bos_id}));
        model.step(*both, words({6, 5}));
        const Array second_attention = both->attention;                // (2, S)
        const Array third = model.step(*both, words({7, 4})).value();  // (2, V)
        const Array third_attention = both->attention;                 // (2, S)
        // The same, with the rows reordered and repeated after two steps (as beam search does):
        // the cache of two positions per layer must follow its row.
        const auto picked = model.start(batch.source, batch.source_keep);
        model.step(*picked, words({Vocab::bos_id, Vocab::bos_id}));
        model.step(*picked, words({6, 5}));
        picked->select_rows({1, 1, 0});
        const Array picked_attention = picked->attention;                    // (3, S)
        const Array logits = model.step(*picked, words({4, 4, 7})).value();  // (3, V)
        REQUIRE(logits.shape() == Shape{3, 8});
        REQUIRE(picked->attention.shape() == Shape{3, 5});
        const std::vector<std::size_t> rows = {1, 1, 0};
        for (std::size_t r = 0; r < 3; ++r) {
            CAPTURE(r);
            CHECK(max_difference(xt::view(logits, r, xt::all()), xt::view(third, rows[r], xt::all())) < 1e-5);
            CHECK(max_difference(xt::view(picked_attention, r, xt::all()),
                                 xt::view(second_attention, rows[r], xt::all())) == 0.0);
            CHECK(max_difference(xt::view(picked->attention, r, xt::all()),
                                 xt::view(third_attention, rows[r], xt::all())) < 1e-6);
        }
        CHECK(max_difference(xt::view(third, 0), xt::view(third, 1)) > 1e-4);  // the rows are told apart
    }
}

TEST_CASE("TransformerTranslator names the position past its max_length when decoding goes on too long") {
    Rng rng(8);
    TransformerConfig config = tiny_transformer_config("sinusoidal");
    config.max_length = 3;
    const TransformerTranslator model(config, rng);
    const seq2seq::Batch batch = padded_batch();  // S = 5 > 3: the source does not fit either
    check_error<ValueError>([&] { model.start(batch.source, batch.source_keep); },
                            {"positions 0 to 4 asked for"});
    const auto state = model.start(IndexArray(xt::view(batch.source, xt::all(), xt::range(0, 3))),
                                   Array(xt::view(batch.source_keep, xt::all(), xt::range(0, 3))));
    for (std::size_t t = 0; t < 3; ++t) model.step(*state, words({5, 5}));
    check_error<ValueError>(
        [&] {
            model.step(*state, words({5, 5}));
        },
        {"PositionalEncoding(sinusoidal, 3 positions): positions 3 to 3 asked for", "this model knows 3"});
}

TEST_CASE("TransformerTranslator step refuses a state another model started") {
    struct Foreign : seq2seq::Translator::State {
        void select_rows(const std::vector<std::size_t>&) override {}
    } foreign;
    Rng rng(9);
    const TransformerTranslator model(tiny_transformer_config("sinusoidal"), rng);
    CHECK_THROWS_WITH_AS(model.step(foreign, words({Vocab::bos_id})),
                         doctest::Contains("needs the state its own start() returned"), ValueError);
}

// ---- parameters ------------------------------------------------------------------------------

TEST_CASE("TransformerTranslator has as many parameters as its formula says, learned positions included") {
    for (const std::string& kind : position_kinds) {
        CAPTURE(kind);
        Rng rng(10);
        const TransformerConfig config = tiny_transformer_config(kind);
        const TransformerTranslator model(config, rng);
        CHECK(model.num_parameters() == expected_parameters(config));
        CHECK(model.num_parameters(/*trainable_only=*/true) == expected_parameters(config));
    }
    // Worked by hand for D 8, F 16, 1 + 2 layers: attention 288, feed-forward 280, LayerNorm 16;
    // encoder 600 + 16, decoder 2 x 904 + 16; embeddings (9 + 8) x 8 = 136; output 72;
    // learned positions 16 x 8 = 128.
    CHECK(expected_parameters(tiny_transformer_config("sinusoidal")) == 2648);
    CHECK(expected_parameters(tiny_transformer_config("none")) == 2648);
    CHECK(expected_parameters(tiny_transformer_config("learned")) == 2776);
}

TEST_CASE("TransformerTranslator names its parameters by part, embeddings first and output last") {
    Rng rng(11);
    const TransformerTranslator model(tiny_transformer_config("learned"), rng);
    const auto params = model.named_parameters();
    REQUIRE(params.size() > 6);
    CHECK(params[0].first == "source_embed.weight");
    CHECK(params[0].second.shape() == Shape{9, 8});  // (Vs, D)
    CHECK(params[1].first == "target_embed.weight");
    CHECK(params[1].second.shape() == Shape{8, 8});  // (Vt, D)
    CHECK(params[2].first == "positions.table.weight");
    CHECK(params[2].second.shape() == Shape{16, 8});  // (max_length, D)
    CHECK(params[3].first == "transformer.encoder0.norm1.weight");
    CHECK(params[params.size() - 2].first == "output.weight");
    CHECK(params[params.size() - 2].second.shape() == Shape{8, 8});  // (D, Vt)
    CHECK(params.back().first == "output.bias");
    bool cross = false;
    for (const auto& [name, p] : params)
        cross = cross || name == "transformer.decoder1.cross_attention.value.bias";
    CHECK(cross);
}

TEST_CASE(
    "gradcheck: the TransformerTranslator loss wrt embeddings, positions, attention, feed-forward and "
    "output") {
    // One parameter from every part, on the padded batch; finite differences by changing the
    // parameter in place (seq2seq_test_util.hpp). The feed-forward's ReLU has a kink at 0: a step
    // of 1e-2 that carries a pre-activation across it makes the central difference itself wrong
    // (by up to 2e-2 here, while the one-sided difference on the other side agrees with
    // backward()). The seed is one where no step of the parameters below crosses a kink.
    const seq2seq::Batch batch = padded_batch();
    Rng rng(18);
    TransformerTranslator model(tiny_transformer_config("learned"), rng);
    for (const std::string name :
         {"source_embed.weight", "target_embed.weight", "positions.table.weight",
          "transformer.encoder0.attention.query.weight", "transformer.encoder0.ff.up.weight",
          "transformer.encoder_norm.weight", "transformer.decoder0.self_attention.key.weight",
          "transformer.decoder1.cross_attention.value.bias", "transformer.decoder1.ff.up.weight",
          "transformer.decoder1.ff.down.weight", "output.weight"}) {
        CAPTURE(name);
        const double error = parameter_gradient_error(model, name, batch);
        MESSAGE(name, ": max error ", error);
        CHECK(error < 5e-3);
    }
}

TEST_CASE("TransformerTranslator padded source words and unused positions get no gradient") {
    // <pad> (id 0) is read only at padded source positions, which every attention hides: its
    // source embedding row gets exactly 0. So do the learned positions no sentence reaches.
    const seq2seq::Batch batch = padded_batch();
    Rng rng(13);
    const TransformerTranslator model(tiny_transformer_config("learned"), rng);
    seq2seq_test::loss_of(model, batch).backward();
    const Array& g = model.source_embed.weight.grad();                     // (Vs, D)
    const Array& p = model.positions.named_parameters()[0].second.grad();  // (max_length, D)
    for (std::size_t c = 0; c < 8; ++c) {
        CAPTURE(c);
        CHECK(g(Vocab::pad_id, c) == 0.0f);
        CHECK(g(7, c) != 0.0f);  // a real word learns
        CHECK(p(4, c) != 0.0f);  // position 4 is read on both sides
        CHECK(p(5, c) == 0.0f);  // no sentence has 6 words
    }
}
