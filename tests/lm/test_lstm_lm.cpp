// lm::LstmLM, concat_pool and stream_perplexity: the body lesson 6 reuses.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/lm/heads.hpp>
#include <dikkat/lm/lstm_lm.hpp>
#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/optim.hpp>

#include "lm_test_util.hpp"

using namespace dikkat;
namespace lm_test {

namespace {
lm::LstmLMConfig tiny_lstm() { return {/*vocab=*/V, /*embed=*/4, /*hidden=*/6}; }
}  // namespace

TEST_CASE("LstmLM ties its output to its embedding and counts each parameter once") {
    Rng rng(1);
    lm::LstmLM model(tiny_lstm(), rng);
    const std::size_t E = 4, Hd = 6;
    // embedding V·E (shared with the output), LSTM 4 gates of H over [x, h] plus biases, down H·E + E,
    // the output's bias V.
    const std::size_t lstm = model.cell->num_parameters();
    CHECK(lstm >= 4 * Hd * (E + Hd));
    CHECK(model.num_parameters() == V * E + lstm + Hd * E + E + V);
    CHECK(model.out.weight.node_ptr() == model.embed.weight.node_ptr());
    const auto o = model.forward(IndexArray{{5, 6, 7}, {8, 9, 10}});
    CHECK(o.scores.shape() == Shape{2, 3, V});
    CHECK(o.features.shape() == Shape{2, 3, E});
    CHECK(o.run.outputs.shape() == Shape{2, 3, Hd});
}

TEST_CASE("LstmLM::features gives forward's features bit for bit, padded rows too, and checks its ids") {
    Rng rng(3);
    lm::LstmLM model(tiny_lstm(), rng);
    const IndexArray ids{{5, 6, 7, 0}, {8, 9, 10, 11}};
    const Array keep{{1, 1, 1, 0}, {1, 1, 1, 1}};
    CHECK(model.features(ids, keep).value() == model.forward(ids, {}, keep).features.value());
    CHECK(model.features(ids).value() == model.forward(ids).features.value());
    CHECK_THROWS_WITH_AS(model.features(IndexArray{1, 2, 3}), doctest::Contains("expected (B, T)"),
                         ShapeError);
}

TEST_CASE("LstmClassifier standardises by the mean and std of features over their rows") {
    Rng rng(1);
    lm::LstmClassifier c(std::make_shared<lm::LstmLM>(tiny_lstm(), rng), 2, rng);
    const std::size_t P = 3 * 4;  // [last, max, mean] of E = 4
    Array features = xt::zeros<float>({std::size_t{2}, P});
    for (std::size_t j = 0; j < P; ++j) {
        features(0, j) = float(j);
        features(1, j) = j == 0 ? 0.0f : float(j) + 2.0f;  // column 0: std 0, which counts as 1
    }
    c.set_standardization_from(features);
    CHECK(c.mean.value()(0) == 0.0f);
    CHECK(c.mean.value()(5) == 6.0f);
    CHECK(c.inv_std.value()(0) == 1.0f);
    CHECK(c.inv_std.value()(5) == 1.0f);  // the population std of {5, 7} is 1
    CHECK_THROWS_WITH_AS(c.set_standardization_from(xt::zeros<float>({std::size_t{0}, P})),
                         doctest::Contains("N > 0"), ShapeError);
    CHECK_THROWS_WITH_AS(c.set_standardization_from(xt::zeros<float>({std::size_t{2}, std::size_t{5}})),
                         doctest::Contains("expected (12)"), ShapeError);
}

TEST_CASE("LstmLM carries its state: the same window reads differently after another") {
    Rng rng(2);
    lm::LstmLM model(tiny_lstm(), rng);
    NoGrad no_grad;
    const IndexArray first{{5, 6, 7}}, second{{8, 9, 10}};
    const auto fresh = model.forward(second);
    const auto carried = model.forward(second, model.forward(first).run.last);
    CHECK(max_difference(fresh.scores.value(), carried.scores.value()) > 1e-4);
    CHECK_THROWS_AS(model.forward(IndexArray{1, 2, 3}), ShapeError);
}

TEST_CASE("concat_pool gives last, max and mean over the real words only") {
    // Row 0 has 2 words, row 1 one; the padded positions hold numbers that would win every max.
    Tensor features(Array{{{1.0f, -2.0f}, {3.0f, 0.0f}, {100.0f, 100.0f}},
                          {{-1.0f, 5.0f}, {100.0f, 100.0f}, {100.0f, 100.0f}}},
                    /*requires_grad=*/true);
    const Array keep{{1.0f, 1.0f, 0.0f}, {1.0f, 0.0f, 0.0f}};
    const Tensor pooled = lm::concat_pool(features, keep);  // (2, 6): last, max, mean
    CHECK(pooled.value() ==
          Array{{3.0f, 0.0f, 3.0f, 0.0f, 2.0f, -1.0f}, {-1.0f, 5.0f, -1.0f, 5.0f, -1.0f, 5.0f}});
    sum(pooled).backward();
    for (std::size_t e = 0; e < 2; ++e) {  // no gradient reaches a padded position
        CHECK(features.grad()(0, 2, e) == 0.0f);
        CHECK(features.grad()(1, 1, e) == 0.0f);
        CHECK(features.grad()(1, 2, e) == 0.0f);
    }
    CHECK(features.grad()(1, 0, 0) == doctest::Approx(3.0));  // last + max + mean of a one-word row
}

TEST_CASE("concat_pool names the shapes it needs and a row without words") {
    const Tensor features(xt::ones<float>({std::size_t{2}, std::size_t{3}, std::size_t{4}}));
    CHECK_THROWS_WITH_AS(lm::concat_pool(features, Array{{1.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f}}),
                         doctest::Contains("row 1 has no real word"), ShapeError);
    CHECK_THROWS_WITH_AS(lm::concat_pool(features, Array{{1.0f, 1.0f}}),
                         doctest::Contains("(B, T, E) and (B, T)"), ShapeError);
}

TEST_CASE(
    "stream_perplexity of an untrained model is near the vocabulary size, and lower on a text it learned") {
    Rng rng(3);
    lm::LstmLM model(tiny_lstm(), rng);
    std::vector<Index> text;
    for (int i = 0; i < 400; ++i) text.push_back(static_cast<Index>(5 + i % 4));  // 5 6 7 8 5 6 7 8 ...
    const double before = lm::stream_perplexity(model, text, /*streams=*/2, /*window=*/8);
    CHECK(before > 0.5 * double(V));
    CHECK(before < 2.0 * double(V));
    optim::Adam adam(model, {3e-2f});
    data::StreamBatcher windows(text, 2, 8);
    IndexArray x, y;
    for (int step = 0; step < 60; ++step) {
        windows.next(x, y);
        Tensor loss = cross_entropy(model.forward(x).scores, y);
        model.zero_grad();
        loss.backward();
        adam.step();
    }
    CHECK(lm::stream_perplexity(model, text, 2, 8) < 1.5);  // the cycle is certain after one word
}

TEST_CASE("LstmLMConfig reads back what it wrote and names a bad size") {
    const lm::LstmLMConfig c{100, 16, 32};
    const lm::LstmLMConfig back = lm::LstmLMConfig::from_json(c.to_json());
    CHECK(back.vocab == 100);
    CHECK(back.embed == 16);
    CHECK(back.hidden == 32);
    nlohmann::json bad = c.to_json();
    bad["hidden"] = 0u;
    CHECK_THROWS_WITH_AS(lm::LstmLMConfig::from_json(bad), doctest::Contains("'hidden' is 0"), ValueError);
}

TEST_CASE("save_lstm_lm and load_lstm_lm give back the same model, and name a checkpoint of another kind") {
    Rng rng(4);
    lm::LstmLM model(tiny_lstm(), rng);
    const std::string path =
        (std::filesystem::temp_directory_path() / "dikkat-lstm-lm-test.safetensors").string();
    lm::save_lstm_lm(path, model, tiny_vocab(), "06_transfer_learning");
    const lm::LoadedLstmLM back = lm::load_lstm_lm(path);
    const IndexArray ids{{5, 6, 7, 8}};
    NoGrad no_grad;
    CHECK(max_difference(back.model->forward(ids).scores.value(), model.forward(ids).scores.value()) == 0.0);
    CHECK(back.vocab.tokens() == tiny_vocab().tokens());
    CHECK(back.lesson == "06_transfer_learning");
    Rng rng2(5);
    lm::TransformerLM gpt(tiny_config(lm::Objective::gpt), rng2);
    lm::save_lm(path, gpt, tiny_vocab(), "05_gpt_vs_bert");
    CHECK_THROWS_WITH_AS(lm::load_lstm_lm(path),
                         doctest::Contains("holds a transformer_lm, not an LSTM language model"), IoError);
    CHECK_THROWS_WITH_AS(lm::load_lstm_lm(path + ".missing", "run lesson 6"),
                         doctest::Contains("no such checkpoint; run lesson 6"), IoError);
    std::filesystem::remove(path);
}
}  // namespace lm_test
