// Gradient clipping by global norm, as PyTorch's clip_grad_norm_:
//
//     total = sqrt(sum over all parameters of |grad|^2)
//     if total > max_norm:  every grad *= max_norm / (total + 1e-6)
//
// One rare huge gradient (an RNN's exploding gradient) then cannot throw the weights far away;
// the direction of the step is kept, only its length is capped.
#pragma once

#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat::optim {

/// Scales the gradients of `params` (those that have one) so their joint L2 norm is at most
/// `max_norm`. Returns the norm before clipping — worth logging: a growing norm is a warning.
float clip_grad_norm(const std::vector<Tensor>& params, float max_norm);

}  // namespace dikkat::optim
