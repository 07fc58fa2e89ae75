#include <dikkat/nn/layer_norm.hpp>

#include <sstream>

#include <dikkat/ops/nn_ops.hpp>

namespace dikkat::nn {

LayerNorm::LayerNorm(std::size_t dim, float eps) : dim_(dim), eps_(eps) {
    if (dim == 0) throw ValueError("LayerNorm: the normalised size must be positive");
    if (!(eps > 0.0f)) throw ValueError("LayerNorm: eps must be positive");
    weight = register_parameter("weight", xt::ones<float>(Shape{dim}));  // γ (D)
    bias = register_parameter("bias", xt::zeros<float>(Shape{dim}));     // β (D)
}

std::string LayerNorm::describe() const {
    std::ostringstream s;
    s << "LayerNorm(" << dim_ << ", eps=" << eps_ << ")";
    return s.str();
}

Tensor LayerNorm::forward(const Tensor& x) const {
    if (x.dim() == 0 || x.shape().back() != dim_)
        throw ShapeError(describe() + ": input " + shape_str(x.shape()) + " must end in " +
                         std::to_string(dim_));
    return layer_norm(x, weight, bias, eps_);
}

}  // namespace dikkat::nn
