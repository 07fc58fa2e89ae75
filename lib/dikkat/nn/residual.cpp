#include <dikkat/nn/residual.hpp>

#include <dikkat/ops/elementwise.hpp>

namespace dikkat::nn {

ResidualBlock::ResidualBlock(std::size_t in, std::size_t out, Rng& rng, std::size_t stride)
    : conv1(in, out, /*kernel=*/3, rng, stride, /*padding=*/1, /*with_bias=*/false),
      bn1(out),
      conv2(out, out, /*kernel=*/3, rng, /*stride=*/1, /*padding=*/1, /*with_bias=*/false),
      bn2(out),
      in_(in),
      out_(out),
      stride_(stride) {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
    register_module("conv2", conv2);
    register_module("bn2", bn2);
    if (stride != 1 || in != out) {
        shortcut_conv = std::make_shared<Conv2d>(in, out, /*kernel=*/1, rng, stride, /*padding=*/0, false);
        shortcut_bn = std::make_shared<BatchNorm2d>(out);
        register_module("shortcut_conv", shortcut_conv);
        register_module("shortcut_bn", shortcut_bn);
    }
}

std::string ResidualBlock::describe() const {
    return "ResidualBlock(" + std::to_string(in_) + ", " + std::to_string(out_) +
           ", stride=" + std::to_string(stride_) + ")";
}

// [residual_forward]
Tensor ResidualBlock::forward(const Tensor& x) const {
    Tensor h = relu(bn1(conv1(x)));                                               // (N, out, H/s, W/s)
    h = bn2(conv2(h));                                                            // (N, out, H/s, W/s)
    const Tensor skip = shortcut_conv ? (*shortcut_bn)((*shortcut_conv)(x)) : x;  // (N, out, H/s, W/s)
    return relu(h + skip);
}
// [residual_forward]

}  // namespace dikkat::nn
