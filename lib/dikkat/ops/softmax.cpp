#include <dikkat/ops/softmax.hpp>

#include <cmath>

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/lanes.hpp>
#include <dikkat/ops/vector_math.hpp>
#include <dikkat/parallel.hpp>

namespace dikkat {

namespace {
// Softmax of every lane of `x` around `axis`, written to `out` (log-softmax when `log`).
void softmax_lanes(const float* x, float* out, const Lanes& L, bool log) {
    if (L.n == 0) return;  // empty lanes: nothing to normalise
    parallel_for(L.count(), L.n, [&](std::size_t first, std::size_t last) {
        for (std::size_t l = first; l < last; ++l) {
            const std::size_t s = L.start(l), step = L.inner;
            // One exp per element, kept in `out`; the sum is taken in double.
            float m = x[s];
            double z = 0.0;
            if (step == 1) {  // the last axis: contiguous
                m = vec::max(x + s, L.n);
                z = vec::exp_shifted(x + s, m, out + s, L.n);
            } else {
                for (std::size_t i = 1; i < L.n; ++i) m = std::max(m, x[s + i * step]);
                for (std::size_t i = 0; i < L.n; ++i) {
                    out[s + i * step] = std::exp(x[s + i * step] - m);
                    z += static_cast<double>(out[s + i * step]);
                }
            }
            if (log) {
                const float lz = m + static_cast<float>(std::log(z));
                for (std::size_t i = 0; i < L.n; ++i) out[s + i * step] = x[s + i * step] - lz;
            } else {
                const float inv = static_cast<float>(1.0 / z);
                for (std::size_t i = 0; i < L.n; ++i) out[s + i * step] *= inv;
            }
        }
    });
}
}  // namespace

// y = softmax(x)            dx += y * (dy - sum(dy * y))
Tensor softmax(const Tensor& x, std::ptrdiff_t axis_) {
    const std::size_t axis = normalize_axis("softmax", axis_, x.dim());
    const Lanes L = lanes_of(x.shape(), axis);
    Array out(x.shape());
    softmax_lanes(x.value().data(), out.data(), L, false);
    Tensor y = make_result("softmax", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [L](Node& self) {
            const float* py = self.value.data();
            const float* dy = self.grad.data();
            Array g(self.value.shape());
            float* dx = g.data();
            parallel_for(L.count(), L.n, [&](std::size_t first, std::size_t last) {
                for (std::size_t l = first; l < last; ++l) {
                    const std::size_t s = L.start(l), step = L.inner;
                    float dot = 0.0f;
                    for (std::size_t i = 0; i < L.n; ++i) dot += dy[s + i * step] * py[s + i * step];
                    for (std::size_t i = 0; i < L.n; ++i)
                        dx[s + i * step] = py[s + i * step] * (dy[s + i * step] - dot);
                }
            });
            self.inputs[0]->accumulate(std::move(g));
        };
    return y;
}

// y = log_softmax(x)        dx += dy - exp(y) * sum(dy)
Tensor log_softmax(const Tensor& x, std::ptrdiff_t axis_) {
    const std::size_t axis = normalize_axis("log_softmax", axis_, x.dim());
    const Lanes L = lanes_of(x.shape(), axis);
    Array out(x.shape());
    softmax_lanes(x.value().data(), out.data(), L, true);
    Tensor y = make_result("log_softmax", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [L](Node& self) {
            const float* py = self.value.data();
            const float* dy = self.grad.data();
            Array g(self.value.shape());
            float* dx = g.data();
            parallel_for(L.count(), L.n, [&](std::size_t first, std::size_t last) {
                for (std::size_t l = first; l < last; ++l) {
                    const std::size_t s = L.start(l), step = L.inner;
                    float total = 0.0f;
                    for (std::size_t i = 0; i < L.n; ++i) total += dy[s + i * step];
                    for (std::size_t i = 0; i < L.n; ++i)
                        dx[s + i * step] = dy[s + i * step] - std::exp(py[s + i * step]) * total;
                }
            });
            self.inputs[0]->accumulate(std::move(g));
        };
    return y;
}

}  // namespace dikkat
