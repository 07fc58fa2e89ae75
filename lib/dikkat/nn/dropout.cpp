#include <dikkat/nn/dropout.hpp>

#include <sstream>

#include <dikkat/ops/nn_ops.hpp>

namespace dikkat::nn {

namespace {
float checked_p(float p) {
    if (!(p >= 0.0f && p < 1.0f)) {
        std::ostringstream s;
        s << "Dropout: p must be in [0, 1), got " << p;
        throw ValueError(s.str());
    }
    return p;
}
}  // namespace

Dropout::Dropout(float p, Rng& rng) : p_(checked_p(p)), rng_(rng.next_u32()) { register_rng("rng", rng_); }
Dropout::Dropout(float p, std::uint64_t seed) : p_(checked_p(p)), rng_(seed) { register_rng("rng", rng_); }

std::string Dropout::describe() const {
    std::ostringstream s;
    s << "Dropout(p=" << p_ << ")";
    return s.str();
}

Tensor Dropout::forward(const Tensor& x) const { return dropout(x, p_, rng_, training()); }

}  // namespace dikkat::nn
