// seq2seq::train, the loop lessons 2 and 3 share, and decoding a sentence alone or in a batch.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <numeric>

#include <dikkat/data/batch.hpp>
#include <dikkat/seq2seq/decode.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/train.hpp>

#include "seq2seq_test_util.hpp"

using namespace dikkat;

namespace {
// A tiny copying task: "a b c" -> "a b c", ids 5..8 on both sides.
data::ParallelCorpus tiny_corpus() {
    std::vector<data::TranslationPair> pairs;
    const std::vector<std::string> words = {"a", "b", "c", "d"};
    for (std::size_t i = 0; i < 64; ++i) {
        data::TranslationPair p;
        for (std::size_t k = 0; k < 2 + i % 3; ++k) p.source.push_back(words[(i + 3 * k) % 4]);
        p.target = p.source;
        pairs.push_back(p);
    }
    return data::ParallelCorpus::build(pairs);
}

// Wider than seq2seq_test::tiny_config: this model has to learn.
seq2seq::RnnConfig tiny_config(const data::ParallelCorpus& c, const std::string& attention) {
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
    seq2seq::RnnTranslator model(tiny_config(corpus, "additive"), rng);
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

TEST_CASE("train runs fewer steps than its warm-up without complaint") {
    const data::ParallelCorpus corpus = tiny_corpus();
    Rng rng(0);
    seq2seq::RnnTranslator model(tiny_config(corpus, "none"), rng);
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
        seq2seq::RnnTranslator model(tiny_config(corpus, attention), rng);
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
