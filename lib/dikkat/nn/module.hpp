// Layer 6 — modules: named parameters, composed into models.
//
// A `Module` owns parameters (leaf tensors with requires_grad = true) and child modules,
// each registered under a short name in its constructor:
//
//     struct Block : nn::Module {
//         nn::Linear q, k;                                  // children are members
//         Block(Rng& rng) : q(64, 64, rng), k(64, 64, rng) {
//             register_module("q", q);
//             register_module("k", k);
//         }
//     };
//
// Names are joined with dots as the tree is walked — `encoder.layers.0.attn.q.weight` — in
// registration order, the same names PyTorch's `state_dict()` uses. Checkpoints, optimizer
// state, freeze("encoder") and summary() all go by these names.
//
// Each parameter tensor also carries its dotted name (Tensor::name, shown by anomaly messages
// and the DOT export). It is written when registering: every register_parameter/register_module
// call names the tensors of the whole model, from its outermost module, as named_parameters()
// lists them — also a layer added to a Sequential that is already part of a model. A tensor
// reachable twice (a shared layer, a tied weight) keeps the first name, as named_parameters()
// lists it; a tensor shared by two separate models carries its name in the one built last.
// Reading the names — named_parameters() and everything built on it — never changes them.
//
// Buffers are a module's state that is not learned: BatchNorm2d's running mean and variance.
// They are saved and loaded with the parameters (named_buffers(), the same dotted names as
// PyTorch's state_dict) but are not parameters: no gradient, never stepped by an optimizer,
// untouched by freeze(). A layer updates its buffers itself, in training mode only — which
// is why a frozen body must also be put in evaluation mode (body.eval()), or its running
// statistics keep drifting with every batch the new head sees.
//
// A layer that draws random numbers in forward() — Dropout's masks — keeps its own generator
// and registers it too (register_rng): named_rngs() lists them, so that a run stopped in the
// middle of training can save where each one is and continue with the same masks
// (io/resume.hpp). Checkpoints do not hold them: a trained model does not need them.
//
// Why a module can be neither copied nor moved: children are registered by address. A moved
// or copied module would still point at the old object's members. Deleting both turns that
// silent dangling into a compile error; keep modules where they are built (members, or
// `std::make_shared`/`std::unique_ptr` for a variable number of them — see register_module).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat {
class Rng;
}  // namespace dikkat

namespace dikkat::nn {

class Module {
  public:
    Module() = default;
    virtual ~Module();
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    Module(Module&&) = delete;
    Module& operator=(Module&&) = delete;

    /// Every parameter of this module and its children, depth first in registration order
    /// (a module's own parameters before its children's), with dotted names
    /// ("encoder.layers.0.weight"). A tensor reachable twice (a shared layer, a tied weight)
    /// is listed once, under its first name. It does not change the tensors' names.
    std::vector<std::pair<std::string, Tensor>> named_parameters() const;
    /// The same tensors without names (handles: changing them changes the module).
    std::vector<Tensor> parameters() const;
    /// Every buffer of this module and its children, in the same order and naming as
    /// named_parameters() ("layer1.bn1.running_mean").
    std::vector<std::pair<std::string, Tensor>> named_buffers() const;
    /// The random generator of every layer that draws in forward() (Dropout), in the same order
    /// and naming as named_buffers() ("encoder.layers.0.drop.rng").
    std::vector<std::pair<std::string, Rng*>> named_rngs() const;
    /// This module ("" ) and every descendant, with dotted names ("encoder", "encoder.layers.0").
    std::vector<std::pair<std::string, const Module*>> named_modules() const;

    /// Number of scalars in all parameters; only the trainable ones if `trainable_only`.
    std::size_t num_parameters(bool trainable_only = false) const;

    /// Training mode (dropout active) or evaluation mode; applies to every descendant.
    void train(bool on = true);
    void eval() { train(false); }
    bool training() const { return training_; }

    /// Stops training the parameters whose name is `prefix` or starts with `prefix + "."`
    /// ("encoder" freezes "encoder.weight" and "encoder.layers.0.bias", not "encoder2.weight";
    /// "" means all). Frozen parameters get no gradient and optimizers skip them.
    /// Throws ValueError when the prefix matches no parameter, listing the top-level names.
    /// Returns how many parameters changed.
    std::size_t freeze(const std::string& prefix = "");
    /// The reverse of freeze().
    std::size_t unfreeze(const std::string& prefix = "");

    /// Clears the gradient of every parameter (call before each backward(); they accumulate).
    void zero_grad();

    /// A table of every parameter — name, shape, count, trainable — with totals:
    ///
    ///     name              shape      params  trainable
    ///     fc1.weight        (4, 8)         32  yes
    ///     ...
    ///     total 58 parameters, 58 trainable, 0 frozen
    std::string summary() const;

    /// The module's kind, for messages ("Linear(3, 2)").
    virtual std::string describe() const { return "Module"; }

  protected:
    /// Adds a parameter named `name` (no dots; unique within this module) holding `value`,
    /// and returns its handle. Keep the handle as a member and read it in forward();
    /// to change a parameter's numbers write to `mutable_value()` — do not assign a new
    /// Tensor to the member, which would leave the registered one behind.
    Tensor register_parameter(const std::string& name, Array value, bool requires_grad = true);
    /// Adds an existing leaf tensor as a parameter named `name`, without copying it: the
    /// module holds the same tensor as its owner (weight tying, see nn::TiedLinear). A model
    /// holding both lists, counts, steps and saves it once. Throws ValueError for an empty
    /// tensor or the result of an op.
    Tensor register_parameter(const std::string& name, const Tensor& shared);
    /// Adds a buffer named `name` (state that is saved but not learned, see the header
    /// comment) holding `value`, and returns its handle (requires_grad = false). Update it
    /// in place through `mutable_value()`.
    Tensor register_buffer(const std::string& name, Array value);
    /// Adds the random generator that this layer's forward() draws from (a member of it, which
    /// must live as long as the module): see named_rngs().
    void register_rng(const std::string& name, Rng& rng);
    /// Adds a child that lives inside this module (a member). Returns it.
    template <class M>
    M& register_module(const std::string& name, M& child) {
        add_child(name, &child);
        return child;
    }
    /// Adds a child owned by this module (for a number of layers decided at run time).
    template <class M>
    M& register_module(const std::string& name, std::shared_ptr<M> child) {
        if (!child) throw ValueError("register_module: child '" + name + "' is null");
        M* raw = child.get();
        add_child(name, raw);
        owned_.push_back(std::move(child));
        return *raw;
    }

  private:
    void add_child(const std::string& name, Module* child);
    void check_new_name(const std::string& name) const;
    /// Writes each tensor's dotted name in this tree into it (see the header comment).
    void name_tensors();
    void collect(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const;
    void collect_buffers(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const;
    void collect_rngs(const std::string& prefix, std::vector<std::pair<std::string, Rng*>>& out) const;
    std::size_t set_trainable(const std::string& prefix, bool on, const char* verb);

    std::vector<std::pair<std::string, Tensor>> params_;
    std::vector<std::pair<std::string, Tensor>> buffers_;
    std::vector<std::pair<std::string, Rng*>> rngs_;
    std::vector<std::pair<std::string, Module*>> children_;
    std::vector<std::shared_ptr<Module>> owned_;
    Module* parent_ = nullptr;  ///< the module this one was first registered in (for tensor names)
    bool training_ = true;
};

/// A copy of every parameter's and buffer's values (named_parameters() order, then
/// named_buffers()): what unchanged_since() compares with later. How a lesson proves that a
/// frozen body really stayed frozen.
std::vector<Array> snapshot(const Module& m);
/// Writes `values` (from snapshot() of a module of the same shape: a copy of a model) into `m`'s
/// parameters and buffers. Throws ShapeError when the count or a shape differs.
void load_snapshot(Module& m, const std::vector<Array>& values);
/// True when every parameter and buffer of `m` holds, bit for bit, the values of `before`
/// (from snapshot(m)).
bool unchanged_since(const Module& m, const std::vector<Array>& before);

/// True if `name` is `prefix` itself or lies under it ("a.b" is under "a", not under "a.b2").
bool name_under(const std::string& name, const std::string& prefix);

}  // namespace dikkat::nn
