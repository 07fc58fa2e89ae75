// Training a translator: the loop of lessons 2, 3 and 4, written once — so that when two lessons
// are compared, the training is the same code and only the model differs.
//
// Teacher forcing: each step takes a batch of sentence pairs of about the same length, feeds the
// decoder the reference French shifted by one word, and scores every next word at once
// (cross-entropy; padding ignored). Adam with a warm-up and a cosine decay, gradient clipping.
#pragma once

#include <cstdint>
#include <vector>

#include <dikkat/data/parallel.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

struct TrainOptions {
    int steps = 1300;
    std::size_t batch = 32;        ///< sentence pairs per step
    float lr = 3e-3f;              ///< Adam's peak learning rate
    std::size_t warmup = 100;      ///< steps of linear warm-up, then a cosine down to...
    float final_lr_factor = 0.1f;  ///< ... this fraction of lr at the last step
    float clip_norm = 1.0f;        ///< gradient norm clipped to this every step
    std::uint64_t seed = 0;        ///< the order of the batches
};

/// What training left behind: the loss of every step, and the time it took.
struct TrainLog {
    std::vector<double> losses;
    double seconds = 0.0;
};

/// Trains `model` on `corpus` (its pairs, already encoded) for options.steps steps, with a
/// progress bar on stderr and a row per step in `metrics` (columns "loss", "grad_norm").
TrainLog train(Translator& model, const data::ParallelCorpus& corpus, const TrainOptions& options,
               io::MetricsWriter& metrics);

}  // namespace dikkat::seq2seq
