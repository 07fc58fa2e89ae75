#include <dikkat/optim/schedule.hpp>

#include <algorithm>
#include <cmath>

#include <dikkat/error.hpp>

namespace dikkat::optim {

WarmupCosine::WarmupCosine(std::size_t warmup, std::size_t total, float min_factor)
    : warmup_(warmup), total_(total), min_(min_factor) {
    if (warmup > total)
        throw ValueError("WarmupCosine: warm-up (" + std::to_string(warmup) +
                         " steps) is longer than training (" + std::to_string(total) + ")");
    if (!(min_factor >= 0.0f && min_factor <= 1.0f))
        throw ValueError("WarmupCosine: min_factor must be in [0, 1]");
}

float WarmupCosine::factor(std::size_t step) const {
    if (step < warmup_) return static_cast<float>(step + 1) / static_cast<float>(warmup_);
    if (step >= total_) return min_;
    const double progress =
        static_cast<double>(step - warmup_) / static_cast<double>(total_ - warmup_);  // [0, 1)
    const double cosine = 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress));  // 1 -> 0
    return static_cast<float>(static_cast<double>(min_) + (1.0 - static_cast<double>(min_)) * cosine);
}

std::string WarmupCosine::describe() const {
    return "warm-up " + std::to_string(warmup_) + " steps, cosine to step " + std::to_string(total_);
}

InverseSqrt::InverseSqrt(std::size_t warmup) : warmup_(warmup) {
    if (warmup == 0) throw ValueError("InverseSqrt: warm-up must be at least 1 step");
}

float InverseSqrt::factor(std::size_t step) const {
    const double s = static_cast<double>(step + 1), w = static_cast<double>(warmup_);
    return static_cast<float>(std::min(s / w, std::sqrt(w / s)));
}

std::string InverseSqrt::describe() const {
    return "warm-up " + std::to_string(warmup_) + " steps, then 1/sqrt(step)";
}

SlantedTriangular::SlantedTriangular(std::size_t total, float cut_frac, float ratio)
    : total_(total), cut_(0), ratio_(ratio) {
    if (total == 0) throw ValueError("SlantedTriangular: training must last at least 1 step");
    if (!(cut_frac > 0.0f && cut_frac < 1.0f))
        throw ValueError("SlantedTriangular: cut_frac must be in (0, 1), got " + std::to_string(cut_frac));
    if (!(ratio >= 1.0f))
        throw ValueError("SlantedTriangular: ratio must be at least 1, got " + std::to_string(ratio));
    cut_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(double(total) * double(cut_frac))));
}

float SlantedTriangular::factor(std::size_t step) const {
    double p;  // 0 at the ends, 1 at the peak
    if (step < cut_)
        p = double(step) / double(cut_);
    else if (total_ > cut_ && step < total_)
        p = 1.0 - double(step - cut_) / double(total_ - cut_);
    else
        p = 0.0;  // past the end: back where it started
    return static_cast<float>((1.0 + p * (double(ratio_) - 1.0)) / double(ratio_));
}

std::string SlantedTriangular::describe() const {
    return "slanted triangular: up for " + std::to_string(cut_) + " steps, down to step " +
           std::to_string(total_) + ", 1/" + std::to_string(static_cast<int>(ratio_)) +
           " of the peak at the ends";
}

}  // namespace dikkat::optim
