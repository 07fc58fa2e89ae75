#include <dikkat/ops/elementwise.hpp>

#include <algorithm>
#include <cmath>

#include <xsimd/xsimd.hpp>

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/vector_math.hpp>
#include <dikkat/parallel.hpp>

namespace dikkat {

namespace {
constexpr float inv_sqrt2 = 0.70710678118654752f;
constexpr float inv_sqrt2pi = 0.39894228040143268f;

// tanh of every element, split across Dikkat's threads, with the bits xt::tanh gives: whole SIMD
// batches through xsimd::tanh (each thread takes whole batches), the last n mod (batch size)
// through std::tanh.
Array tanh_values(const Array& x) {
    using batch = xsimd::batch<float>;
    constexpr std::size_t W = batch::size;
    Array y(x.shape());
    const float* px = x.data();
    float* py = y.data();
    const std::size_t n = x.size(), whole = n / W;
    parallel_for(whole, 4 * W, [&](std::size_t first, std::size_t last) {
        for (std::size_t b = first; b < last; ++b)
            xsimd::tanh(batch::load_unaligned(px + b * W)).store_unaligned(py + b * W);
    });
    for (std::size_t i = whole * W; i < n; ++i) py[i] = std::tanh(px[i]);
    return y;
}

}  // namespace

// ---- binary, with broadcasting -----------------------------------------------------------
// Inside a backward, `lhs` and `rhs` are the input nodes a and b.

namespace {
// a + b with broadcasting, row by row along the last axis (each side's rows from
// broadcast_rows), split across Dikkat's threads: a residual branch, a bias, positions added to
// every sentence, a query added to every key (B, 1, A) + (B, S, A). Each element is the same
// float sum as xtensor's a + b.
Array add_values(const Array& a, const Array& b) {
    const Shape shape = broadcast_shapes("add", a.shape(), b.shape());
    Array out(shape);
    const BroadcastRows ra = broadcast_rows(a.shape(), shape), rb = broadcast_rows(b.shape(), shape);
    const std::size_t n = ra.n;
    if (out.size() == 0) return out;
    const float *pa = a.data(), *pb = b.data();
    float* po = out.data();
    parallel_for(ra.offset.size(), n, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const float *x = pa + ra.offset[r], *y = pb + rb.offset[r];
            float* o = po + r * n;
            if (ra.step == 1 && rb.step == 1)
                for (std::size_t i = 0; i < n; ++i) o[i] = x[i] + y[i];
            else if (ra.step == 1)
                for (std::size_t i = 0; i < n; ++i) o[i] = x[i] + y[0];
            else if (rb.step == 1)
                for (std::size_t i = 0; i < n; ++i) o[i] = x[0] + y[i];
            else
                for (std::size_t i = 0; i < n; ++i) o[i] = x[0] + y[0];
        }
    });
    return out;
}
}  // namespace

// y = a + b                 da += sum_to(dy), db += sum_to(dy)
Tensor add(const Tensor& a, const Tensor& b) {
    broadcast_shapes("add", a.shape(), b.shape());
    Tensor y = make_result("add", add_values(a.value(), b.value()), {a, b});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            // An input of y's shape (each side of a residual sum) receives dy itself: b a copy,
            // a, last, the array dy was held in. A broadcast input receives dy summed back.
            const auto share = [&self](Node& in, bool last) {
                if (!in.requires_grad) return;
                if (in.value.shape() != self.grad.shape())
                    in.accumulate(sum_to(self.grad, in.value.shape()));
                else if (last)
                    in.accumulate(self.take_grad());
                else
                    in.accumulate(self.grad);
            };
            share(*self.inputs[1], false);
            share(*self.inputs[0], true);
        };
    return y;
}

// y = a - b                 da += sum_to(dy), db -= sum_to(dy)
Tensor sub(const Tensor& a, const Tensor& b) {
    broadcast_shapes("sub", a.shape(), b.shape());
    Tensor y = make_result("sub", a.value() - b.value(), {a, b});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& lhs = *self.inputs[0];
            Node& rhs = *self.inputs[1];
            if (lhs.requires_grad) lhs.accumulate(sum_to(self.grad, lhs.value.shape()));
            if (rhs.requires_grad) rhs.accumulate(sum_to(Array(-self.grad), rhs.value.shape()));
        };
    return y;
}

// y = a * b                 da += sum_to(dy * b), db += sum_to(dy * a)
Tensor mul(const Tensor& a, const Tensor& b) {
    broadcast_shapes("mul", a.shape(), b.shape());
    Tensor y = make_result("mul", a.value() * b.value(), {a, b});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& lhs = *self.inputs[0];
            Node& rhs = *self.inputs[1];
            if (lhs.requires_grad) lhs.accumulate(sum_to(Array(self.grad * rhs.value), lhs.value.shape()));
            if (rhs.requires_grad) rhs.accumulate(sum_to(Array(self.grad * lhs.value), rhs.value.shape()));
        };
    return y;
}

// y = a / b                 da += sum_to(dy / b), db += sum_to(-dy * y / b)
Tensor div(const Tensor& a, const Tensor& b) {
    broadcast_shapes("div", a.shape(), b.shape());
    Tensor y = make_result("div", a.value() / b.value(), {a, b});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& lhs = *self.inputs[0];
            Node& rhs = *self.inputs[1];
            if (lhs.requires_grad) lhs.accumulate(sum_to(Array(self.grad / rhs.value), lhs.value.shape()));
            if (rhs.requires_grad)
                rhs.accumulate(sum_to(Array(-self.grad * self.value / rhs.value), rhs.value.shape()));
        };
    return y;
}

// ---- with a constant ---------------------------------------------------------------------

// y = x + s                 dx += dy
Tensor add(const Tensor& x, float s) {
    Tensor y = make_result("add_scalar", x.value() + s, {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) { self.inputs[0]->accumulate(self.take_grad()); };
    return y;
}

// y = x * s                 dx += s * dy
Tensor mul(const Tensor& x, float s) {
    Tensor y = make_result("mul_scalar", x.value() * s, {x});
    if (y.requires_grad())
        y.node().backward = [s](Node& self) { self.inputs[0]->accumulate(Array(self.grad * s)); };
    return y;
}

// y = s / x                 dx += -dy * y / x
Tensor rdiv(float s, const Tensor& x) {
    Tensor y = make_result("rdiv_scalar", s / x.value(), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            in.accumulate(Array(-self.grad * self.value / in.value));
        };
    return y;
}

// ---- unary -------------------------------------------------------------------------------

// y = -x                    dx -= dy
Tensor neg(const Tensor& x) {
    Tensor y = make_result("neg", -x.value(), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) { self.inputs[0]->accumulate(Array(-self.grad)); };
    return y;
}

// y = exp(x)                dx += dy * y          (saves y, not x)
Tensor exp(const Tensor& x) {
    Tensor y = make_result("exp", xt::exp(x.value()), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) { self.inputs[0]->accumulate(Array(self.grad * self.value)); };
    return y;
}

// y = log(x)                dx += dy / x
Tensor log(const Tensor& x) {
    Tensor y = make_result("log", xt::log(x.value()), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            in.accumulate(Array(self.grad / in.value));
        };
    return y;
}

// y = sqrt(x)               dx += dy / (2 y)
Tensor sqrt(const Tensor& x) {
    Tensor y = make_result("sqrt", xt::sqrt(x.value()), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            self.inputs[0]->accumulate(Array(self.grad * 0.5f / self.value));
        };
    return y;
}

// y = x^p                   dx += dy * p * x^(p-1)
Tensor pow(const Tensor& x, float p) {
    Tensor y = make_result("pow", xt::pow(x.value(), p), {x});
    if (y.requires_grad())
        y.node().backward = [p](Node& self) {
            Node& in = *self.inputs[0];
            in.accumulate(Array(self.grad * p * xt::pow(in.value, p - 1.0f)));
        };
    return y;
}

// [tanh]
// y = tanh(x)               dx += dy * (1 - y^2)   (saves y, not x)
Tensor tanh(const Tensor& x) {
    Tensor y = make_result("tanh", tanh_values(x.value()), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            self.inputs[0]->accumulate(Array(self.grad * (1.0f - self.value * self.value)));
        };
    return y;
}
// [tanh]

// y = 1 / (1 + exp(-x))     dx += dy * y * (1 - y)
Tensor sigmoid(const Tensor& x) {
    Tensor y = make_result("sigmoid", 1.0f / (1.0f + xt::exp(-x.value())), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            self.inputs[0]->accumulate(Array(self.grad * self.value * (1.0f - self.value)));
        };
    return y;
}

// y = max(x, 0)             dx += dy * [x > 0]   ([y > 0] is the same test, on the output)
Tensor relu(const Tensor& x) {
    Array out(x.shape());
    const float* px = x.value().data();
    float* po = out.data();
    parallel_for(out.size(), 1, [&](std::size_t first, std::size_t last) {
        vec::relu(px + first, po + first, last - first);
    });
    Tensor y = make_result("relu", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Array g = self.take_grad();
            const float* value = self.value.data();
            float* pg = g.data();
            parallel_for(g.size(), 1, [&](std::size_t first, std::size_t last) {
                vec::relu_backward(pg + first, value + first, last - first);
            });
            self.inputs[0]->accumulate(std::move(g));
        };
    return y;
}

// y = x * Phi(x)            dx += dy * (Phi(x) + x * phi(x))
// Phi is the standard normal CDF, phi its density. (The exact GELU, PyTorch's default.)
Tensor gelu(const Tensor& x) {
    Tensor y = make_result("gelu", x.value() * 0.5f * (1.0f + xt::erf(x.value() * inv_sqrt2)), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            const Array& v = in.value;
            in.accumulate(Array(self.grad * (0.5f * (1.0f + xt::erf(v * inv_sqrt2)) +
                                             v * inv_sqrt2pi * xt::exp(-0.5f * v * v))));
        };
    return y;
}

}  // namespace dikkat
