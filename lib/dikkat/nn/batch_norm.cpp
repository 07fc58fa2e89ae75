#include <dikkat/nn/batch_norm.hpp>

#include <sstream>

#include <dikkat/ops/conv.hpp>

namespace dikkat::nn {

BatchNorm2d::BatchNorm2d(std::size_t channels, float momentum, float eps)
    : channels_(channels), momentum_(momentum), eps_(eps) {
    if (channels == 0) throw ValueError("BatchNorm2d: the number of channels must be positive");
    if (!(momentum >= 0.0f && momentum <= 1.0f)) throw ValueError("BatchNorm2d: momentum must be in [0, 1]");
    if (!(eps > 0.0f)) throw ValueError("BatchNorm2d: eps must be positive");
    weight = register_parameter("weight", xt::ones<float>(Shape{channels}));  // γ (C)
    bias = register_parameter("bias", xt::zeros<float>(Shape{channels}));     // β (C)
    running_mean = register_buffer("running_mean", xt::zeros<float>(Shape{channels}));
    running_var = register_buffer("running_var", xt::ones<float>(Shape{channels}));
}

std::string BatchNorm2d::describe() const {
    std::ostringstream s;
    s << "BatchNorm2d(" << channels_ << ", momentum=" << momentum_ << ", eps=" << eps_ << ")";
    return s.str();
}

Tensor BatchNorm2d::forward(const Tensor& x) const {
    Tensor mean = running_mean, var = running_var;  // handles: the op updates the buffers in place
    return batch_norm(x, weight, bias, mean.mutable_value(), var.mutable_value(), training(), momentum_,
                      eps_);
}

}  // namespace dikkat::nn
