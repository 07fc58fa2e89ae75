#include <dikkat/nn/sample.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <dikkat/error.hpp>
#include <dikkat/ops/topk.hpp>

namespace dikkat::nn {

Index sample_token(const Array& logits, float temperature, Rng& rng, std::size_t top_k) {
    if (logits.dimension() != 1)
        throw ShapeError("sample_token: needs one row of scores (V), got " + shape_str(logits.shape()) +
                         "; select or reshape the row first");
    const std::size_t V = logits.size();
    if (V == 0) throw ValueError("sample_token: no scores to sample from");
    if (temperature < 0.0f)
        throw ValueError("sample_token: temperature must be >= 0, got " + std::to_string(temperature));
    const Index best = argmax(logits)();
    const float top = logits(static_cast<std::size_t>(best));
    if (top == -std::numeric_limits<float>::infinity())
        throw ValueError("sample_token: every score is -inf: every token is hidden, none can be drawn");
    if (!std::isfinite(top))
        throw ValueError("sample_token: the largest score, at position " + std::to_string(best) + ", is " +
                         std::to_string(top) + ": scores must not hold NaN or +inf (-inf hides a token)");
    if (temperature == 0.0f) return best;
    float floor = -std::numeric_limits<float>::infinity();  // scores below it are never drawn
    if (top_k > 0 && top_k < V) {
        std::vector<float> sorted(logits.begin(), logits.end());
        std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(top_k - 1),
                         sorted.end(), std::greater<float>());
        floor = sorted[top_k - 1];  // the k-th highest score
    }
    std::vector<double> weights(V, 0.0);
    for (std::size_t i = 0; i < V; ++i)  // shifted by the max: exp never overflows
        if (logits(i) >= floor)
            weights[i] = std::exp(static_cast<double>(logits(i) - top) / static_cast<double>(temperature));
    return static_cast<Index>(rng.categorical(weights));
}

}  // namespace dikkat::nn
