#include <dikkat/ops/nn_ops.hpp>

#include <cmath>

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
            float* dW = self.inputs[0]->grad_buffer().data();
            const float* dy = self.grad.data();
            for (std::size_t i = 0; i < ids.size(); ++i) {
                float* row = dW + static_cast<std::size_t>(ids.data()[i]) * D;
                for (std::size_t d = 0; d < D; ++d) row[d] += dy[i * D + d];
            }
        };
    return y;
}

// y = gamma * (x - mean) / sqrt(var + eps) + beta, over the last axis.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    if (x.dim() < 1) throw ShapeError("layer_norm: x must have at least one axis");
    const std::size_t D = x.shape().back();
    if (gamma.shape() != Shape{D} || beta.shape() != Shape{D})
        throw ShapeError("layer_norm: gamma " + shape_str(gamma.shape()) + " and beta " +
                         shape_str(beta.shape()) + " must both have shape (" + std::to_string(D) +
                         ",) to match the last axis of x " + shape_str(x.shape()));
    const std::size_t rows = D == 0 ? 0 : x.numel() / D;
    Array out(x.shape());
    Array xhat(x.shape());
    Array rstd(Shape{rows});  // 1 / sqrt(var + eps) of each row
    const float* px = x.value().data();
    const float* pg = gamma.value().data();
    const float* pb = beta.value().data();
    for (std::size_t r = 0; r < rows; ++r) {
        const float* xr = px + r * D;
        float mu = 0.0f;
        for (std::size_t d = 0; d < D; ++d) mu += xr[d];
        mu /= static_cast<float>(D);
        float var = 0.0f;
        for (std::size_t d = 0; d < D; ++d) var += (xr[d] - mu) * (xr[d] - mu);
        var /= static_cast<float>(D);
        const float rs = 1.0f / std::sqrt(var + eps);
        rstd(r) = rs;
        for (std::size_t d = 0; d < D; ++d) {
            const float h = (xr[d] - mu) * rs;
            xhat.data()[r * D + d] = h;
            out.data()[r * D + d] = pg[d] * h + pb[d];
        }
    }
    Tensor y = make_result("layer_norm", std::move(out), {x, gamma, beta});
    if (y.requires_grad())
        y.node().backward = [xhat = std::move(xhat), rstd = std::move(rstd), rows, D](Node& self) {
            Node& in = *self.inputs[0];
            Node& gam = *self.inputs[1];
            Node& bet = *self.inputs[2];
            const float* dy = self.grad.data();
            const float* h = xhat.data();
            const float* g = gam.value.data();
            if (gam.requires_grad || bet.requires_grad) {
                float* dg = gam.requires_grad ? gam.grad_buffer().data() : nullptr;
                float* db = bet.requires_grad ? bet.grad_buffer().data() : nullptr;
                for (std::size_t r = 0; r < rows; ++r)
                    for (std::size_t d = 0; d < D; ++d) {
                        if (dg) dg[d] += dy[r * D + d] * h[r * D + d];
                        if (db) db[d] += dy[r * D + d];
                    }
            }
            if (in.requires_grad) {
                float* dx = in.grad_buffer().data();
                const float inv_n = 1.0f / static_cast<float>(D);
                for (std::size_t r = 0; r < rows; ++r) {
                    float mean_g = 0.0f, mean_gh = 0.0f;  // g = dy * gamma
                    for (std::size_t d = 0; d < D; ++d) {
                        const float gd = dy[r * D + d] * g[d];
                        mean_g += gd;
                        mean_gh += gd * h[r * D + d];
                    }
                    mean_g *= inv_n;
                    mean_gh *= inv_n;
                    for (std::size_t d = 0; d < D; ++d)
                        dx[r * D + d] += rstd(r) * (dy[r * D + d] * g[d] - mean_g - h[r * D + d] * mean_gh);
                }
            }
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

}  // namespace dikkat
