// Batch normalisation for images: each channel is shifted to mean 0 and scaled to variance 1
// over the batch and every pixel, then given a learned scale and shift:
//
//     y = weight * (x - mean_c) / sqrt(var_c + eps) + bias        x, y (N, C, H, W)   weight, bias (C)
//
// Unlike LayerNorm, the statistics come from the *batch*, so the layer behaves differently in
// the two modes:
//   training   — the batch's mean and variance; and running averages of them are kept,
//                running = 0.9 · running + 0.1 · batch (momentum 0.1, as PyTorch);
//   evaluation — the running averages, which do not change: an image's output no longer
//                depends on the other images in its batch.
// The running averages are buffers (Module::register_buffer): saved in checkpoints, not
// learned, not frozen by freeze(). A frozen body must be in eval() mode too, or they drift.
//
// Initialisation, as PyTorch's nn.BatchNorm2d: weight 1, bias 0, running mean 0, running
// variance 1, eps 1e-5.
#pragma once

#include <dikkat/nn/module.hpp>

namespace dikkat::nn {

class BatchNorm2d : public Module {
  public:
    /// Parameters `weight`, `bias` (C); buffers `running_mean`, `running_var` (C).
    explicit BatchNorm2d(std::size_t channels, float momentum = 0.1f, float eps = 1e-5f);

    /// x (N, C, H, W) or (N, C) -> the same shape. Updates the running statistics in training mode.
    Tensor forward(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::string describe() const override;

    Tensor weight;        ///< γ, (C)
    Tensor bias;          ///< β, (C)
    Tensor running_mean;  ///< buffer, (C)
    Tensor running_var;   ///< buffer, (C)

  private:
    std::size_t channels_;
    float momentum_, eps_;
};

}  // namespace dikkat::nn
