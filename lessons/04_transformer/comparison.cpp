#include "comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/blas.hpp>
#include <dikkat/data/batch.hpp>
#include <dikkat/io.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/seq2seq/evaluate.hpp>

using namespace dikkat;

namespace lesson4 {

// [time_training_step]
// A batch of real training pairs whose English has `length` words: one warm-up step, then the
// fastest of `repeats` timed steps (forward and backward), at 1 and at 2 threads.
Timing time_training_step(seq2seq::Translator& model, const data::ParallelCorpus& corpus, std::size_t length,
                          int repeats) {
    std::vector<std::size_t> pick;
    for (std::size_t i = 0; i < corpus.source.size() && pick.size() < timed_batch; ++i)
        if (corpus.source[i].size() == length + 1) pick.push_back(i);  // the words and <eos>
    if (pick.empty()) throw ValueError("no training pair has " + std::to_string(length) + " English words");
    const seq2seq::Batch batch =
        seq2seq::make_batch(data::gather(corpus.source, pick), data::gather(corpus.target, pick));
    model.train();
    Timing timing;
    std::vector<double> ms[2];          // per thread count; 1 and 2 threads take turns, so that a change
    for (int r = 0; r <= repeats; ++r)  // in the machine's load falls on both alike
        for (int threads : {1, 2}) {
            blas::set_num_threads(threads);
            const auto start = std::chrono::steady_clock::now();
            Tensor loss = cross_entropy(model.forward(batch), batch.target_out, data::Vocab::pad_id);
            model.zero_grad();
            loss.backward();
            const double took =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            if (r > 0) ms[threads - 1].push_back(took);  // step 0 of each is a warm-up
            if (r == 0 && threads == 1) timing.depth = graph_depth(loss);
        }
    for (int i = 0; i < 2;
         ++i)  // the fastest step: what the machine can do, with the least of other programs' noise
        timing.ms[i] = *std::min_element(ms[i].begin(), ms[i].end());
    model.zero_grad();
    return timing;
}
// [time_training_step]

// Lesson 3's summary.json, when it holds what this lesson compares with (BLEU by length and
// the BLEU curve) and was made with the same BLAS core and threads — or nothing, saying why.
std::optional<Lesson3> lesson_3_from(const std::string& path, const blas::Info& ours) {
    if (!std::filesystem::exists(path)) {
        std::printf("\n  (no %s: training lesson 3's model here, as lesson 3 does)\n", path.c_str());
        return std::nullopt;
    }
    try {
        nlohmann::json s = io::read_summary_json(path);
        if (!s.at("bleu_by_length").is_object())
            throw ValueError(path + ": its bleu_by_length is not an object");
        Lesson3 l3{s, seq2seq::BleuCurve::from_json(s.at("bleu_vs_seconds")), path};
        const nlohmann::json theirs = s.value("blas", nlohmann::json::object()), mine = blas::to_json(ours);
        if (theirs.value("core", "") != mine.value("core", "") ||
            theirs.value("threads", 0) != mine.value("threads", 0)) {
            std::printf(
                "\n  (%s ran with another BLAS core or thread count: its seconds would not compare; "
                "training lesson 3's model here)\n",
                path.c_str());
            return std::nullopt;
        }
        return l3;
    } catch (const std::exception& e) {
        std::printf("\n  (not a lesson 3 summary with a BLEU curve: %s; training lesson 3's model here)\n",
                    e.what());
        return std::nullopt;
    }
}

// Lesson 3's model, trained as lesson 3 trains it (same code, sizes, budget and seed: the same
// numbers), when its run is not there to read.
Lesson3 train_lesson_3(const data::ParallelCorpus& corpus, const std::vector<data::TranslationPair>& test,
                       const std::vector<data::TranslationPair>& valid, const seq2seq::RnnConfig& config,
                       int steps, std::uint64_t seed, const std::string& dir, io::Resume& resume) {
    Rng rng(seed);
    seq2seq::RnnTranslator model(config, rng);
    seq2seq::TrainOptions training;  // lesson 3's defaults
    training.steps = steps;
    training.seed = seed;
    training.resume = &resume;
    training.job = "lesson_3";
    Lesson3 l3;
    seq2seq::track_bleu(training, model, corpus, valid, l3.curve);
    io::MetricsWriter metrics(dir + "/lesson_3_metrics.csv", {"loss", "grad_norm"});
    seq2seq::train(model, corpus, training, metrics);
    model.eval();
    l3.scores = seq2seq::evaluate(model, corpus, test).scores;
    l3.source = "trained in this run";
    return l3;
}

}  // namespace lesson4
