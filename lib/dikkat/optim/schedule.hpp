// Learning-rate schedules. A schedule is a factor that multiplies each group's base learning
// rate, a function of the step number (0 for the first step):
//
//     for (std::size_t step = 0; step < total; ++step) {
//         opt.set_lr_factor(schedule.factor(step));
//         ... forward, backward, opt.step() ...
//     }
//
// As factors they work unchanged with per-group learning rates (discriminative fine-tuning).
#pragma once

#include <cstddef>
#include <string>

namespace dikkat::optim {

class Schedule {
  public:
    virtual ~Schedule() = default;
    /// The multiplier for the base learning rate at `step` (0-based).
    virtual float factor(std::size_t step) const = 0;
    /// base_lr * factor(step).
    float lr_at(std::size_t step, float base_lr) const { return base_lr * factor(step); }
    virtual std::string describe() const = 0;
};

/// factor = 1 throughout.
class Constant : public Schedule {
  public:
    float factor(std::size_t) const override { return 1.0f; }
    std::string describe() const override { return "constant"; }
};

/// Linear warm-up, then a half cosine down to `min_factor`:
///
///     step < warmup:          (step + 1) / warmup
///     warmup <= step < total: min + (1 - min) * (1 + cos(pi * (step - warmup) / (total - warmup))) / 2
///     step >= total:          min
///
/// Warm-up keeps Adam's first, badly estimated steps small; the cosine lets training settle.
class WarmupCosine : public Schedule {
  public:
    WarmupCosine(std::size_t warmup, std::size_t total, float min_factor = 0.0f);
    float factor(std::size_t step) const override;
    std::string describe() const override;

  private:
    std::size_t warmup_, total_;
    float min_;
};

/// Linear warm-up, then decay with the inverse square root of the step ("Attention is all you
/// need", normalised to peak at 1):
///
///     factor = min((step + 1) / warmup, sqrt(warmup / (step + 1)))
class InverseSqrt : public Schedule {
  public:
    explicit InverseSqrt(std::size_t warmup);
    float factor(std::size_t step) const override;
    std::string describe() const override;

  private:
    std::size_t warmup_;
};

/// ULMFiT's slanted triangular learning rate (Howard & Ruder, 2018): a short linear rise over
/// the first `cut_frac` of training, then a long linear fall, from 1/ratio of the peak to the
/// peak and back:
///
///     cut = floor(total · cut_frac)
///     p   = t / cut                                 for t < cut   (rising)
///         = 1 - (t - cut) / (total - cut)           after         (falling)
///     factor = (1 + p (ratio - 1)) / ratio
///
/// The quick rise lets fine-tuning find a good region at once; the slow fall refines it. Throws
/// ValueError for total 0, cut_frac outside (0, 1) or ratio below 1.
class SlantedTriangular : public Schedule {
  public:
    explicit SlantedTriangular(std::size_t total, float cut_frac = 0.1f, float ratio = 32.0f);
    float factor(std::size_t step) const override;
    std::string describe() const override;

  private:
    std::size_t total_, cut_;
    float ratio_;
};

}  // namespace dikkat::optim
