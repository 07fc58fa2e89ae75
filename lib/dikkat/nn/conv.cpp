#include <dikkat/nn/conv.hpp>

#include <cmath>

#include <dikkat/ops/conv.hpp>

namespace dikkat::nn {

Conv2d::Conv2d(std::size_t in, std::size_t out, std::size_t kernel, Rng& rng, std::size_t stride,
               std::size_t padding, bool with_bias)
    : in_(in), out_(out), kernel_(kernel), stride_(stride), padding_(padding) {
    if (in == 0 || out == 0 || kernel == 0 || stride == 0)
        throw ValueError("Conv2d: in, out, kernel and stride must be positive, got " + describe());
    const float k = 1.0f / std::sqrt(static_cast<float>(in * kernel * kernel));
    weight =
        register_parameter("weight", rng.uniform_array({out, in, kernel, kernel}, -k, k));  // (O, C, K, K)
    if (with_bias) bias = register_parameter("bias", rng.uniform_array({out}, -k, k));      // (O)
}

std::string Conv2d::describe() const {
    return "Conv2d(" + std::to_string(in_) + ", " + std::to_string(out_) +
           ", kernel=" + std::to_string(kernel_) + ", stride=" + std::to_string(stride_) +
           ", padding=" + std::to_string(padding_) + (bias.defined() ? ")" : ", bias=false)");
}

Tensor Conv2d::forward(const Tensor& x) const { return conv2d(x, weight, bias, stride_, padding_); }

}  // namespace dikkat::nn
