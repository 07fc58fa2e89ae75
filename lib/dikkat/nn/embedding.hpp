// A lookup table: token id -> a learned vector of D numbers.
//
//     y[s] = W[ids[s]]          W (V, D)   ids (any shape S)   y (S..., D)
//
// The same thing as multiplying a one-hot vector by W, without building the one-hot.
// Backward scatter-adds: a row of W receives the gradient of every position that read it.
//
// The same matrix can score tokens on the way out, too: see TiedLinear (weight tying).
//
// Initialisation, as PyTorch's nn.Embedding: W ~ N(0, 1).
#pragma once

#include <dikkat/nn/module.hpp>
#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

class Embedding : public Module {
  public:
    /// Parameter: `weight` (num_embeddings, dim).
    Embedding(std::size_t num_embeddings, std::size_t dim, Rng& rng);

    /// ids (S...) with values in [0, V) -> (S..., D). Throws ValueError naming a bad id.
    Tensor forward(const IndexArray& ids) const;
    Tensor operator()(const IndexArray& ids) const { return forward(ids); }

    std::string describe() const override;
    std::size_t num_embeddings() const { return num_; }
    std::size_t dim() const { return dim_; }

    Tensor weight;  ///< (V, D)

  private:
    std::size_t num_, dim_;
};

}  // namespace dikkat::nn
