// A residual block (He et al., 2015, "Deep Residual Learning"), the unit ResNets are built of:
//
//     y = relu( bn2(conv2( relu(bn1(conv1(x))) )) + shortcut(x) )
//
// conv1 and conv2 are 3×3 convolutions without bias (each followed by a BatchNorm2d).
// The block learns a *change* to its input rather than a whole new picture, and the gradient
// reaches x through the shortcut undiminished — why hundreds of such blocks still train.
// When the block halves the image (stride 2) or changes the number of channels, the shortcut
// is a 1×1 convolution with the same stride, then a BatchNorm2d (torchvision's "downsample");
// otherwise it is x itself.
#pragma once

#include <memory>

#include <dikkat/nn/batch_norm.hpp>
#include <dikkat/nn/conv.hpp>

namespace dikkat::nn {

class ResidualBlock : public Module {
  public:
    /// Children conv1, bn1, conv2, bn2, and — when stride > 1 or in != out — shortcut_conv,
    /// shortcut_bn.
    ResidualBlock(std::size_t in, std::size_t out, Rng& rng, std::size_t stride = 1);

    /// x (N, in, H, W) -> (N, out, H / stride, W / stride) (rounded up).
    Tensor forward(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::string describe() const override;

    Conv2d conv1;
    BatchNorm2d bn1;
    Conv2d conv2;
    BatchNorm2d bn2;
    std::shared_ptr<Conv2d> shortcut_conv;  ///< null when the shortcut is x itself
    std::shared_ptr<BatchNorm2d> shortcut_bn;

  private:
    std::size_t in_, out_, stride_;
};

}  // namespace dikkat::nn
