#include <dikkat/nn/linear.hpp>

#include <cmath>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/shape.hpp>

namespace dikkat::nn {

namespace {
void check_linear_shapes(const Tensor& x, const Tensor& W, const Tensor& b) {
    const auto fail = [&](const std::string& expected) {  // built only on failure
        return ShapeError("linear: x is " + shape_str(x.shape()) + ", W is " + shape_str(W.shape()) +
                          (b.defined() ? ", b is " + shape_str(b.shape()) : std::string()) + "; " + expected);
    };
    if (W.dim() != 2) throw fail("W must be (in, out)");
    if (x.dim() == 0) throw fail("x must be (..., in), not a scalar");
    if (x.shape().back() != W.shape()[0])
        throw fail("x's last axis must equal W.shape[0] (" + std::to_string(x.shape().back()) + " vs " +
                   std::to_string(W.shape()[0]) + ")");
    if (b.defined() && (b.dim() != 1 || b.shape()[0] != W.shape()[1]))
        throw fail("b must be (out) = (" + std::to_string(W.shape()[1]) + ",)");
}
}  // namespace

Tensor linear(const Tensor& x, const Tensor& W, const Tensor& b) {
    check_linear_shapes(x, W, b);
    return affine(x, W, b);  // (..., in) @ (in, out) + (out) -> (..., out), in one node
}

Linear::Linear(std::size_t in, std::size_t out, Rng& rng, bool with_bias) : in_(in), out_(out) {
    if (in == 0 || out == 0)
        throw ValueError("Linear: sizes must be positive, got in = " + std::to_string(in) +
                         ", out = " + std::to_string(out));
    const float k = 1.0f / std::sqrt(static_cast<float>(in));
    weight = register_parameter("weight", rng.uniform_array({in, out}, -k, k));         // (in, out)
    if (with_bias) bias = register_parameter("bias", rng.uniform_array({out}, -k, k));  // (out)
}

std::string Linear::describe() const {
    return "Linear(" + std::to_string(in_) + ", " + std::to_string(out_) +
           (bias.defined() ? ")" : ", bias=false)");
}

Tensor Linear::forward(const Tensor& x) const {
    check_input(x);
    return linear(x, weight, bias);
}

Tensor Linear::forward_relu(const Tensor& x) const {
    check_input(x);
    return affine(x, weight, bias, /*relu=*/true);
}

void Linear::check_input(const Tensor& x) const {
    if (x.dim() == 0 || x.shape().back() != in_)
        throw ShapeError(describe() + ": input " + shape_str(x.shape()) +
                         " must end in the layer's input size " + std::to_string(in_));
}

}  // namespace dikkat::nn
