// seq2seq::train, the loop lessons 2 and 3 share, and decoding a sentence alone or in a batch.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <thread>

#include <cmath>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/nn/module.hpp>
#include <dikkat/seq2seq/decode.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/train.hpp>

#include "seq2seq_test_util.hpp"

using namespace dikkat;

namespace {
// A tiny copying task: "a b c" -> "a b c", ids 5..8 on both sides.
std::vector<data::TranslationPair> tiny_pairs() {
    std::vector<data::TranslationPair> pairs;
    const std::vector<std::string> words = {"a", "b", "c", "d"};
    for (std::size_t i = 0; i < 64; ++i) {
        data::TranslationPair p;
        for (std::size_t k = 0; k < 2 + i % 3; ++k) p.source.push_back(words[(i + 3 * k) % 4]);
        p.target = p.source;
        pairs.push_back(p);
    }
    return pairs;
}
data::ParallelCorpus tiny_corpus() { return data::ParallelCorpus::build(tiny_pairs()); }

// Wider than seq2seq_test::tiny_config: this model has to learn.
seq2seq::RnnConfig learnable_config(const data::ParallelCorpus& c, const std::string& attention) {
    seq2seq::RnnConfig config =
        seq2seq_test::tiny_config(c.source_vocab.size(), c.target_vocab.size(), attention);
    config.embed = 8;
    config.encoder_hidden = 8;
    config.decoder_hidden = 16;
    config.attention_size = 8;
    return config;
}
}  // namespace

TEST_CASE("train lowers the loss on a small copying task, logging every step") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "additive"), rng);
    const std::string path =
        (std::filesystem::temp_directory_path() / "dikkat-train-test-metrics.csv").string();
    io::MetricsWriter metrics(path, {"loss", "grad_norm"});
    seq2seq::TrainOptions options;
    options.steps = 60;
    options.batch = 16;
    options.lr = 1e-2f;
    const seq2seq::TrainLog log = seq2seq::train(model, corpus, options, metrics);
    REQUIRE(log.losses.size() == 60);
    const double first = std::accumulate(log.losses.begin(), log.losses.begin() + 5, 0.0) / 5.0;
    const double last = std::accumulate(log.losses.end() - 5, log.losses.end(), 0.0) / 5.0;
    MESSAGE("loss " << first << " -> " << last);
    CHECK(last < 0.5 * first);
    CHECK(log.seconds > 0.0);
    std::remove(path.c_str());
}

TEST_CASE("train stops at the first step whose loss is NaN, naming the op that made it, before Adam's step") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "additive"), rng);
    Tensor broken = model.named_parameters().front().second;  // the source embedding
    broken.mutable_value().fill(std::nanf(""));
    const std::string path =
        (std::filesystem::temp_directory_path() / "dikkat-train-nan-metrics.csv").string();
    io::MetricsWriter metrics(path, {"loss", "grad_norm"});
    seq2seq::TrainOptions options;
    options.steps = 5;
    options.batch = 16;
    const std::vector<Array> before = nn::snapshot(model);
    CHECK_THROWS_WITH_AS(seq2seq::train(model, corpus, options, metrics),
                         doctest::Contains("training diverged at step 1: the loss is nan. Where it started: "
                                           "anomaly: embedding produced nan"),
                         ValueError);
    // Nothing was updated with the broken step: every other weight is as it was.
    const std::vector<Array> after = nn::snapshot(model);
    for (std::size_t i = 1; i < before.size(); ++i) CHECK(after[i] == before[i]);
    std::remove(path.c_str());
}

TEST_CASE("train runs fewer steps than its warm-up without complaint") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "none"), rng);
    const std::string path =
        (std::filesystem::temp_directory_path() / "dikkat-train-test-short.csv").string();
    io::MetricsWriter metrics(path, {"loss", "grad_norm"});
    seq2seq::TrainOptions options;
    options.steps = 3;  // warm-up 100 would be longer than training
    CHECK(seq2seq::train(model, corpus, options, metrics).losses.size() == 3);
    std::remove(path.c_str());
}

TEST_CASE("a sentence decodes the same alone as in a padded batch of longer ones") {
    const data::ParallelCorpus corpus = tiny_corpus();
    for (const std::string attention : {"none", "additive"}) {
        Rng rng(1);
        seq2seq::RnnTranslator model(learnable_config(corpus, attention), rng);
        model.eval();
        const std::vector<Index> shortest = corpus.source[0],
                                 longer = corpus.source[2];  // 2 and 4 words + <eos>
        REQUIRE(shortest.size() < longer.size());
        const data::Batch alone = data::pad_batch({shortest});
        const data::Batch padded = data::pad_batch({longer, shortest, longer});
        const auto a = seq2seq::greedy_decode(model, alone.ids, alone.keep, 8);
        const auto b = seq2seq::greedy_decode(model, padded.ids, padded.keep, 8);
        CHECK_MESSAGE(a[0].ids == b[1].ids, attention);
        CHECK_MESSAGE(a[0].log_prob == doctest::Approx(b[1].log_prob).epsilon(1e-5), attention);
    }
}

TEST_CASE("first_errors counts where long translations first differ from their reference") {
    std::vector<data::TranslationPair> pairs(3);
    pairs[0].source = {"a", "b", "c"};
    pairs[0].target = {"le", "chat", "dort"};
    pairs[1].source = {"a", "b", "c"};
    pairs[1].target = {"le", "chat", "mange"};
    pairs[2].source = {"a"};  // too short to count
    pairs[2].target = {"le"};
    seq2seq::Evaluation e;
    e.hypotheses = {{"le", "chien", "dort"}, {"le", "chat"}, {"la"}};
    const auto errors = seq2seq::first_errors(pairs, e, 3, 5);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].second == 1);
    CHECK((errors[0].first == "chat -> chien" || errors[0].first == "mange -> (end)"));
    CHECK(seq2seq::first_errors(pairs, e, 3, 1).size() == 1);
}

// ---- reports while training, and the BLEU curve -----------------------------------------------

namespace {
// Scratch metrics for one training run, removed when it goes.
struct ScratchMetrics {
    std::string path;
    io::MetricsWriter writer;
    explicit ScratchMetrics(const std::string& name)
        : path((std::filesystem::temp_directory_path() / name).string()),
          writer(path, {"loss", "grad_norm"}) {}
    ~ScratchMetrics() { std::remove(path.c_str()); }
};

seq2seq::TrainOptions short_run(int steps) {
    seq2seq::TrainOptions options;
    options.steps = steps;
    options.batch = 16;
    options.lr = 1e-2f;
    return options;
}

struct Report {
    std::size_t step;
    double seconds;
    bool training;  // the model's mode during the call
};
}  // namespace

TEST_CASE(
    "train reports after every report_every steps and after the last, the model in eval mode meanwhile") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "additive"), rng);
    ScratchMetrics metrics("dikkat-train-test-report.csv");
    std::vector<Report> reports;
    seq2seq::TrainOptions options = short_run(7);
    options.report_every = 3;
    options.report = [&](std::size_t step, double seconds) {
        reports.push_back({step, seconds, model.training()});
    };
    const seq2seq::TrainLog log = seq2seq::train(model, corpus, options, metrics.writer);
    CHECK(model.training());  // back in train mode afterwards
    REQUIRE(reports.size() == 3);
    const std::size_t steps[] = {3, 6, 7};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(reports[i].step == steps[i]);
        CHECK_FALSE(reports[i].training);
        if (i > 0) CHECK(reports[i].seconds >= reports[i - 1].seconds);
    }
    CHECK(reports[0].seconds > 0.0);
    CHECK(log.seconds >= reports.back().seconds);
    CHECK(log.losses.size() == 7);
}

TEST_CASE("train reports once at a last step that is also a multiple of report_every, and never at every 0") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "none"), rng);
    ScratchMetrics metrics("dikkat-train-test-report-last.csv");
    std::vector<std::size_t> steps;
    seq2seq::TrainOptions options = short_run(6);
    options.report_every = 3;
    options.report = [&](std::size_t step, double) { steps.push_back(step); };
    seq2seq::train(model, corpus, options, metrics.writer);
    CHECK(steps == std::vector<std::size_t>{3, 6});
    steps.clear();
    options.report_every = 0;
    seq2seq::train(model, corpus, options, metrics.writer);
    CHECK(steps.empty());
}

TEST_CASE("the time spent inside report is not counted as training time, nor does it change the training") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng_quick(0), rng_slow(0);
    seq2seq::RnnTranslator quick(learnable_config(corpus, "none"), rng_quick),
        slow(learnable_config(corpus, "none"), rng_slow);
    ScratchMetrics metrics_quick("dikkat-train-test-quick.csv"), metrics_slow("dikkat-train-test-slow.csv");
    const seq2seq::TrainLog baseline = seq2seq::train(quick, corpus, short_run(6), metrics_quick.writer);

    constexpr double nap = 0.2;  // seconds per report; 3 reports
    seq2seq::TrainOptions options = short_run(6);
    options.report_every = 2;
    std::vector<double> reported;
    options.report = [&](std::size_t, double seconds) {
        reported.push_back(seconds);
        std::this_thread::sleep_for(std::chrono::duration<double>(nap));
    };
    const auto start = std::chrono::steady_clock::now();
    const seq2seq::TrainLog log = seq2seq::train(slow, corpus, options, metrics_slow.writer);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(reported.size() == 3);
    MESSAGE("training " << baseline.seconds << " s alone, " << log.seconds << " s with reports, " << wall
                        << " s on the wall clock");
    CHECK(wall >= 3 * nap);  // the naps did happen
    // Counted, the naps would add 0.6 s; half of that is slack for a busy machine.
    CHECK(log.seconds < baseline.seconds + 3 * nap / 2);
    CHECK(reported.back() < baseline.seconds + 3 * nap / 2);
    CHECK(log.losses == baseline.losses);
}

TEST_CASE("track_bleu scores the model at each report: one step, time and BLEU in 0 to 1 per report") {
    const std::vector<data::TranslationPair> pairs = tiny_pairs();
    const data::ParallelCorpus corpus = data::ParallelCorpus::build(pairs);
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "additive"), rng);
    ScratchMetrics metrics("dikkat-train-test-bleu.csv");
    seq2seq::TrainOptions options = short_run(40);
    seq2seq::BleuCurve curve;
    seq2seq::track_bleu(options, model, corpus, pairs, curve, /*every=*/15);
    CHECK(options.report_every == 15);
    seq2seq::train(model, corpus, options, metrics.writer);
    CHECK(curve.steps == std::vector<double>{15, 30, 40});
    REQUIRE(curve.seconds.size() == 3);
    REQUIRE(curve.bleu.size() == 3);
    MESSAGE("BLEU " << curve.bleu[0] << ", " << curve.bleu[1] << ", " << curve.bleu[2]);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(curve.bleu[i] >= 0.0);
        CHECK(curve.bleu[i] <= 1.0);
        CHECK(curve.seconds[i] > 0.0);
        if (i > 0) CHECK(curve.seconds[i] >= curve.seconds[i - 1]);
    }
    // Each point scores the model as it was then: it copies better as it learns (about 0, 0.18,
    // 0.47), and the last point is the trained model's score.
    CHECK(curve.bleu.back() > curve.bleu.front() + 0.1);
    model.eval();
    CHECK(curve.bleu.back() == seq2seq::evaluate(model, corpus, pairs).scores.overall().bleu);
}

TEST_CASE("track_bleu without an interval reports five times, every steps / 5") {
    const std::vector<data::TranslationPair> pairs = tiny_pairs();
    const data::ParallelCorpus corpus = data::ParallelCorpus::build(pairs);
    Rng rng(0);
    seq2seq::RnnTranslator model(learnable_config(corpus, "none"), rng);
    ScratchMetrics metrics("dikkat-train-test-bleu-default.csv");
    seq2seq::TrainOptions options = short_run(10);
    seq2seq::BleuCurve curve;
    seq2seq::track_bleu(options, model, corpus, pairs, curve);
    CHECK(options.report_every == 2);
    seq2seq::train(model, corpus, options, metrics.writer);
    CHECK(curve.steps == std::vector<double>{2, 4, 6, 8, 10});
    CHECK(curve.bleu.size() == 5);
}

TEST_CASE("a BLEU curve survives to_json, dump, parse and from_json unchanged") {
    seq2seq::BleuCurve curve;
    curve.steps = {100, 200, 250};
    curve.seconds = {1.5, 3.25, 4.0};
    curve.bleu = {0.125, 0.3, 0.41};
    const nlohmann::json j = curve.to_json();
    CHECK(j["steps"] == nlohmann::json({100, 200, 250}));
    CHECK(j["bleu"][1] == 0.3);
    const seq2seq::BleuCurve back = seq2seq::BleuCurve::from_json(nlohmann::json::parse(j.dump()));
    CHECK(back.steps == curve.steps);
    CHECK(back.seconds == curve.seconds);
    CHECK(back.bleu == curve.bleu);
    const seq2seq::BleuCurve empty = seq2seq::BleuCurve::from_json(seq2seq::BleuCurve().to_json());
    CHECK(empty.steps.empty());
}

TEST_CASE("BleuCurve::from_json names a missing key, a non-number and lists of different lengths") {
    const nlohmann::json good = {{"steps", {1, 2}}, {"seconds", {0.5, 1.0}}, {"bleu", {0.1, 0.2}}};
    nlohmann::json missing = good;
    missing.erase("bleu");
    CHECK_THROWS_WITH_AS(seq2seq::BleuCurve::from_json(missing), doctest::Contains("'bleu' is missing"),
                         ValueError);
    nlohmann::json not_list = good;
    not_list["steps"] = 3;
    CHECK_THROWS_WITH_AS(seq2seq::BleuCurve::from_json(not_list), doctest::Contains("'steps'"), ValueError);
    nlohmann::json word = good;
    word["seconds"][1] = "fast";
    CHECK_THROWS_WITH_AS(seq2seq::BleuCurve::from_json(word),
                         doctest::Contains("'seconds' holds a non-number"), ValueError);
    nlohmann::json short_bleu = good;
    short_bleu["bleu"] = nlohmann::json::array({0.1});
    CHECK_THROWS_WITH_AS(seq2seq::BleuCurve::from_json(short_bleu), doctest::Contains("differ in length"),
                         ValueError);
    CHECK_THROWS_AS(seq2seq::BleuCurve::from_json(nlohmann::json::array()), ValueError);
}
