#include <dikkat/nn/embedding.hpp>

namespace dikkat::nn {

Embedding::Embedding(std::size_t num_embeddings, std::size_t dim, Rng& rng)
    : num_(num_embeddings), dim_(dim) {
    if (num_embeddings == 0 || dim == 0)
        throw ValueError("Embedding: sizes must be positive, got " + std::to_string(num_embeddings) + " x " +
                         std::to_string(dim));
    weight = register_parameter("weight", rng.normal_array({num_embeddings, dim}));  // (V, D)
}

std::string Embedding::describe() const {
    return "Embedding(" + std::to_string(num_) + ", " + std::to_string(dim_) + ")";
}

Tensor Embedding::forward(const IndexArray& ids) const { return embedding(weight, ids); }

}  // namespace dikkat::nn
