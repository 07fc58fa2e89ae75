#include <dikkat/nn/sample.hpp>

#include <cmath>

#include <dikkat/error.hpp>

namespace dikkat::nn {

Index sample_token(const float* logits, std::size_t V, float temperature, Rng& rng) {
    if (V == 0) throw ValueError("sample_token: no scores to sample from");
    if (temperature < 0.0f)
        throw ValueError("sample_token: temperature must be >= 0, got " + std::to_string(temperature));
    std::size_t best = 0;
    for (std::size_t i = 1; i < V; ++i)
        if (logits[i] > logits[best]) best = i;
    if (temperature == 0.0f) return static_cast<Index>(best);
    std::vector<double> weights(V);
    for (std::size_t i = 0; i < V; ++i)  // shifted by the max: exp never overflows
        weights[i] =
            std::exp(static_cast<double>(logits[i] - logits[best]) / static_cast<double>(temperature));
    return static_cast<Index>(rng.categorical(weights));
}

}  // namespace dikkat::nn
