#include <dikkat/seq2seq/train.hpp>

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/optim/adam.hpp>
#include <dikkat/optim/clip.hpp>
#include <dikkat/optim/guard.hpp>
#include <dikkat/optim/schedule.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/viz/progress.hpp>

namespace dikkat::seq2seq {

nlohmann::json BleuCurve::to_json() const { return {{"steps", steps}, {"seconds", seconds}, {"bleu", bleu}}; }

BleuCurve BleuCurve::from_json(const nlohmann::json& j) {
    BleuCurve c;
    for (auto [key, field] : {std::pair{"steps", &c.steps}, {"seconds", &c.seconds}, {"bleu", &c.bleu}}) {
        if (!j.is_object() || !j.contains(key) || !j[key].is_array())
            throw ValueError(std::string("BLEU curve: '") + key + "' is missing or not a list");
        for (const auto& x : j[key]) {
            if (!x.is_number()) throw ValueError(std::string("BLEU curve: '") + key + "' holds a non-number");
            field->push_back(x.get<double>());
        }
    }
    if (c.seconds.size() != c.steps.size() || c.bleu.size() != c.steps.size())
        throw ValueError("BLEU curve: 'steps', 'seconds' and 'bleu' differ in length");
    return c;
}

void to_json(nlohmann::json& j, const BleuCurve& curve) { j = curve.to_json(); }
void from_json(const nlohmann::json& j, BleuCurve& curve) { curve = BleuCurve::from_json(j); }

void track_bleu(TrainOptions& options, const Translator& model, const data::ParallelCorpus& vocabs,
                const std::vector<data::TranslationPair>& pairs, BleuCurve& curve, std::size_t every) {
    options.report_every = every > 0 ? every : std::max<std::size_t>(1, std::size_t(options.steps) / 5);
    options.report = [&model, &vocabs, &pairs, &curve](std::size_t step, double seconds) {
        curve.steps.push_back(double(step));
        curve.seconds.push_back(seconds);
        curve.bleu.push_back(evaluate(model, vocabs, pairs).scores.overall().bleu);
    };
    options.track = [&curve](io::Job& job) { job.track_value("bleu_curve", curve); };
}

// [train]
TrainLog train(Translator& model, const data::ParallelCorpus& corpus, const TrainOptions& options,
               io::MetricsWriter& metrics) {
    const auto steps = static_cast<std::size_t>(options.steps);
    optim::Adam adam(model, {options.lr});
    const optim::WarmupCosine schedule(std::min(options.warmup, steps / 2), steps, options.final_lr_factor);
    data::Batcher batches = data::Batcher::bucketed(corpus.pair_lengths(), options.batch, options.seed);
    const std::vector<Tensor> params = model.parameters();
    TrainLog log;
    std::vector<std::vector<std::size_t>> epoch;  // the batches (pair indices) left in this pass
    // What Ctrl-C saves and --resume puts back: everything the next step and the caller read.
    io::Job job = options.resume ? options.resume->job(options.job, steps) : io::Job(steps);
    job.track("model", model).track("adam", adam).track("batches", batches).track("metrics", metrics);
    job.track_value("epoch", epoch).track_value("losses", log.losses).track_value("seconds", log.seconds);
    if (options.track) options.track(job);
    const std::size_t done = job.restore();
    viz::ProgressBar bar(steps, "train");
    bar.unit("sent", static_cast<double>(options.batch)).from(done);
    auto start = std::chrono::steady_clock::now();
    model.train();
    for (std::size_t step = done + 1; step <= steps; ++step) {
        if (epoch.empty()) epoch = batches.epoch();  // a new pass over the data, reshuffled
        const std::vector<std::size_t> pick = std::move(epoch.back());
        epoch.pop_back();
        const Batch b = make_batch(data::gather(corpus.source, pick), data::gather(corpus.target, pick));
        adam.set_lr_factor(schedule.factor(step - 1));
        auto step_loss = [&] {  // (B, T, V) vs (B, T)
            return cross_entropy(model.forward(b), b.target_out, data::Vocab::pad_id,
                                 options.label_smoothing);
        };
        Tensor loss = step_loss();
        model.zero_grad();
        loss.backward();
        const float norm = optim::clip_grad_norm(params, options.clip_norm);
        optim::check_finite_step(step, double(loss.item()), double(norm), [&] {  // NaN or Inf: stop here
            model.zero_grad();
            step_loss().backward();
        });
        adam.step();
        log.losses.push_back(double(loss.item()));
        metrics.log(step, {log.losses.back(), double(norm)});
        bar.update(step, {{"loss", log.losses.back()}});
        log.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (options.report && options.report_every > 0 &&
            (step % options.report_every == 0 || step == steps)) {
            model.eval();
            options.report(step, log.seconds);
            model.train();
        }
        start = std::chrono::steady_clock::now();  // the report's time is not training time
        job.step_done(step);                       // Ctrl-C: the run is saved, and stops here
    }
    bar.finish();
    return log;
}
// [train]

}  // namespace dikkat::seq2seq
