#include <dikkat/ops/nn_ops.hpp>

#include <cmath>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <dikkat/ops/vector_math.hpp>
#include <dikkat/parallel.hpp>

namespace dikkat {

// y[s, :] = W[ids[s], :]    dW[ids[s], :] += dy[s, :]
Tensor embedding(const Tensor& weight, const IndexArray& ids) {
    if (weight.dim() != 2)
        throw ShapeError("embedding: the weight must be 2-D (vocab, dim), got " + shape_str(weight.shape()));
    const std::size_t V = weight.shape()[0], D = weight.shape()[1];
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Index id = ids.data()[i];
        if (id < 0 || static_cast<std::size_t>(id) >= V)
            throw ValueError("embedding: id " + std::to_string(id) + " at flat position " +
                             std::to_string(i) + " is outside the vocabulary [0, " + std::to_string(V) + ")");
    }
    Shape out_shape(ids.shape().begin(), ids.shape().end());
    out_shape.push_back(D);
    Array out(out_shape);
    const float* W = weight.value().data();
    for (std::size_t i = 0; i < ids.size(); ++i)
        std::copy_n(W + static_cast<std::size_t>(ids.data()[i]) * D, D, out.data() + i * D);
    Tensor y = make_result("embedding", std::move(out), {weight});
    if (y.requires_grad())
        y.node().backward = [ids, D](Node& self) {
            const float* dy = self.grad.data();
            self.inputs[0]->accumulate_in_place([&](Array& dW) {  // scatter-add, row by row
                for (std::size_t i = 0; i < ids.size(); ++i) {
                    float* row = dW.data() + static_cast<std::size_t>(ids.data()[i]) * D;
                    for (std::size_t d = 0; d < D; ++d) row[d] += dy[i * D + d];
                }
            });
        };
    return y;
}

namespace {
// (x - mean) / sqrt(var + eps), in double: mean rounded to float is off by 1e-6.
inline float normalized(float x, double mean, double rstd) {
    return static_cast<float>((static_cast<double>(x) - mean) * rstd);
}
}  // namespace

// y = gamma * (x - mean) / sqrt(var + eps) + beta, over the last axis.
// Means and variances are summed in double: summed in float, rows with mean 20, sd 0.5 and
// D = 512 came out up to 4e-5 wrong instead of 2e-7 (a test in tests/unit/test_autograd.cpp).
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    if (x.dim() < 1) throw ShapeError("layer_norm: x must have at least one axis");
    const std::size_t D = x.shape().back();
    if (gamma.shape() != Shape{D} || beta.shape() != Shape{D})
        throw ShapeError("layer_norm: gamma " + shape_str(gamma.shape()) + " and beta " +
                         shape_str(beta.shape()) + " must both have shape (" + std::to_string(D) +
                         ",) to match the last axis of x " + shape_str(x.shape()));
    const std::size_t rows = D == 0 ? 0 : x.numel() / D;
    Array out(x.shape());
    // Each row's mean and 1 / sqrt(var + eps), kept for backward, which recomputes xhat from
    // them — the same floats — rather than keeping a copy of x's size alive until then.
    std::vector<double> mean(rows), rstd(rows);
    const float* px = x.value().data();
    const float* pg = gamma.value().data();
    const float* pb = beta.value().data();
    parallel_for(rows, D, [&](std::size_t first, std::size_t last) {
        const std::size_t n = last - first;
        vec::row_sums(px + first * D, n, D, mean.data() + first);  // the sums, then the means
        for (std::size_t r = first; r < last; ++r) mean[r] /= static_cast<double>(D);
        // rstd holds each row's sum of squared deviations until the loop below turns it into 1 / sd
        vec::row_squared_deviations(px + first * D, n, D, mean.data() + first, rstd.data() + first);
        for (std::size_t r = first; r < last; ++r) {
            const float* xr = px + r * D;
            const double mu = mean[r];
            const double rs = 1.0 / std::sqrt(rstd[r] / static_cast<double>(D) + static_cast<double>(eps));
            rstd[r] = rs;
            float* yr = out.data() + r * D;
            for (std::size_t d = 0; d < D; ++d) yr[d] = pg[d] * normalized(xr[d], mu, rs) + pb[d];
        }
    });
    Tensor y = make_result("layer_norm", std::move(out), {x, gamma, beta});
    if (y.requires_grad())
        y.node().backward = [mean = std::move(mean), rstd = std::move(rstd), rows, D](Node& self) {
            const float* dy = self.grad.data();
            Array xhat(self.value.shape());
            const float* x_in = self.inputs[0]->value.data();
            parallel_for(rows, D, [&](std::size_t first, std::size_t last) {
                for (std::size_t r = first; r < last; ++r)
                    for (std::size_t d = 0; d < D; ++d)
                        xhat.data()[r * D + d] = normalized(x_in[r * D + d], mean[r], rstd[r]);
            });
            const float* h = xhat.data();
            const float* g = self.inputs[1]->value.data();
            // dgamma[d] += sum_r dy[r, d] * xhat[r, d]        dbeta[d] += sum_r dy[r, d]
            self.inputs[1]->accumulate_in_place([&](Array& dgamma) {
                float* dg = dgamma.data();
                for (std::size_t r = 0; r < rows; ++r)
                    for (std::size_t d = 0; d < D; ++d) dg[d] += dy[r * D + d] * h[r * D + d];
            });
            self.inputs[2]->accumulate_in_place([&](Array& dbeta) {
                float* db = dbeta.data();
                for (std::size_t r = 0; r < rows; ++r)
                    for (std::size_t d = 0; d < D; ++d) db[d] += dy[r * D + d];
            });
            // dx = rstd * (dy*gamma - mean(dy*gamma) - xhat * mean(dy*gamma*xhat)), per row
            self.inputs[0]->accumulate_in_place([&](Array& dx_array) {
                float* dx = dx_array.data();
                parallel_for(rows, D, [&](std::size_t first, std::size_t last) {
                    for (std::size_t r = first; r < last; ++r) {
                        const float* dyr = dy + r * D;
                        const float* hr = h + r * D;
                        float* dxr = dx + r * D;
                        double mean_g = 0.0, mean_gh = 0.0;  // g = dy * gamma
#pragma omp simd reduction(+ : mean_g, mean_gh)
                        for (std::size_t d = 0; d < D; ++d) {
                            const float gd = dyr[d] * g[d];
                            mean_g += static_cast<double>(gd);
                            mean_gh += static_cast<double>(gd * hr[d]);
                        }
                        const auto mg = static_cast<float>(mean_g / static_cast<double>(D));
                        const auto mgh = static_cast<float>(mean_gh / static_cast<double>(D));
                        const auto rs = static_cast<float>(rstd[r]);
                        for (std::size_t d = 0; d < D; ++d) dxr[d] += rs * (dyr[d] * g[d] - mg - hr[d] * mgh);
                    }
                });
            });
        };
    return y;
}

// y = x * mask / (1 - p)    dx += dy * mask / (1 - p)
Tensor dropout(const Tensor& x, float p, Rng& rng, bool training) {
    if (!(p >= 0.0f && p < 1.0f)) throw ValueError("dropout: p must be in [0, 1), got " + std::to_string(p));
    if (!training || p == 0.0f) return x;
    const float scale = 1.0f / (1.0f - p);
    Array mask(x.shape());
    for (float& m : mask) m = rng.uniform() < p ? 0.0f : scale;
    Tensor y = make_result("dropout", x.value() * mask, {x});
    if (y.requires_grad())
        y.node().backward = [mask = std::move(mask)](Node& self) {
            self.inputs[0]->accumulate(Array(self.grad * mask));
        };
    return y;
}

// [additive_scores]
namespace {
// One score: t = tanh(q + k) written to t, and returned v · t. A SIMD batch of the A numbers
// at a time (xsimd::tanh, as tanh() computes it); the last A mod (batch size) one by one.
float tanh_dot(const float* q, const float* k, const float* v, float* t, std::size_t A) {
    using batch = xsimd::batch<float>;
    constexpr std::size_t W = batch::size;
    batch lanes(0.0f);
    std::size_t a = 0;
    for (; a + W <= A; a += W) {
        const batch ta = xsimd::tanh(batch::load_unaligned(q + a) + batch::load_unaligned(k + a));
        ta.store_unaligned(t + a);
        lanes += ta * batch::load_unaligned(v + a);
    }
    float e = xsimd::hadd(lanes);
    for (; a < A; ++a) {
        t[a] = std::tanh(q[a] + k[a]);
        e += t[a] * v[a];
    }
    return e;
}
}  // namespace

// e[b, j] = v · t[b, j]    t[b, j] = tanh(q[b] + k[b, j])    q (B, A), k (B, S, A), v (A)
// g[b, j] = de[b, j] v * (1 - t[b, j]^2)
// dk[b, j] += g[b, j]    dq[b] += sum_j g[b, j]    dv += sum_bj de[b, j] t[b, j]
Tensor additive_scores(const Tensor& q, const Tensor& k, const Tensor& v) {
    if (q.dim() != 2 || k.dim() != 3 || v.dim() != 1 || k.shape()[0] != q.shape()[0] ||
        k.shape()[2] != q.shape()[1] || v.shape()[0] != q.shape()[1])
        throw ShapeError("additive_scores: q is " + shape_str(q.shape()) + ", k is " + shape_str(k.shape()) +
                         ", v is " + shape_str(v.shape()) + "; expected q (B, A), k (B, S, A) and v (A)");
    const std::size_t B = k.shape()[0], S = k.shape()[1], A = k.shape()[2];
    Array t(k.shape());  // (B, S, A), kept for backward
    Array e(Shape{B, S});
    const float *pq = q.value().data(), *pk = k.value().data(), *pv = v.value().data();
    float *pt = t.data(), *pe = e.data();
    parallel_for(B * S, 4 * A, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r)  // row r = (b, j) = (r / S, r % S)
            pe[r] = tanh_dot(pq + (r / S) * A, pk + r * A, pv, pt + r * A, A);
    });
    Tensor y = make_result("additive_scores", std::move(e), {q, k, v});
    if (y.requires_grad())
        y.node().backward = [t = std::move(t), B, S, A](Node& self) {
            const float* de = self.grad.data();
            const float* vs = self.inputs[2]->value.data();
            const float* ts = t.data();
            // dk whole; dq and each batch row's share of dv, (B, A), summed over b in order
            // afterwards so that dv does not depend on how the rows were split across threads.
            Array dk(t.shape()), dq = xt::zeros<float>(Shape{B, A}), dv_rows = xt::zeros<float>(Shape{B, A});
            float *pdk = dk.data(), *pdq = dq.data(), *pdv = dv_rows.data();
            parallel_for(B, 4 * S * A, [&](std::size_t first, std::size_t last) {
                for (std::size_t b = first; b < last; ++b)
                    for (std::size_t j = 0; j < S; ++j) {
                        const std::size_t r = b * S + j;
                        const float d = de[r];
                        const float* tr = ts + r * A;
                        float* g = pdk + r * A;
                        for (std::size_t a = 0; a < A; ++a) {
                            g[a] = d * vs[a] * (1.0f - tr[a] * tr[a]);
                            pdq[b * A + a] += g[a];
                            pdv[b * A + a] += d * tr[a];
                        }
                    }
            });
            self.inputs[1]->accumulate(std::move(dk));
            self.inputs[0]->accumulate(std::move(dq));
            self.inputs[2]->accumulate_in_place([&](Array& grad) {
                float* g = grad.data();
                for (std::size_t b = 0; b < B; ++b)
                    for (std::size_t a = 0; a < A; ++a) g[a] += pdv[b * A + a];
            });
        };
    return y;
}
// [additive_scores]

}  // namespace dikkat
