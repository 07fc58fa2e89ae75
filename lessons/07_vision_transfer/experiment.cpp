#include "experiment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include <dikkat/dikkat.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/progress.hpp>

using namespace dikkat;

namespace lesson7 {

namespace {

// Images `idx` of `all` (N, 3, H, W) as one batch (B, 3, H, W), each mirrored left-right when
// `flip[b]` says so.
Array gather(const Array& all, const std::vector<std::size_t>& idx, const std::vector<bool>& flip = {}) {
    Shape shape(all.shape().begin(), all.shape().end());
    shape[0] = idx.size();
    Array out(shape);
    const std::size_t W = shape[3], image = shape[1] * shape[2] * W;
    for (std::size_t b = 0; b < idx.size(); ++b) {
        const float* from = all.data() + idx[b] * image;
        float* to = out.data() + b * image;
        if (flip.empty() || !flip[b]) {
            std::copy_n(from, image, to);
            continue;
        }
        for (std::size_t row = 0; row < image / W; ++row)
            std::reverse_copy(from + row * W, from + (row + 1) * W, to + row * W);
    }
    return out;
}

IndexArray index_array(const std::vector<Index>& v) {
    IndexArray a(IndexArray::shape_type{v.size()});
    std::copy(v.begin(), v.end(), a.begin());
    return a;
}

}  // namespace

ImageSet slice(const ImageSet& set, std::size_t from, std::size_t to) {
    if (from > to || to > set.size())
        throw ValueError("images [" + std::to_string(from) + ", " + std::to_string(to) + ") of a set of " +
                         std::to_string(set.size()));
    std::vector<std::size_t> idx(to - from);
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = from + i;
    return {gather(set.images, idx),
            std::vector<Index>(set.labels.begin() + long(from), set.labels.begin() + long(to)), set.classes};
}

ImageSet first_of_each(const ImageSet& set, std::size_t k) {
    std::vector<std::size_t> idx;
    for (std::size_t c = 0; c < set.classes.size(); ++c) {
        std::size_t found = 0;
        for (std::size_t i = 0; i < set.size() && found < k; ++i)
            if (set.labels[i] == Index(c)) idx.push_back(i), ++found;
    }
    std::vector<Index> labels;
    for (std::size_t i : idx) labels.push_back(set.labels[i]);
    return {gather(set.images, idx), labels, set.classes};
}

std::vector<std::string> class_names(const ImageSet& set) {
    std::vector<std::string> names;
    for (Index label : set.labels) names.push_back(set.classes[std::size_t(label)]);
    return names;
}

// [fit]
std::vector<double> fit(vision::ImageClassifier& model, const ImageSet& train, const Fit& how,
                        io::Resume& resume) {
    optim::AdamWOptions options;
    options.lr = how.lr;
    options.weight_decay = how.weight_decay;
    optim::AdamW adam(model, options);
    const std::vector<Tensor> params = model.parameters();
    const optim::WarmupCosine schedule(/*warmup=*/std::size_t(how.steps) / 20, std::size_t(how.steps));
    Rng rng(how.seed);
    const std::size_t B = std::min(how.batch, train.size());
    std::vector<std::size_t> order(train.size());
    std::size_t at = order.size();  // start a new pass over the shuffled set when it runs out
    std::vector<double> losses;
    // What Ctrl-C saves and --resume puts back: all that the next step and the caller read.
    io::Job job = resume.job(how.job, std::size_t(how.steps));
    job.track("model", model).track("adam", adam).track("rng", rng);
    job.track_value("order", order).track_value("at", at).track("losses", losses);
    const std::size_t done = job.restore();  // steps done before an interruption (0: none)
    std::unique_ptr<viz::ProgressBar> bar;
    if (!how.label.empty()) {
        bar = std::make_unique<viz::ProgressBar>(std::size_t(how.steps), how.label);
        bar->unit("img", double(B)).from(done);
    }
    for (int step = int(done); step < how.steps; ++step) {
        std::vector<std::size_t> idx;
        std::vector<bool> flip;
        std::vector<Index> labels;
        while (idx.size() < B) {
            if (at == order.size()) {
                for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
                rng.shuffle(order);
                at = 0;
            }
            idx.push_back(order[at++]);
            labels.push_back(train.labels[idx.back()]);
            flip.push_back(how.flips && rng.bernoulli(0.5f));
        }
        const Tensor x(gather(train.images, idx, flip));  // (B, 3, H, W)
        Tensor loss = cross_entropy(model(x), index_array(labels));
        model.zero_grad();
        loss.backward();
        // Nothing is clipped here; the norm is only measured (an infinite limit scales nothing).
        const float norm = optim::clip_grad_norm(params, std::numeric_limits<float>::infinity());
        optim::check_finite_step(std::size_t(step) + 1, double(loss.value()()), double(norm));
        adam.set_lr_factor(schedule.factor(std::size_t(step)));
        adam.step();
        losses.push_back(double(loss.value()()));
        if (bar) bar->update(std::size_t(step + 1), {{"loss", losses.back()}});
        job.step_done(std::size_t(step + 1));  // after Ctrl-C: saves the run, stops here
    }
    return losses;
}
// [fit]

Array slice_rows(const Array& a, std::size_t from, std::size_t to) {
    return Array(xt::view(a, xt::range(from, to)));
}

std::vector<Index> predict(vision::ImageClassifier& model, const Array& images) {
    model.eval();
    NoGrad no_grad;
    std::vector<Index> out;
    const std::size_t N = images.shape()[0];
    for (std::size_t from = 0; from < N; from += 250) {
        std::vector<std::size_t> idx;
        for (std::size_t i = from; i < std::min(N, from + 250); ++i) idx.push_back(i);
        const IndexArray best = argmax(model(Tensor(gather(images, idx))).value(), -1);
        out.insert(out.end(), best.begin(), best.end());
    }
    return out;
}

double accuracy(const std::vector<Index>& guesses, const std::vector<Index>& truth) {
    if (guesses.size() != truth.size() || truth.empty())
        throw ValueError("accuracy: " + std::to_string(guesses.size()) + " guesses for " +
                         std::to_string(truth.size()) + " labels");
    std::size_t right = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) right += guesses[i] == truth[i];
    return double(right) / double(truth.size());
}

Array features(vision::ResNetBody& body, const Array& images) {
    body.eval();
    NoGrad no_grad;
    const std::size_t N = images.shape()[0];
    Array out(Shape{N, body.features()});
    for (std::size_t from = 0; from < N; from += 250) {
        std::vector<std::size_t> idx;
        for (std::size_t i = from; i < std::min(N, from + 250); ++i) idx.push_back(i);
        const Array f = body(Tensor(gather(images, idx))).value();  // (b, 4w)
        std::copy(f.begin(), f.end(), out.data() + from * body.features());
    }
    return out;
}

// [train_head]
void train_head(nn::Linear& head, const Array& features, const std::vector<Index>& labels, int steps,
                float lr, float weight_decay) {
    optim::AdamWOptions options;
    options.lr = lr;
    options.weight_decay = weight_decay;
    optim::AdamW adam(head, options);  // the body is not even in the graph
    const Tensor x(features);          // (N, 4w), computed once
    const IndexArray y = index_array(labels);
    for (int step = 0; step < steps; ++step) {
        Tensor loss = cross_entropy(head(x), y);
        head.zero_grad();
        loss.backward();
        adam.step();
    }
}
// [train_head]

std::vector<Index> head_guesses(const nn::Linear& head, const Array& features) {
    NoGrad no_grad;
    const IndexArray best = argmax(head(Tensor(features)).value(), -1);
    return std::vector<Index>(best.begin(), best.end());
}

void unfreeze_parts(vision::ResNetBody& body, const std::string& parts) {
    body.freeze();
    body.eval();
    std::size_t start = 0;
    while (start <= parts.size() && !parts.empty()) {
        const std::size_t comma = std::min(parts.find(',', start), parts.size());
        const std::string part = parts.substr(start, comma - start);
        body.part(part).train();  // a name the body lacks: ValueError listing the names it has
        body.unfreeze(part);
        start = comma + 1;
    }
}

std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t pool) {
    std::vector<std::size_t> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        std::size_t n = 0;
        if (item == "all") {
            n = pool;
        } else {
            std::size_t used = 0;
            try {
                n = std::stoul(item, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != item.size() || n < 2 || n > pool)
                throw ValueError("--sizes: '" + item + "' in \"" + text +
                                 "\"; expected numbers of labelled images from 2 to " + std::to_string(pool) +
                                 ", or 'all', separated by commas");
        }
        out.push_back(n);
        start = comma + 1;
    }
    return out;
}

Array confusion(const std::vector<Index>& guesses, const std::vector<Index>& truth, std::size_t classes) {
    Array m = xt::zeros<float>({classes, classes});
    std::vector<double> per_class(classes, 0.0);
    for (std::size_t i = 0; i < truth.size(); ++i) {
        m(std::size_t(truth[i]), std::size_t(guesses[i])) += 1.0f;
        per_class[std::size_t(truth[i])] += 1.0;
    }
    for (std::size_t r = 0; r < classes; ++r)
        for (std::size_t c = 0; c < classes; ++c)
            m(r, c) = per_class[r] > 0 ? float(100.0 * double(m(r, c)) / per_class[r]) : 0.0f;
    return m;
}

}  // namespace lesson7
