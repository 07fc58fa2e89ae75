#include <dikkat/optim/guard.hpp>

#include <cmath>
#include <string>

#include <dikkat/autograd.hpp>
#include <dikkat/error.hpp>

namespace dikkat::optim {

void check_finite_step(std::size_t step, double loss, double grad_norm, const std::function<void()>& rerun) {
    if (std::isfinite(loss) && std::isfinite(grad_norm)) return;
    const std::string what = std::isfinite(loss) ? "the gradient norm is " + std::to_string(grad_norm)
                                                 : "the loss is " + std::to_string(loss);
    std::string culprit;
    if (rerun) {
        try {
            DetectAnomaly on;
            rerun();
            culprit =
                " (run again with anomaly mode on, no operation produced NaN or Inf: the gradients' "
                "norm overflowed, or the step depends on its random draws)";
        } catch (const Error& e) {
            culprit = ". Where it started: " + std::string(e.what());
        }
    }
    throw ValueError(
        "training diverged at step " + std::to_string(step) + ": " + what + culprit +
        ". Stopped before the optimizer's step, so nothing was saved with broken weights. Try a "
        "lower learning rate (--lr), clipping the gradients to a smaller norm, or a longer warm-up");
}

}  // namespace dikkat::optim
