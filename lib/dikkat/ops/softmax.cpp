#include <dikkat/ops/softmax.hpp>

#include <cmath>
#include <vector>

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/lanes.hpp>
#include <dikkat/ops/mask.hpp>
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
                    out[s + i * step] = vec::exp(x[s + i * step] - m);
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

// y = softmax(fill_hidden(c x, keep, -1e9))      dx += keep ? c * y * (dy - sum(dy * y)) : 0
// Row by row along the last axis; `rows` says where each row's part of keep is.
Tensor masked_softmax(const Tensor& x, const Array& keep, float scale) {
    const bool masked = has_keep(keep);
    if (masked && broadcast_shapes("masked_softmax", x.shape(), keep.shape()) != x.shape())
        throw ShapeError("masked_softmax: keep " + shape_str(keep.shape()) +
                         " must broadcast to the shape of x " + shape_str(x.shape()) +
                         " without making it larger");
    if (x.dim() == 0) throw ShapeError("masked_softmax: x must have at least one axis, got a scalar");
    const BroadcastRows rows = broadcast_rows(masked ? keep.shape() : Shape{1}, x.shape());
    const std::size_t n = rows.n;
    Array out(x.shape());
    const float* px = x.value().data();
    float* po = out.data();
    if (n > 0)
        parallel_for(rows.offset.size(), n, [&](std::size_t first, std::size_t last) {
            for (std::size_t r = first; r < last; ++r) {  // o = e^(c x - max), hidden keys -1e9 first
                float* o = po + r * n;
                const float* xr = px + r * n;
                if (!masked) {
                    for (std::size_t i = 0; i < n; ++i) o[i] = xr[i] * scale;
                } else if (rows.step == 1) {  // this row's keep, one value per key
                    const float* k = keep.data() + rows.offset[r];
                    for (std::size_t i = 0; i < n; ++i) {
                        const float v = xr[i] * scale;  // read whether kept or not: a blend, no branch
                        o[i] = k[i] != 0.0f ? v : -1e9f;
                    }
                } else {  // one keep value for the whole row
                    const bool k = keep.data()[rows.offset[r]] != 0.0f;
                    for (std::size_t i = 0; i < n; ++i) o[i] = k ? xr[i] * scale : -1e9f;
                }
                vec::exp_minus(o, vec::max(o, n), o, n);
            }
            std::vector<double> sums(last - first);  // then each row's sum, four rows at a time
            vec::row_sums(po + first * n, last - first, n, sums.data());
            for (std::size_t r = first; r < last; ++r) {
                const auto inv = static_cast<float>(1.0 / sums[r - first]);
                float* o = po + r * n;
                for (std::size_t i = 0; i < n; ++i) o[i] *= inv;
            }
        });
    Tensor y = make_result("masked_softmax", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [rows, n, scale, keep = masked ? keep : Array()](Node& self) {
            const bool hide = has_keep(keep);
            const float* py = self.value.data();
            const float* dy = self.grad.data();
            Array g(self.value.shape());
            float* dx = g.data();
            parallel_for(rows.offset.size(), n, [&](std::size_t first, std::size_t last) {
                for (std::size_t r = first; r < last; ++r) {
                    const float *yr = py + r * n, *dyr = dy + r * n;
                    float dot = 0.0f;  // in float, in order: softmax's backward, to the bit
                    for (std::size_t i = 0; i < n; ++i) dot += dyr[i] * yr[i];
                    float* dxr = dx + r * n;
                    if (!hide) {
                        for (std::size_t i = 0; i < n; ++i) dxr[i] = yr[i] * (dyr[i] - dot) * scale;
                    } else {
                        const float* k = keep.data() + rows.offset[r];  // k[i * step]
                        for (std::size_t i = 0; i < n; ++i) {
                            const float grad = yr[i] * (dyr[i] - dot) * scale;
                            dxr[i] = k[i * rows.step] != 0.0f ? grad : 0.0f;
                        }
                    }
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
                        dx[s + i * step] = dy[s + i * step] - vec::exp(py[s + i * step]) * total;
                }
            });
            self.inputs[0]->accumulate(std::move(g));
        };
    return y;
}

}  // namespace dikkat
