#include <dikkat/nn/sequential.hpp>

namespace dikkat::nn {

Sequential& Sequential::add(Fn fn, std::string label) {
    if (!fn) throw ValueError("Sequential::add: empty function");
    steps_.push_back(std::move(fn));
    kinds_.push_back(std::move(label));
    return *this;
}

Tensor Sequential::forward(const Tensor& x) const {
    Tensor h = x;
    for (const Fn& step : steps_) h = step(h);
    return h;
}

std::string Sequential::describe() const {
    std::string s = "Sequential(";
    for (std::size_t i = 0; i < kinds_.size(); ++i) s += (i ? ", " : "") + kinds_[i];
    return s + ")";
}

}  // namespace dikkat::nn
