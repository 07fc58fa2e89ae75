// An output layer tied to an embedding: a score for every token, made with the embedding's
// own matrix.
//
//     logits = h W^T + b       h (..., D)   W (V, D), the Embedding's weight   b (V)   logits (..., V)
//
// Weight tying (Press & Wolf, 2017; GPT-2 and BERT do it): the vector that reads token v in is
// the one that scores it on the way out, which saves V*D parameters and lets every use of a
// token train its one vector. The layer holds the same tensor as the embedding — the same Node,
// no copy — so the gradients of both uses add up in one matrix, and a model holding both
// lists, counts, steps and saves it once (under the name of whichever is registered first).
// The product is matmul(h, W, /*transpose_b=*/true): GEMM reads W transposed, so no
// transposed copy is made either.
//
//     nn::Embedding embed(V, D, rng);
//     nn::TiedLinear head(embed, /*with_bias=*/true);   // "weight" is embed.weight
//     Tensor logits = head(h);                           // (B, T, D) -> (B, T, V)
//
// PyTorch: `lm_head.weight = embedding.weight` (its nn.Linear already stores (out, in) = (V, D)).
// The bias starts at 0.
#pragma once

#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/module.hpp>

namespace dikkat::nn {

class TiedLinear : public Module {
  public:
    /// Parameters: `weight`, the embedding's (V, D) tensor itself, and, if `with_bias`,
    /// `bias` (V). The layer keeps its own handle to the tensor, not a reference to the
    /// embedding.
    TiedLinear(const Embedding& embedding, bool with_bias);

    /// h (..., D) with at least 2 axes -> (..., V).
    Tensor forward(const Tensor& h) const;
    Tensor operator()(const Tensor& h) const { return forward(h); }

    std::string describe() const override;

    Tensor weight;  ///< (V, D), the same tensor as the embedding's weight
    Tensor bias;    ///< (V); undefined when built with bias = false

  private:
    std::size_t V_, D_;
};

}  // namespace dikkat::nn
