#include <dikkat/nn/linear.hpp>

#include <cmath>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/shape.hpp>

namespace dikkat::nn {

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
    if (x.dim() == 0 || x.shape().back() != in_)
        throw ShapeError(describe() + ": input " + shape_str(x.shape()) +
                         " must end in the layer's input size " + std::to_string(in_));
    if (x.dim() == 1) {  // a single vector: (in) -> (1, in) -> (1, out) -> (out)
        Tensor y = forward(reshape(x, {1, static_cast<std::ptrdiff_t>(in_)}));
        return reshape(y, {static_cast<std::ptrdiff_t>(out_)});
    }
    Tensor y = matmul(x, weight);          // (..., in) @ (in, out) -> (..., out)
    return bias.defined() ? y + bias : y;  // + (out), broadcast over the leading axes
}

}  // namespace dikkat::nn
