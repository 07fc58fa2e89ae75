// A fully connected layer: every output is a weighted sum of every input, plus a bias.
//
//     y = x W + b          x (..., in)   W (in, out)   b (out)   y (..., out)
//
// The math is the function nn::linear(x, W, b) (PyTorch's F.linear); the module nn::Linear
// owns W and b as parameters and calls it.
//
// Storage: W is kept as (in, out), so forward is one matmul with no transpose. PyTorch's
// nn.Linear stores the transpose, (out, in), and computes x W^T + b. A checkpoint therefore
// holds `weight` as (in, out); to load it into PyTorch, transpose it (`w.T`), and the
// reverse when importing PyTorch weights.
//
// Initialisation, as PyTorch's nn.Linear: W and b are drawn from U(-k, k) with
// k = 1/sqrt(in), so the output's variance does not grow with the number of inputs.
#pragma once

#include <dikkat/nn/module.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

/// y = x W + b for x (..., in), W (in, out) and b (out), or no bias when b is undefined; a single
/// vector x (in) gives (out). Two ops, matmul and a broadcast add, so its backward is theirs.
/// PyTorch: F.linear(x, W.T, b) — the same map with W stored transposed (see above).
/// Throws ShapeError naming the shapes when x's last axis is not W's first, or b is not (out).
Tensor linear(const Tensor& x, const Tensor& W, const Tensor& b = Tensor());

/// The layer: W and b as registered parameters, initialised as PyTorch does; forward is linear().
class Linear : public Module {
  public:
    /// Parameters: `weight` (in, out) and, if `with_bias`, `bias` (out).
    Linear(std::size_t in, std::size_t out, Rng& rng, bool with_bias = true);

    /// x (..., in) -> (..., out) = linear(x, weight, bias). A single vector (in) gives (out).
    Tensor forward(const Tensor& x) const;
    /// relu(forward(x)) as one node (see affine): what a feed-forward layer's first half is.
    Tensor forward_relu(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::string describe() const override;
    std::size_t in_features() const { return in_; }
    std::size_t out_features() const { return out_; }

    Tensor weight;  ///< (in, out)
    Tensor bias;    ///< (out); undefined when built with bias = false

  private:
    void check_input(const Tensor& x) const;  ///< ShapeError unless x is (..., in)
    std::size_t in_, out_;
};

}  // namespace dikkat::nn
