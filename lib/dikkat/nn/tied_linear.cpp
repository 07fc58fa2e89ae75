#include <dikkat/nn/tied_linear.hpp>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/matmul.hpp>

namespace dikkat::nn {

TiedLinear::TiedLinear(const Embedding& embedding, bool with_bias)
    : V_(embedding.num_embeddings()), D_(embedding.dim()) {
    weight = register_parameter("weight", embedding.weight);                               // (V, D), shared
    if (with_bias) bias = register_parameter("bias", Array(xt::zeros<float>(Shape{V_})));  // (V)
}

std::string TiedLinear::describe() const {
    return "TiedLinear(" + std::to_string(D_) + ", " + std::to_string(V_) +
           (bias.defined() ? ")" : ", bias=false)");
}

Tensor TiedLinear::forward(const Tensor& h) const {
    if (h.dim() < 2 || h.shape().back() != D_)
        throw ShapeError(describe() + ": input " + shape_str(h.shape()) + " must be (..., " +
                         std::to_string(D_) + ") with at least 2 axes (one vector: reshape it to (1, " +
                         std::to_string(D_) + "))");
    Tensor logits = matmul(h, weight, /*transpose_b=*/true);  // (..., D) @ (V, D)^T -> (..., V)
    return bias.defined() ? logits + bias : logits;           // + (V), broadcast over the leading axes
}

}  // namespace dikkat::nn
