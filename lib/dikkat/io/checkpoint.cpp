#include <dikkat/io/checkpoint.hpp>

#include <map>

namespace dikkat::io {

namespace {

std::string join(const std::vector<std::string>& names) {
    std::string s = "[";
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
    return s + "]";
}

// The parts of the report that say what went wrong (empty when nothing did).
std::string problems(const LoadReport& r) {
    std::vector<std::string> parts;
    if (!r.missing.empty()) parts.push_back("missing tensors " + join(r.missing));
    if (!r.unexpected.empty()) parts.push_back("unexpected " + join(r.unexpected));
    if (!r.mismatched.empty()) {
        std::vector<std::string> shapes;
        for (const auto& m : r.mismatched)
            shapes.push_back(m.name + ": file " + shape_str(m.found) + ", model " + shape_str(m.expected));
        parts.push_back("wrong shapes " + join(shapes));
    }
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
    return s;
}

}  // namespace

std::string LoadReport::describe() const {
    std::string s = "checkpoint " + path + ": loaded " + std::to_string(loaded.size()) + " tensor" +
                    (loaded.size() == 1 ? "" : "s");
    if (complete()) return s + ", all of the model's parameters";
    return s + "; skipped: " + problems(*this);
}

NamedArrays state_dict(const nn::Module& model) {
    NamedArrays tensors;
    for (const auto& [name, t] : model.named_parameters()) tensors.emplace_back(name, t.value());
    for (const auto& [name, t] : model.named_buffers()) tensors.emplace_back(name, t.value());
    return tensors;
}

void save_checkpoint(const std::string& path, const nn::Module& model, const Metadata& metadata) {
    save_safetensors(path, state_dict(model), metadata);
}

LoadReport load_checkpoint(const std::string& path, nn::Module& model, LoadOptions options) {
    SafeTensors file = load_safetensors(path);
    LoadReport report = load_state_dict(model, file.tensors, path, options);
    report.metadata = std::move(file.metadata);
    return report;
}

LoadReport load_state_dict(nn::Module& model, const NamedArrays& tensors, const std::string& source,
                           LoadOptions options) {
    LoadReport report;
    report.path = source;

    std::map<std::string, const Array*> in_file;
    for (const auto& [name, a] : tensors) in_file.emplace(name, &a);

    // Match first, copy after: a strict load that fails must leave the model untouched.
    std::vector<std::pair<Tensor, const Array*>> copies;
    std::map<std::string, bool> used;
    auto state = model.named_parameters();
    for (auto& entry : model.named_buffers()) state.push_back(entry);
    for (auto& [name, t] : state) {
        auto it = in_file.find(name);
        if (it == in_file.end()) {
            report.missing.push_back(name);
            continue;
        }
        used[name] = true;
        if (it->second->shape() != t.shape()) {
            report.mismatched.push_back({name, t.shape(), it->second->shape()});
            continue;
        }
        copies.emplace_back(t, it->second);
        report.loaded.push_back(name);
    }
    for (const auto& entry : tensors)
        if (!used.count(entry.first)) report.unexpected.push_back(entry.first);

    if (options.strict && !report.complete()) throw IoError("checkpoint " + source + ": " + problems(report));
    for (auto& [t, a] : copies) t.mutable_value() = *a;
    return report;
}

void save_optimizer(const std::string& path, const optim::Optimizer& optimizer) {
    const optim::OptimizerState state = optimizer.state_dict();
    save_safetensors(path, state.tensors, state.metadata);
}

void load_optimizer(const std::string& path, optim::Optimizer& optimizer) {
    SafeTensors file = load_safetensors(path);
    optim::OptimizerState state{std::move(file.tensors), std::move(file.metadata)};
    try {
        optimizer.load_state_dict(state);
    } catch (const ValueError& e) {
        throw IoError("optimizer state " + path + ": " + e.what());
    }
}

}  // namespace dikkat::io
