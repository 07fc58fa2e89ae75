// Layer 7 — optimizers: turning gradients into parameter updates.
//
// An optimizer holds parameter groups. Each group has its own learning rate and weight decay,
// which is how discriminative fine-tuning works (ULMFiT: lower layers learn more slowly):
//
//     optim::Adam opt({optim::group(model, "body", /*lr=*/1e-4f),
//                      optim::group(model, "head", /*lr=*/1e-3f)});
//
// Every step, for every parameter that requires a gradient and has one, it applies its rule.
// Frozen parameters (requires_grad = false) and parameters that got no gradient are skipped —
// so a parameter frozen now and unfrozen later simply starts moving then.
//
// Parameters carry names (from Module::named_parameters()), and the per-parameter state
// (momentum buffers, Adam's moments, step counts) is keyed by them: state_dict() and
// load_state_dict() move it in and out, io::save_optimizer writes it to a file.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <dikkat/autograd.hpp>
#include <dikkat/nn/module.hpp>

namespace dikkat::optim {

/// Parameters that share a learning rate and weight decay. Unset values take the
/// optimizer's defaults.
struct ParamGroup {
    std::vector<std::pair<std::string, Tensor>> params;
    std::optional<float> lr;
    std::optional<float> weight_decay;
};

/// The parameters of `model` under `prefix` ("" = all, "encoder" = "encoder" and
/// "encoder.*") as a group. Throws ValueError if none match.
ParamGroup group(const nn::Module& model, const std::string& prefix = "",
                 std::optional<float> lr = std::nullopt, std::optional<float> weight_decay = std::nullopt);

/// An optimizer's state as named arrays plus string fields, ready for a safetensors file.
struct OptimizerState {
    std::vector<std::pair<std::string, Array>> tensors;  ///< "state.<param>.<buffer>"
    std::map<std::string, std::string> metadata;         ///< type, steps, learning rates
};

/// A float as text that reads back as the same float ("0.899999976" for 0.9f).
std::string float_str(float v);

class Optimizer {
  public:
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    /// One update of every trainable parameter that has a gradient.
    void step();
    /// Clears the gradients of all parameters in all groups.
    void zero_grad();

    std::size_t num_groups() const { return groups_.size(); }
    /// The learning rate of a group now (after any schedule factor).
    float lr(std::size_t group = 0) const;
    /// Sets a group's base learning rate (and its current one, with the schedule factor applied).
    void set_lr(std::size_t group, float lr);
    /// Sets every group's learning rate to base_lr * factor — what a schedule does each step:
    /// `opt.set_lr_factor(schedule.factor(step))`.
    void set_lr_factor(float factor);
    float weight_decay(std::size_t group = 0) const { return groups_.at(group).weight_decay; }
    /// Number of step() calls so far.
    std::size_t steps() const { return steps_; }

    /// Everything needed to continue training exactly where it stopped.
    OptimizerState state_dict() const;
    /// Restores state_dict(). Throws ValueError for another optimizer type, a different number
    /// of groups, a buffer for a parameter this optimizer does not have, or a wrong shape.
    void load_state_dict(const OptimizerState& state);

    /// "Adam", "AdamW", "SGD".
    virtual std::string type() const = 0;

  protected:
    struct Group {
        std::vector<std::pair<std::string, Tensor>> params;
        float base_lr, lr, weight_decay;
    };
    /// Per-parameter state: named buffers (each the parameter's shape) and a step count.
    struct ParamState {
        std::map<std::string, Array> buffers;
        std::size_t step = 0;
    };

    Optimizer(std::vector<ParamGroup> groups, float default_lr, float default_weight_decay);

    /// The rule: update `p` (its value) from its gradient, using and changing `state`.
    virtual void update(Tensor& p, const Group& g, ParamState& state) = 0;
    /// Scalar hyper-parameters saved with the state, for the reader of the file (betas, momentum;
    /// loading restores step counts and learning rates, not these: they come from the constructor).
    virtual std::map<std::string, std::string> hyper() const { return {}; }

    std::vector<Group> groups_;
    std::map<std::string, ParamState> state_;  ///< keyed by parameter name
    std::size_t steps_ = 0;
    float factor_ = 1.0f;
};

}  // namespace dikkat::optim
