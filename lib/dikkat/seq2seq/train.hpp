// Training a translator: the loop of lessons 2, 3 and 4, written once — so that when two lessons
// are compared, the training is the same code and only the model differs.
//
// Teacher forcing: each step takes a batch of sentence pairs of about the same length, feeds the
// decoder the reference French shifted by one word, and scores every next word at once
// (cross-entropy; padding ignored). Adam with a warm-up and a cosine decay, gradient clipping.
// In a run (TrainOptions::resume), Ctrl-C saves the training at the end of a step and --resume
// continues it (io/resume.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/data/parallel.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/resume.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

struct TrainOptions {
    int steps = 1300;
    std::size_t batch = 32;        ///< sentence pairs per step
    float lr = 3e-3f;              ///< Adam's peak learning rate
    std::size_t warmup = 100;      ///< steps of linear warm-up, then a cosine down to...
    float final_lr_factor = 0.1f;  ///< ... this fraction of lr at the last step
    float clip_norm = 1.0f;        ///< gradient norm clipped to this every step
    float label_smoothing = 0.0f;  ///< ε of cross_entropy (ops/loss.hpp)
    std::uint64_t seed = 0;        ///< the order of the batches
    /// Called after every `report_every` steps and after the last (0: never), with the step and
    /// the seconds spent training so far, the model in eval mode. Its own time (an evaluation,
    /// say) is not counted as training: lesson 4 draws BLEU against training time with it.
    std::function<void(std::size_t step, double seconds)> report;
    std::size_t report_every = 0;
    /// The run whose Ctrl-C saves this training and whose --resume continues it; none: neither.
    io::Resume* resume = nullptr;
    std::string job = "train";  ///< the training's name in the run
    /// Tells the job what else to save: what `report` fills in (track_bleu's curve).
    std::function<void(io::Job&)> track;
};

/// What training left behind: the loss of every step, and the time it took.
struct TrainLog {
    std::vector<double> losses;
    double seconds = 0.0;
};

/// Validation BLEU as training goes, against the seconds spent training: how fast a model
/// learns, in the time a learner waits for it.
struct BleuCurve {
    std::vector<double> steps, seconds, bleu;
    /// {"steps": [...], "seconds": [...], "bleu": [...]}
    nlohmann::json to_json() const;
    /// Throws ValueError naming what is missing or malformed.
    static BleuCurve from_json(const nlohmann::json& j);
};
/// For nlohmann::json, io::JsonObject::set and io::Job::track_value.
void to_json(nlohmann::json& j, const BleuCurve& curve);
void from_json(const nlohmann::json& j, BleuCurve& curve);

/// Makes `options` score `model` on `pairs` (greedy decoding, corpus BLEU) every `every`
/// steps and after the last, into `curve` (which must outlive the training). `every` = 0:
/// options.steps / 5.
void track_bleu(TrainOptions& options, const Translator& model, const data::ParallelCorpus& vocabs,
                const std::vector<data::TranslationPair>& pairs, BleuCurve& curve, std::size_t every = 0);

/// Trains `model` on `corpus` (its pairs, already encoded) for options.steps steps, with a
/// progress bar on stderr and a row per step in `metrics` (columns "loss", "grad_norm").
TrainLog train(Translator& model, const data::ParallelCorpus& corpus, const TrainOptions& options,
               io::MetricsWriter& metrics);

}  // namespace dikkat::seq2seq
