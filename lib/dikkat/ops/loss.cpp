#include <dikkat/ops/loss.hpp>

#include <cmath>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/reduce.hpp>

namespace dikkat {

// L = -mean log softmax(z)[t]     dz += dL * (softmax(z) - onehot(t)) / N
Tensor cross_entropy(const Tensor& logits, const IndexArray& targets, Index ignore_index) {
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
    Array probs(keep ? Shape{rows, C} : Shape{1, C});  // without keep: row 0 is scratch
    double total = 0.0;
    std::size_t counted = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const Index t = targets.data()[r];
        if (t == ignore_index) continue;
        if (t < 0 || static_cast<std::size_t>(t) >= C)
            throw ValueError("cross_entropy: target " + std::to_string(t) + " at flat position " +
                             std::to_string(r) + " is not a class id in [0, " + std::to_string(C) +
                             ") nor the ignore index " + std::to_string(ignore_index));
        const float* zr = z + r * C;
        float* pr = probs.data() + (keep ? r * C : 0);
        float m = zr[0];
        for (std::size_t c = 1; c < C; ++c) m = std::max(m, zr[c]);
        double s = 0.0;  // sum of e^(z - m): one exp per score, summed in double
        for (std::size_t c = 0; c < C; ++c) {
            pr[c] = std::exp(zr[c] - m);
            s += static_cast<double>(pr[c]);
        }
        total += static_cast<double>(m - zr[t]) + std::log(s);  // log Z - z_t
        const float inv = static_cast<float>(1.0 / s);
        for (std::size_t c = 0; c < C; ++c) pr[c] *= inv;
        ++counted;
    }
    const float loss = counted ? static_cast<float>(total / static_cast<double>(counted)) : 0.0f;
    Tensor y = make_result("cross_entropy", Array(xt::xarray<float>(loss)), {logits});
    if (y.requires_grad())
        y.node().backward = [probs = std::move(probs), targets, ignore_index, counted, C](Node& self) {
            if (counted == 0) return;
            const float scale = self.grad.data()[0] / static_cast<float>(counted);
            self.inputs[0]->accumulate_in_place([&](Array& grad) {
                float* dz = grad.data();
                for (std::size_t r = 0; r < targets.size(); ++r) {
                    const Index t = targets.data()[r];
                    if (t == ignore_index) continue;
                    for (std::size_t c = 0; c < C; ++c) dz[r * C + c] += scale * probs(r, c);
                    dz[r * C + static_cast<std::size_t>(t)] -= scale;
                }
            });
        };
    return y;
}

// L = mean((p - t)^2), composed from ops (its backward follows from theirs).
Tensor mse(const Tensor& pred, const Tensor& target) {
    if (pred.shape() != target.shape())
        throw ShapeError("mse: pred " + shape_str(pred.shape()) + " and target " + shape_str(target.shape()) +
                         " must have the same shape");
    Tensor d = sub(pred, target);
    return mean(mul(d, d));
}

}  // namespace dikkat
