// A training step that went wrong, caught before it does harm. When the loss or the gradients
// hold NaN or Inf, the training has diverged: the optimizer's next step would write NaN into
// every weight, and everything after it — the evaluation, the checkpoint — would be garbage.
#pragma once

#include <cstddef>
#include <functional>

namespace dikkat::optim {

/// Throws ValueError if `loss` or `grad_norm` (what clip_grad_norm returns) is NaN or infinite,
/// naming the step and the value, and what to try (a lower learning rate, gradient clipping).
/// Call it after backward() and before the optimizer's step: the weights then stay those of the
/// last good step, and the lesson stops before it saves anything.
///
/// With `rerun` — a function that runs the same step's forward and backward again — it also names
/// the first operation that produced NaN or Inf: the step runs again with anomaly mode on
/// (DetectAnomaly), which checks every op's output and every gradient.
void check_finite_step(std::size_t step, double loss, double grad_norm,
                       const std::function<void()>& rerun = nullptr);

}  // namespace dikkat::optim
