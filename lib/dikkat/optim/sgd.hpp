// Stochastic gradient descent, with momentum and weight decay, exactly as PyTorch's optim.SGD:
//
//     g   = grad + wd * p                   (weight decay as an L2 term in the gradient)
//     buf = g                               on a parameter's first step,
//     buf = mu * buf + (1 - dampening) * g  after that            (only when mu > 0)
//     g   = g + mu * buf  if nesterov,  else  g = buf
//     p   = p - lr * g
//
// Momentum keeps a running direction: a parameter keeps moving where it has been going, which
// smooths out noisy mini-batch gradients.
#pragma once

#include <dikkat/optim/optimizer.hpp>

namespace dikkat::optim {

struct SGDOptions {
    float lr = 1e-2f;
    float momentum = 0.0f;
    float dampening = 0.0f;
    float weight_decay = 0.0f;
    bool nesterov = false;
};

class SGD : public Optimizer {
  public:
    SGD(std::vector<ParamGroup> groups, SGDOptions options = {});
    SGD(const nn::Module& model, SGDOptions options = {});
    std::string type() const override { return "SGD"; }

  protected:
    void update(Tensor& p, const Group& g, ParamState& state) override;
    std::map<std::string, std::string> hyper() const override;

  private:
    SGDOptions options_;
};

}  // namespace dikkat::optim
