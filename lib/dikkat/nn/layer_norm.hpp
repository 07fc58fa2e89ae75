// Layer normalisation: each vector (the last axis) is shifted to mean 0 and scaled to
// variance 1, then given a learned scale and shift:
//
//     y = weight * (x - mean) / sqrt(var + eps) + bias       x, y (..., D)   weight, bias (D)
//
// (weight is the γ and bias the β of the paper; the names are PyTorch's, so checkpoints line
// up with its state_dict.) The variance is the biased one (divided by D), as in PyTorch.
//
// Initialisation, as PyTorch's nn.LayerNorm: weight = 1, bias = 0, eps = 1e-5 — at the start
// the layer only normalises.
#pragma once

#include <dikkat/nn/module.hpp>

namespace dikkat::nn {

class LayerNorm : public Module {
  public:
    /// Parameters: `weight` (D) and `bias` (D).
    explicit LayerNorm(std::size_t dim, float eps = 1e-5f);

    /// x (..., D) -> (..., D).
    Tensor forward(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::string describe() const override;

    Tensor weight;  ///< γ, (D)
    Tensor bias;    ///< β, (D)

  private:
    std::size_t dim_;
    float eps_;
};

}  // namespace dikkat::nn
