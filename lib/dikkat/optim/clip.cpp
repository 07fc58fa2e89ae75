#include <dikkat/optim/clip.hpp>

#include <cmath>

namespace dikkat::optim {

float clip_grad_norm(const std::vector<Tensor>& params, float max_norm) {
    if (!(max_norm > 0.0f)) throw ValueError("clip_grad_norm: max_norm must be positive");
    double squares = 0.0;  // summed in double: many small squares must not get lost
    for (const Tensor& p : params)
        if (p.has_grad())
            for (float g : p.grad()) squares += static_cast<double>(g) * static_cast<double>(g);
    const float total = static_cast<float>(std::sqrt(squares));
    if (total > max_norm) {
        const float scale = max_norm / (total + 1e-6f);
        for (Tensor p : params)
            if (p.has_grad()) xt::noalias(p.mutable_grad()) *= scale;
    }
    return total;
}

}  // namespace dikkat::optim
