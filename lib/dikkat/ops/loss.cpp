#include <dikkat/ops/loss.hpp>

#include <cmath>
#include <vector>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/reduce.hpp>
#include <dikkat/ops/vector_math.hpp>
#include <dikkat/parallel.hpp>

namespace dikkat {

// L = -mean log softmax(z)[t]     dz += dL * (softmax(z) - onehot(t)) / N      (ε = 0)
Tensor cross_entropy(const Tensor& logits, const IndexArray& targets, Index ignore_index,
                     float label_smoothing) {
    if (!(label_smoothing >= 0.0f && label_smoothing < 1.0f))
        throw ValueError("cross_entropy: label_smoothing is " + std::to_string(label_smoothing) +
                         "; expected 0 <= label_smoothing < 1");
    const double eps = static_cast<double>(label_smoothing);
    const Shape& zs = logits.shape();
    Shape expected(zs.begin(), zs.empty() ? zs.end() : zs.end() - 1);
    if (zs.empty() || Shape(targets.shape().begin(), targets.shape().end()) != expected)
        throw ShapeError("cross_entropy: logits " + shape_str(zs) + " need targets of shape " +
                         (zs.empty() ? std::string("(...)") : shape_str(expected)) +
                         " (one class id per row of scores), got targets " +
                         shape_str(Shape(targets.shape().begin(), targets.shape().end())));
    const std::size_t C = zs.back(), rows = targets.size();
    const float* z = logits.value().data();
    // The softmax of each row is kept for backward — only if a backward will follow.
    const bool keep = logits.requires_grad() && grad_enabled();
    std::size_t counted = 0;
    for (std::size_t r = 0; r < rows; ++r) {  // every target checked before any work
        const Index t = targets.data()[r];
        if (t == ignore_index) continue;
        if (t < 0 || static_cast<std::size_t>(t) >= C)
            throw ValueError("cross_entropy: target " + std::to_string(t) + " at flat position " +
                             std::to_string(r) + " is not a class id in [0, " + std::to_string(C) +
                             ") nor the ignore index " + std::to_string(ignore_index));
        ++counted;
    }
    // The softmax of each row is kept for backward (without one, a scratch row per thread).
    Array probs(keep ? Shape{rows, C} : Shape{0, C});
    std::vector<double> row_loss(rows, 0.0);  // summed in row order below, whatever the threads
    parallel_for(rows, C, [&](std::size_t first, std::size_t last) {
        std::vector<float> scratch(keep ? 0 : C);
        for (std::size_t r = first; r < last; ++r) {
            const Index t = targets.data()[r];
            if (t == ignore_index) continue;
            const float* zr = z + r * C;
            float* pr = keep ? probs.data() + r * C : scratch.data();
            const float m = vec::max(zr, C);
            const double s = vec::exp_shifted(zr, m, pr, C);  // sum of e^(z - m), in double
            const double zsum = eps > 0.0 ? vec::sum(zr, C) : 0.0;
            const double log_z = static_cast<double>(m) + std::log(s);
            row_loss[r] = (1.0 - eps) * (static_cast<double>(m - zr[t]) + std::log(s));   // log Z - z_t
            if (eps > 0.0) row_loss[r] += eps * (log_z - zsum / static_cast<double>(C));  // log Z - mean z
            const float inv = static_cast<float>(1.0 / s);
            for (std::size_t c = 0; c < C; ++c) pr[c] *= inv;
        }
    });
    double total = 0.0;
    for (const double l : row_loss) total += l;
    const float loss = counted ? static_cast<float>(total / static_cast<double>(counted)) : 0.0f;
    Tensor y = make_result("cross_entropy", Array(xt::xarray<float>(loss)), {logits});
    if (y.requires_grad())
        y.node().backward = [probs = std::move(probs), targets, ignore_index, counted, C,
                             label_smoothing](Node& self) {
            if (counted == 0) {  // every position ignored: the gradient is zeros (not none)
                self.inputs[0]->accumulate_in_place([](Array&) {});
                return;
            }
            const float scale = self.grad.data()[0] / static_cast<float>(counted);
            const float spread = scale * label_smoothing / static_cast<float>(C);  // ε/C of every class
            self.inputs[0]->accumulate_in_place([&](Array& grad) {
                float* dz = grad.data();
                const float* p = probs.data();
                parallel_for(targets.size(), C, [&](std::size_t first, std::size_t last) {
                    for (std::size_t r = first; r < last; ++r) {
                        const Index t = targets.data()[r];
                        if (t == ignore_index) continue;
                        for (std::size_t c = 0; c < C; ++c) dz[r * C + c] += scale * p[r * C + c] - spread;
                        dz[r * C + static_cast<std::size_t>(t)] -= scale * (1.0f - label_smoothing);
                    }
                });
            });
        };
    return y;
}

// L = mean((p - t)^2), composed from ops (its backward follows from theirs).
Tensor mse(const Tensor& pred, const Tensor& target) {
    if (pred.shape() != target.shape())
        throw ShapeError("mse: pred " + shape_str(pred.shape()) + " and target " + shape_str(target.shape()) +
                         " must have the same shape");
    if (pred.numel() == 0)
        throw ShapeError("mse: pred and target " + shape_str(pred.shape()) +
                         " are empty; a mean needs at least one element");
    Tensor d = sub(pred, target);
    return mean(mul(d, d));
}

}  // namespace dikkat
