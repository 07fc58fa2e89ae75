// Adam and AdamW, exactly as PyTorch's optim.Adam / optim.AdamW (without amsgrad).
//
// Adam keeps two running averages per parameter — of the gradient (m, the direction) and of
// its square (v, the scale) — and steps by m / sqrt(v): each parameter gets its own step size,
// large where gradients are small and steady, small where they are large or noisy.
// At step t (counting from 1, per parameter):
//
//     g  = grad (+ wd * p for Adam: L2 in the gradient)
//     m  = b1 * m + (1 - b1) * g
//     v  = b2 * v + (1 - b2) * g^2
//     p  = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
//
// m and v start at 0, so early on they are too small; dividing by 1 - b^t ("bias
// correction") undoes that. AdamW decouples the weight decay: instead of adding wd * p to the
// gradient (where Adam's scaling would shrink it for parameters with large gradients), it
// shrinks every weight directly, p = p * (1 - lr * wd), before the step above.
#pragma once

#include <dikkat/optim/optimizer.hpp>

namespace dikkat::optim {

struct AdamOptions {
    float lr = 1e-3f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-8f;
    float weight_decay = 0.0f;  ///< Adam: L2 in the gradient. AdamW: decoupled (default 1e-2).
};

class Adam : public Optimizer {
  public:
    Adam(std::vector<ParamGroup> groups, AdamOptions options = {});
    Adam(const nn::Module& model, AdamOptions options = {});
    std::string type() const override { return decoupled_ ? "AdamW" : "Adam"; }

  protected:
    Adam(std::vector<ParamGroup> groups, AdamOptions options, bool decoupled);
    void update(Tensor& p, const Group& g, ParamState& state) override;
    std::map<std::string, std::string> hyper() const override;

  private:
    AdamOptions options_;
    bool decoupled_;
};

/// AdamW's options: as Adam's, with PyTorch's default weight decay of 1e-2.
struct AdamWOptions : AdamOptions {
    AdamWOptions() { weight_decay = 1e-2f; }
};

class AdamW : public Adam {
  public:
    AdamW(std::vector<ParamGroup> groups, AdamWOptions options = {});
    AdamW(const nn::Module& model, AdamWOptions options = {});
};

}  // namespace dikkat::optim
