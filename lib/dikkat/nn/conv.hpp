// A 2-D convolution layer: a small filter slides over the image, and at every position its
// weights are multiplied with the pixels under it and summed — one output channel per filter.
//
//     y[n, o] = b[o] + sum_c  W[o, c] ⋆ x[n, c]       x (N, C, H, W)   W (O, C, KH, KW)   y (N, O, Ho, Wo)
//
// The same few weights are used at every position: a filter that finds a vertical edge finds
// it anywhere in the image (weight sharing), and a 3×3 layer over 16 channels has 144 weights
// per filter whatever the image size. The math is the op conv2d() (ops/conv.hpp: im2col and
// one matrix product); this module owns W and b.
//
// Initialisation, as PyTorch's nn.Conv2d: W and b from U(-k, k), k = 1/sqrt(C·KH·KW) (the
// number of inputs each output sums, as in nn::Linear). The weight layout (O, C, KH, KW) is
// PyTorch's too, so a checkpoint loads there without a transpose.
#pragma once

#include <dikkat/nn/module.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

class Conv2d : public Module {
  public:
    /// Parameters: `weight` (out, in, kernel, kernel) and, if `with_bias`, `bias` (out).
    /// A convolution followed by BatchNorm2d needs no bias (the norm's shift replaces it).
    Conv2d(std::size_t in, std::size_t out, std::size_t kernel, Rng& rng, std::size_t stride = 1,
           std::size_t padding = 0, bool with_bias = true);

    /// x (N, in, H, W) -> (N, out, Ho, Wo), Ho = (H + 2·padding - kernel) / stride + 1.
    Tensor forward(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::string describe() const override;

    Tensor weight;  ///< (out, in, kernel, kernel)
    Tensor bias;    ///< (out); undefined when built with with_bias = false

  private:
    std::size_t in_, out_, kernel_, stride_, padding_;
};

}  // namespace dikkat::nn
