#include <dikkat/nn/module.hpp>

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <set>
#include <sstream>

namespace dikkat::nn {

bool name_under(const std::string& name, const std::string& prefix) {
    if (prefix.empty()) return true;
    if (name.size() < prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return false;
    return name.size() == prefix.size() || name[prefix.size()] == '.';
}

Module::~Module() {
    // A child this module co-owns may outlive it (another shared_ptr holds it): it must not
    // point back here. (Children that are members are gone already.)
    for (auto& child : owned_)
        if (child->parent_ == this) child->parent_ = nullptr;
}

void Module::check_new_name(const std::string& name) const {
    if (name.empty() || name.find('.') != std::string::npos)
        throw ValueError("Module: parameter and child names must be non-empty and contain no '.', got '" +
                         name + "'");
    const auto same = [&](const auto& entry) { return entry.first == name; };
    if (std::any_of(params_.begin(), params_.end(), same) ||
        std::any_of(buffers_.begin(), buffers_.end(), same) ||
        std::any_of(rngs_.begin(), rngs_.end(), same) ||
        std::any_of(children_.begin(), children_.end(), same))
        throw ValueError("Module: the name '" + name + "' is registered twice in " + describe());
}

Tensor Module::register_parameter(const std::string& name, Array value, bool requires_grad) {
    return register_parameter(name, Tensor(std::move(value), requires_grad));
}

Tensor Module::register_parameter(const std::string& name, const Tensor& shared) {
    check_new_name(name);
    if (!shared.defined() || !shared.node().is_leaf())
        throw ValueError(
            "Module: parameter '" + name + "' of " + describe() + " must be a leaf tensor, got " +
            (shared.defined() ? std::string("the result of ") + shared.op() : "an empty Tensor"));
    params_.emplace_back(name, shared);
    name_tensors();
    return shared;
}

Tensor Module::register_buffer(const std::string& name, Array value) {
    check_new_name(name);
    Tensor t(std::move(value), /*requires_grad=*/false);
    buffers_.emplace_back(name, t);
    return t;
}

void Module::register_rng(const std::string& name, Rng& rng) {
    check_new_name(name);
    rngs_.emplace_back(name, &rng);
}

void Module::add_child(const std::string& name, Module* child) {
    check_new_name(name);
    if (child == this) throw ValueError("Module: '" + name + "' registers a module as its own child");
    children_.emplace_back(name, child);
    if (!child->parent_) child->parent_ = this;  // a shared module keeps its first parent
    child->train(training_);
    name_tensors();
}

void Module::name_tensors() {
    // Names are relative to the outermost module: a parameter or child added to a module that
    // is already part of a model gets (and leaves) the full dotted names.
    Module* root = this;
    while (root->parent_) root = root->parent_;
    for (auto& [name, t] : root->named_parameters()) t.set_name(name);
}

// Depth first: this module's own parameters, then each child's, in registration order.
// Names are built here, on every call, so they are always those of the current tree.
void Module::collect(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const {
    for (const auto& [name, t] : params_) out.emplace_back(prefix + name, t);
    for (const auto& [name, child] : children_) child->collect(prefix + name + ".", out);
}

void Module::collect_buffers(const std::string& prefix,
                             std::vector<std::pair<std::string, Tensor>>& out) const {
    for (const auto& [name, t] : buffers_) out.emplace_back(prefix + name, t);
    for (const auto& [name, child] : children_) child->collect_buffers(prefix + name + ".", out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
    std::vector<std::pair<std::string, Tensor>> all, out;
    collect_buffers("", all);
    std::set<const Node*> seen;  // a shared child's buffers, once
    for (auto& [name, t] : all)
        if (seen.insert(&t.node()).second) out.emplace_back(name, t);
    return out;
}

void Module::collect_rngs(const std::string& prefix, std::vector<std::pair<std::string, Rng*>>& out) const {
    for (const auto& [name, rng] : rngs_) out.emplace_back(prefix + name, rng);
    for (const auto& [name, child] : children_) child->collect_rngs(prefix + name + ".", out);
}

std::vector<std::pair<std::string, Rng*>> Module::named_rngs() const {
    std::vector<std::pair<std::string, Rng*>> all, out;
    collect_rngs("", all);
    std::set<const Rng*> seen;  // a shared child's generators, once
    for (auto& [name, rng] : all)
        if (seen.insert(rng).second) out.emplace_back(name, rng);
    return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
    std::vector<std::pair<std::string, Tensor>> all, out;
    collect("", all);
    // A child registered under two names (shared layers) or a tied weight shares tensors:
    // list each once, under its first name, as PyTorch does — or an optimizer would step it
    // twice.
    std::set<const Node*> seen;
    for (auto& [name, t] : all)
        if (seen.insert(&t.node()).second) out.emplace_back(name, t);
    return out;
}

std::vector<Tensor> Module::parameters() const {
    std::vector<Tensor> out;
    for (auto& entry : named_parameters()) out.push_back(entry.second);
    return out;
}

std::vector<std::pair<std::string, const Module*>> Module::named_modules() const {
    std::vector<std::pair<std::string, const Module*>> out{{"", this}};
    // Iterative walk (breadth of the tree is small; order: each module before its children).
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::vector<std::pair<std::string, const Module*>> kids;
        for (const auto& [name, child] : out[i].second->children_)
            kids.emplace_back(out[i].first.empty() ? name : out[i].first + "." + name, child);
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(i) + 1, kids.begin(), kids.end());
    }
    return out;
}

std::size_t Module::num_parameters(bool trainable_only) const {
    std::size_t n = 0;
    for (const auto& [name, t] : named_parameters())
        if (!trainable_only || t.requires_grad()) n += t.numel();
    return n;
}

void Module::train(bool on) {
    training_ = on;
    for (auto& entry : children_) entry.second->train(on);
}

std::size_t Module::set_trainable(const std::string& prefix, bool on, const char* verb) {
    std::size_t changed = 0, matched = 0;
    for (auto& [name, t] : named_parameters()) {
        if (!name_under(name, prefix)) continue;
        ++matched;
        if (t.requires_grad() != on) ++changed;
        t.set_requires_grad(on);
    }
    if (matched == 0) {
        std::string top;
        for (const auto& entry : params_) top += (top.empty() ? "" : ", ") + entry.first;
        for (const auto& entry : children_) top += (top.empty() ? "" : ", ") + entry.first;
        throw ValueError(std::string(verb) + ": no parameter is named '" + prefix + "' or starts with '" +
                         prefix + ".'; the top-level names are [" + top + "]");
    }
    return changed;
}

std::size_t Module::freeze(const std::string& prefix) { return set_trainable(prefix, false, "freeze"); }
std::size_t Module::unfreeze(const std::string& prefix) { return set_trainable(prefix, true, "unfreeze"); }

void Module::zero_grad() {
    // Walks the tree without building names: it runs every training step. (A child shared
    // under two names is cleared twice, which is harmless.)
    for (auto& entry : params_) entry.second.zero_grad();
    for (auto& entry : children_) entry.second->zero_grad();
}

std::string Module::summary() const {
    const auto params = named_parameters();
    std::vector<std::string> shapes;
    std::size_t name_w = 4, shape_w = 5, total = 0, trainable = 0;
    for (const auto& [name, t] : params) {
        shapes.push_back(shape_str(t.shape()));
        name_w = std::max(name_w, name.size());
        shape_w = std::max(shape_w, shapes.back().size());
        total += t.numel();
        if (t.requires_grad()) trainable += t.numel();
    }
    std::ostringstream out;
    out << describe() << "\n";
    const auto row = [&](const std::string& name, const std::string& shape, const std::string& count,
                         const char* trainable_flag) {
        out << "  " << std::left << std::setw(static_cast<int>(name_w)) << name << "  "
            << std::setw(static_cast<int>(shape_w)) << shape << "  " << std::right << std::setw(10) << count
            << "  " << trainable_flag << "\n";
    };
    row("name", "shape", "params", "trainable");
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Tensor& t = params[i].second;
        row(params[i].first, shapes[i], std::to_string(t.numel()), t.requires_grad() ? "yes" : "no");
    }
    out << "  total " << total << " parameters, " << trainable << " trainable, " << (total - trainable)
        << " frozen\n";
    return out.str();
}

std::vector<Array> snapshot(const Module& m) {
    std::vector<Array> values;
    for (const auto& entry : m.named_parameters()) values.push_back(entry.second.value());
    for (const auto& entry : m.named_buffers()) values.push_back(entry.second.value());
    return values;
}

void load_snapshot(Module& m, const std::vector<Array>& values) {
    auto state = m.named_parameters();
    for (auto& entry : m.named_buffers()) state.push_back(entry);
    if (state.size() != values.size())
        throw ShapeError("load_snapshot: " + std::to_string(values.size()) + " arrays for the " +
                         std::to_string(state.size()) + " parameters and buffers of " + m.describe());
    for (std::size_t i = 0; i < state.size(); ++i) {
        if (state[i].second.shape() != values[i].shape())
            throw ShapeError("load_snapshot: " + state[i].first + " is " +
                             shape_str(state[i].second.shape()) + ", the snapshot's array " +
                             shape_str(values[i].shape()));
        state[i].second.mutable_value() = values[i];
    }
}

bool unchanged_since(const Module& m, const std::vector<Array>& before) {
    const std::vector<Array> now = snapshot(m);
    if (now.size() != before.size()) return false;
    for (std::size_t i = 0; i < now.size(); ++i)
        if (now[i].shape() != before[i].shape() ||
            std::memcmp(now[i].data(), before[i].data(), now[i].size() * sizeof(float)) != 0)
            return false;
    return true;
}

}  // namespace dikkat::nn
