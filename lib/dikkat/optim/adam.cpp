#include <dikkat/optim/adam.hpp>

#include <cmath>

namespace dikkat::optim {

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions options, bool decoupled)
    : Optimizer(std::move(groups), options.lr, options.weight_decay),
      options_(options),
      decoupled_(decoupled) {
    if (!(options.beta1 >= 0.0f && options.beta1 < 1.0f) || !(options.beta2 >= 0.0f && options.beta2 < 1.0f))
        throw ValueError(type() + ": betas must be in [0, 1)");
    if (!(options.eps >= 0.0f)) throw ValueError(type() + ": eps must be >= 0");
}

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions options) : Adam(std::move(groups), options, false) {}
Adam::Adam(const nn::Module& model, AdamOptions options)
    : Adam(std::vector<ParamGroup>{group(model)}, options, false) {}

AdamW::AdamW(std::vector<ParamGroup> groups, AdamWOptions options) : Adam(std::move(groups), options, true) {}
AdamW::AdamW(const nn::Module& model, AdamWOptions options)
    : Adam(std::vector<ParamGroup>{group(model)}, options, true) {}

void Adam::update(Tensor& p, const Group& g, ParamState& state) {
    Array& w = p.mutable_value();
    const float b1 = options_.beta1, b2 = options_.beta2;
    if (state.step == 0) {
        state.buffers["exp_avg"] = xt::zeros<float>(w.shape());
        state.buffers["exp_avg_sq"] = xt::zeros<float>(w.shape());
    }
    Array& m = state.buffers["exp_avg"];
    Array& v = state.buffers["exp_avg_sq"];
    const std::size_t t = ++state.step;

    // (noalias: every element depends only on the same element, so xtensor may update in
    // place instead of building a temporary array first.)
    const Array* grad = &p.grad();
    Array with_l2;  // Adam's weight decay adds wd * w to the gradient
    if (g.weight_decay != 0.0f) {
        if (decoupled_) {
            xt::noalias(w) *= 1.0f - g.lr * g.weight_decay;  // AdamW: shrink the weight itself
        } else {
            with_l2 = *grad + g.weight_decay * w;  // Adam: L2 term in the gradient
            grad = &with_l2;
        }
    }
    xt::noalias(m) = b1 * m + (1.0f - b1) * *grad;
    xt::noalias(v) = b2 * v + (1.0f - b2) * *grad * *grad;
    // Bias corrections in double, as PyTorch computes them (Python floats).
    const double bc1 = 1.0 - std::pow(static_cast<double>(b1), static_cast<double>(t));
    const double bc2 = 1.0 - std::pow(static_cast<double>(b2), static_cast<double>(t));
    const float step_size = static_cast<float>(static_cast<double>(g.lr) / bc1);
    const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
    xt::noalias(w) -= step_size * m / (xt::sqrt(v) / bc2_sqrt + options_.eps);
}

std::map<std::string, std::string> Adam::hyper() const {
    return {{"beta1", float_str(options_.beta1)},
            {"beta2", float_str(options_.beta2)},
            {"eps", float_str(options_.eps)}};
}

}  // namespace dikkat::optim
