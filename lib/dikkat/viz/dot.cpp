#include <dikkat/viz/dot.hpp>

#include <cstdio>
#include <unordered_map>

namespace dikkat::viz {

namespace {
std::string escape(const std::string& s) {
    std::string r;
    for (char c : s) {
        if (c == '"' || c == '\\') r += '\\';
        r += c;
    }
    return r;
}
}  // namespace

std::string to_dot(const Tensor& root, const std::string& title) {
    // Every node reachable from root, including constants (topological_order skips nodes
    // that need no gradient, so walk the inputs here directly, without recursion).
    std::unordered_map<const Node*, std::size_t> id;
    std::vector<const Node*> nodes{&root.node()};
    id[&root.node()] = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (const auto& in : nodes[i]->inputs)
            if (id.emplace(in.get(), nodes.size()).second) nodes.push_back(in.get());

    std::string dot = "digraph \"" + escape(title) +
                      "\" {\n  rankdir=LR;\n"
                      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n";
    for (const Node* n : nodes) {
        const bool leaf = n->inputs.empty();
        // The label's pieces are escaped one by one; "\\n" is DOT's line break.
        const std::string what = std::string(n->op) == "leaf" ? "input" : n->op;
        std::string label = leaf && !n->name.empty() ? escape(n->name) : what;
        if (!leaf && !n->name.empty()) label = escape(n->name) + " = " + label;
        // A scalar shows its value (and gradient, once backward() has reached it); a larger
        // tensor shows its shape.
        auto num = [](float v) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.4g", double(v));
            return std::string(buf);
        };
        if (n->value.dimension() == 0) {
            label += "\\n= " + num(n->value());
            if (n->has_grad) label += "\\ngrad " + num(n->grad());
        } else {
            label += "\\n" + shape_str(n->value.shape());
        }
        const char* fill = !leaf ? "white" : (n->requires_grad ? "palegreen" : "lightgrey");
        dot += "  n" + std::to_string(id[n]) + " [label=\"" + label + "\", fillcolor=" + fill + "];\n";
    }
    for (const Node* n : nodes)
        for (const auto& in : n->inputs)
            dot += "  n" + std::to_string(id[in.get()]) + " -> n" + std::to_string(id[n]) + ";\n";
    return dot + "}\n";
}

}  // namespace dikkat::viz
