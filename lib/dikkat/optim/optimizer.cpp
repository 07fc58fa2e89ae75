#include <dikkat/optim/optimizer.hpp>

#include <cstdio>
#include <set>
#include <stdexcept>

namespace dikkat::optim {

// Floats as text that reads back to the same float (9 significant digits always suffice).
std::string float_str(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
    return buf;
}

namespace {

const std::string& field(const OptimizerState& s, const std::string& key) {
    auto it = s.metadata.find(key);
    if (it == s.metadata.end()) throw ValueError("optimizer state: the field '" + key + "' is missing");
    return it->second;
}

float parse_float(const OptimizerState& s, const std::string& key) {
    const std::string& text = field(s, key);
    try {
        std::size_t used = 0;
        float v = std::stof(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw ValueError("optimizer state: the field '" + key + "' is not a number: '" + text + "'");
}

std::size_t parse_count(const std::string& key, const std::string& text) {
    try {
        std::size_t used = 0;
        unsigned long long v = std::stoull(text, &used);
        if (used == text.size() && text[0] != '-') return static_cast<std::size_t>(v);
    } catch (const std::exception&) {
    }
    throw ValueError("optimizer state: the field '" + key + "' is not a count: '" + text + "'");
}

}  // namespace

ParamGroup group(const nn::Module& model, const std::string& prefix, std::optional<float> lr,
                 std::optional<float> weight_decay) {
    ParamGroup g{{}, lr, weight_decay};
    for (auto& entry : model.named_parameters())
        if (nn::name_under(entry.first, prefix)) g.params.push_back(entry);
    if (g.params.empty())
        throw ValueError("optim::group: no parameter of " + model.describe() + " is under '" + prefix + "'");
    return g;
}

Optimizer::Optimizer(std::vector<ParamGroup> groups, float default_lr, float default_weight_decay) {
    if (groups.empty()) throw ValueError("optimizer: no parameter groups given");
    std::set<std::string> names;
    std::set<const Node*> nodes;
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        ParamGroup& pg = groups[gi];
        Group g{{},
                pg.lr.value_or(default_lr),
                pg.lr.value_or(default_lr),
                pg.weight_decay.value_or(default_weight_decay)};
        if (!(g.lr >= 0.0f))
            throw ValueError("optimizer: group " + std::to_string(gi) + " has a negative learning rate");
        if (!(g.weight_decay >= 0.0f))
            throw ValueError("optimizer: group " + std::to_string(gi) + " has a negative weight decay");
        for (std::size_t i = 0; i < pg.params.size(); ++i) {
            auto [name, t] = pg.params[i];
            if (!t.defined()) throw ValueError("optimizer: parameter '" + name + "' is an empty Tensor");
            if (name.empty())
                name =
                    t.name().empty() ? "group" + std::to_string(gi) + ".param" + std::to_string(i) : t.name();
            if (!names.insert(name).second)
                throw ValueError("optimizer: the parameter name '" + name + "' appears twice");
            if (!nodes.insert(&t.node()).second)
                throw ValueError("optimizer: parameter '" + name +
                                 "' is in two places (each tensor belongs to one group)");
            g.params.emplace_back(name, t);
        }
        groups_.push_back(std::move(g));
    }
}

void Optimizer::step() {
    for (const Group& g : groups_)
        for (auto& [name, p] : g.params) {
            if (!p.requires_grad() || !p.has_grad()) continue;  // frozen, or unused this step
            Tensor handle = p;
            update(handle, g, state_[name]);
        }
    ++steps_;
}

void Optimizer::zero_grad() {
    for (Group& g : groups_)
        for (auto& entry : g.params) entry.second.zero_grad();
}

float Optimizer::lr(std::size_t group) const { return groups_.at(group).lr; }

void Optimizer::set_lr(std::size_t group, float lr) {
    if (group >= groups_.size())
        throw ValueError("set_lr: group " + std::to_string(group) + " does not exist (there are " +
                         std::to_string(groups_.size()) + ")");
    if (!(lr >= 0.0f)) throw ValueError("set_lr: the learning rate must be >= 0");
    groups_[group].base_lr = lr;
    groups_[group].lr = lr * factor_;
}

void Optimizer::set_lr_factor(float factor) {
    if (!(factor >= 0.0f)) throw ValueError("set_lr_factor: the factor must be >= 0");
    factor_ = factor;
    for (Group& g : groups_) g.lr = g.base_lr * factor;
}

// Layout: tensors "state.<param>.<buffer>"; metadata "optimizer" (type), "optimizer.steps",
// "optimizer.lr_factor", "optimizer.groups", "optimizer.group.<i>.lr" / ".weight_decay",
// "optimizer.<hyper>", and "state.<param>.step".
OptimizerState Optimizer::state_dict() const {
    OptimizerState s;
    s.metadata["optimizer"] = type();
    s.metadata["optimizer.steps"] = std::to_string(steps_);
    s.metadata["optimizer.lr_factor"] = float_str(factor_);
    s.metadata["optimizer.groups"] = std::to_string(groups_.size());
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        s.metadata["optimizer.group." + std::to_string(i) + ".lr"] = float_str(groups_[i].base_lr);
        s.metadata["optimizer.group." + std::to_string(i) + ".weight_decay"] =
            float_str(groups_[i].weight_decay);
    }
    for (auto& [key, value] : hyper()) s.metadata["optimizer." + key] = value;
    // In parameter order, so the file reads like the model.
    for (const Group& g : groups_)
        for (const auto& entry : g.params) {
            auto it = state_.find(entry.first);
            if (it == state_.end()) continue;
            s.metadata["state." + entry.first + ".step"] = std::to_string(it->second.step);
            for (const auto& [buffer, value] : it->second.buffers)
                s.tensors.emplace_back("state." + entry.first + "." + buffer, value);
        }
    return s;
}

void Optimizer::load_state_dict(const OptimizerState& s) {
    // Check everything first, then change anything: a failed load leaves the optimizer as it was.
    if (field(s, "optimizer") != type())
        throw ValueError("optimizer state: saved by " + field(s, "optimizer") + ", loading into " + type());
    const std::size_t n_groups = parse_count("optimizer.groups", field(s, "optimizer.groups"));
    if (n_groups != groups_.size())
        throw ValueError("optimizer state: saved with " + std::to_string(n_groups) +
                         " parameter groups, this optimizer has " + std::to_string(groups_.size()));
    std::map<std::string, Tensor> by_name;
    for (const Group& g : groups_)
        for (const auto& entry : g.params) by_name.emplace(entry.first, entry.second);

    // "state.<param>.<last>" -> (param, last); the parameter name may itself contain dots.
    const auto split = [&](const std::string& key) {
        const auto dot = key.rfind('.');
        if (key.rfind("state.", 0) != 0 || dot == std::string::npos || dot <= 6)
            throw ValueError("optimizer state: unexpected entry '" + key + "'");
        std::string param = key.substr(6, dot - 6);
        if (!by_name.count(param))
            throw ValueError("optimizer state: '" + key + "' belongs to parameter '" + param +
                             "', which this optimizer does not have");
        return std::make_pair(param, key.substr(dot + 1));
    };
    std::map<std::string, ParamState> loaded;
    for (const auto& [key, value] : s.tensors) {
        auto [param, buffer] = split(key);
        const Shape& want = by_name.at(param).shape();
        if (value.shape() != want)
            throw ValueError("optimizer state: '" + key + "' has shape " + shape_str(value.shape()) +
                             ", parameter '" + param + "' has " + shape_str(want));
        loaded[param].buffers[buffer] = value;
    }
    for (const auto& [key, value] : s.metadata) {
        if (key.rfind("state.", 0) != 0) continue;
        auto [param, last] = split(key);
        if (last != "step") throw ValueError("optimizer state: unexpected field '" + key + "'");
        loaded[param].step = parse_count(key, value);
    }
    std::vector<std::pair<float, float>> group_values;
    for (std::size_t i = 0; i < n_groups; ++i) {
        const std::string k = "optimizer.group." + std::to_string(i);
        group_values.emplace_back(parse_float(s, k + ".lr"), parse_float(s, k + ".weight_decay"));
    }
    const float factor = parse_float(s, "optimizer.lr_factor");
    const std::size_t steps = parse_count("optimizer.steps", field(s, "optimizer.steps"));

    state_ = std::move(loaded);
    steps_ = steps;
    factor_ = factor;
    for (std::size_t i = 0; i < n_groups; ++i) {
        groups_[i].base_lr = group_values[i].first;
        groups_[i].lr = group_values[i].first * factor;
        groups_[i].weight_decay = group_values[i].second;
    }
}

}  // namespace dikkat::optim
