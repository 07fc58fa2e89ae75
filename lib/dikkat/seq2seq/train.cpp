#include <dikkat/seq2seq/train.hpp>

#include <algorithm>
#include <chrono>

#include <dikkat/data/batch.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/optim/adam.hpp>
#include <dikkat/optim/clip.hpp>
#include <dikkat/optim/schedule.hpp>
#include <dikkat/viz/progress.hpp>

namespace dikkat::seq2seq {

// [train]
TrainLog train(Translator& model, const data::ParallelCorpus& corpus, const TrainOptions& options,
               io::MetricsWriter& metrics) {
    const auto steps = static_cast<std::size_t>(options.steps);
    optim::Adam adam(model, {options.lr});
    const optim::WarmupCosine schedule(std::min(options.warmup, steps / 2), steps, options.final_lr_factor);
    data::Batcher batches = data::Batcher::bucketed(corpus.pair_lengths(), options.batch, options.seed);
    const std::vector<Tensor> params = model.parameters();
    viz::ProgressBar bar(steps, "train");
    bar.unit("sent", static_cast<double>(options.batch));
    TrainLog log;
    const auto start = std::chrono::steady_clock::now();
    model.train();
    std::vector<std::vector<std::size_t>> epoch;  // the batches (pair indices) left in this pass
    for (std::size_t step = 1; step <= steps; ++step) {
        if (epoch.empty()) epoch = batches.epoch();  // a new pass over the data, reshuffled
        const std::vector<std::size_t> pick = std::move(epoch.back());
        epoch.pop_back();
        const Batch b = make_batch(data::gather(corpus.source, pick), data::gather(corpus.target, pick));
        adam.set_lr_factor(schedule.factor(step - 1));
        Tensor loss =
            cross_entropy(model.forward(b), b.target_out, data::Vocab::pad_id);  // (B, T, V) vs (B, T)
        model.zero_grad();
        loss.backward();
        const float norm = optim::clip_grad_norm(params, options.clip_norm);
        adam.step();
        log.losses.push_back(double(loss.item()));
        metrics.log(step, {log.losses.back(), double(norm)});
        bar.update(step, {{"loss", log.losses.back()}});
    }
    bar.finish();
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return log;
}
// [train]

}  // namespace dikkat::seq2seq
