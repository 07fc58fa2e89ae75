// Lesson 4 against lesson 3: how long a training step of each model takes and how deep its
// chain of dependent operations is, and lesson 3's results (read from its run, or made again).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <dikkat/blas.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/train.hpp>

namespace lesson4 {

constexpr std::size_t timed_batch = 32;  // sentence pairs in a timed training step

/// One model's speed at one source length.
struct Timing {
    std::size_t depth = 0;  ///< ops in the longest chain that must run one after another
    double ms[2] = {0, 0};  ///< a training step at 1 and at 2 threads
};

/// A batch of `timed_batch` training pairs whose English has `length` words: one warm-up step,
/// then the fastest of `repeats` timed steps (forward and backward), at 1 and at 2 threads, and
/// the depth of the step's graph. Leaves the threads at 2: the caller sets them back.
Timing time_training_step(dikkat::seq2seq::Translator& model, const dikkat::data::ParallelCorpus& corpus,
                          std::size_t length, int repeats);

/// What lesson 4 compares with: lesson 3's test scores and BLEU curve.
struct Lesson3 {
    dikkat::io::JsonObject scores;     ///< its test scores (bleu_by_length ...)
    dikkat::seq2seq::BleuCurve curve;  ///< its validation BLEU against training seconds
    std::string source;                ///< where they came from
};

/// Lesson 3's summary.json, when it holds what lesson 4 compares with and was made with the
/// same BLAS core and threads as this run (`ours`) — or nothing, with a line saying why.
std::optional<Lesson3> lesson_3_from(const std::string& path, const dikkat::blas::Info& ours);

/// Lesson 3's model trained as lesson 3 trains it (same code, sizes, budget and seed: the same
/// numbers), when its run is not there to read; its loss goes to `dir`/lesson_3_metrics.csv. A job
/// of `resume` named "lesson_3".
Lesson3 train_lesson_3(const dikkat::data::ParallelCorpus& corpus,
                       const std::vector<dikkat::data::TranslationPair>& test,
                       const std::vector<dikkat::data::TranslationPair>& valid,
                       const dikkat::seq2seq::RnnConfig& config, int steps, std::uint64_t seed,
                       const std::string& dir, dikkat::io::Resume& resume);

}  // namespace lesson4
