#include <dikkat/autograd.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <dikkat/parallel.hpp>

namespace dikkat {

// ---- Node --------------------------------------------------------------------------------

namespace {
[[noreturn]] void throw_wrong_grad_shape(const Node& n, const Shape& got) {
    throw ShapeError(std::string("backward: a gradient of shape ") + shape_str(got) + " was sent to '" +
                     (n.name.empty() ? n.op : n.name) + "' of shape " + shape_str(n.value.shape()) +
                     "; a backward function must give each input a gradient of that input's shape "
                     "(sum a broadcast gradient back with sum_to)");
}
}  // namespace

Node::~Node() {
    --live_;
    // Take over our inputs; free each one whose last owner we are by first taking over its
    // inputs in turn. The chain is unwound in a loop instead of nested destructor calls.
    std::vector<std::shared_ptr<Node>> pending = std::move(inputs);
    while (!pending.empty()) {
        std::shared_ptr<Node> n = std::move(pending.back());
        pending.pop_back();
        if (n && n.use_count() == 1) {
            for (auto& in : n->inputs) pending.push_back(std::move(in));
            n->inputs.clear();
        }
    }
}

// [accumulate]
void Node::accumulate(Array&& g) {
    if (!requires_grad) return;
    if (g.shape() != value.shape()) throw_wrong_grad_shape(*this, g.shape());
    if (has_grad) {
        add_to_grad(g);
    } else {
        grad = std::move(g);
        has_grad = true;
    }
}

void Node::accumulate(const Array& g) {
    if (!requires_grad) return;
    if (g.shape() != value.shape()) throw_wrong_grad_shape(*this, g.shape());
    if (has_grad) {
        add_to_grad(g);
    } else {
        grad = g;
        has_grad = true;
    }
}

void Node::add_to_grad(const Array& g) {  // in place, split across Dikkat's threads when large
    float* pg = grad.data();
    const float* pn = g.data();
    parallel_for(grad.size(), 1, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) pg[i] += pn[i];
    });
}
// [accumulate]

// ---- grad mode and anomaly mode ----------------------------------------------------------

namespace {
thread_local bool t_grad_enabled = true;
thread_local bool t_detect_anomaly = false;
thread_local unsigned t_visit_epoch = 0;

// Index of the first NaN/Inf in `a`, or a.size() when all values are finite.
std::size_t first_non_finite(const Array& a) {
    const float* p = a.data();
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!std::isfinite(p[i])) return i;
    return a.size();
}
}  // namespace

bool grad_enabled() { return t_grad_enabled; }
NoGrad::NoGrad() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGrad::~NoGrad() { t_grad_enabled = previous_; }

void set_detect_anomaly(bool on) { t_detect_anomaly = on; }
bool detect_anomaly() { return t_detect_anomaly; }
DetectAnomaly::DetectAnomaly() : previous_(t_detect_anomaly) { t_detect_anomaly = true; }
DetectAnomaly::~DetectAnomaly() { t_detect_anomaly = previous_; }

// ---- making results ----------------------------------------------------------------------

namespace {
template <class Inputs>
Tensor make_result_impl(const char* op, Array&& value, const Inputs& inputs) {
    auto node = std::make_shared<Node>();
    node->value = std::move(value);
    node->op = op;
    if (t_grad_enabled) {
        bool any = false;
        for (const Tensor& in : inputs) any = any || in.requires_grad();
        if (any) {
            node->requires_grad = true;
            node->inputs.reserve(inputs.size());
            for (const Tensor& in : inputs) node->inputs.push_back(in.node_ptr());
        }
    }
    if (t_detect_anomaly) {
        std::size_t bad = first_non_finite(node->value);
        if (bad < node->value.size())
            throw ValueError(std::string("anomaly: ") + op + " produced " +
                             std::to_string(node->value.data()[bad]) + " at " +
                             index_str(node->value.shape(), bad) + " of its output " +
                             shape_str(node->value.shape()) +
                             " (the first op in this forward pass to produce NaN or Inf)");
    }
    return Tensor(std::move(node));
}
}  // namespace

Tensor make_result(const char* op, Array value, std::initializer_list<Tensor> inputs) {
    return make_result_impl(op, std::move(value), inputs);
}
Tensor make_result(const char* op, Array value, const std::vector<Tensor>& inputs) {
    return make_result_impl(op, std::move(value), inputs);
}

// ---- Tensor ------------------------------------------------------------------------------

Tensor::Tensor(Array value, bool requires_grad) : node_(std::make_shared<Node>()) {
    node_->value = std::move(value);
    node_->requires_grad = requires_grad;
}

Node& Tensor::node() const {
    if (!node_) throw ValueError("use of an empty Tensor (default-constructed, never assigned)");
    return *node_;
}

const Array& Tensor::grad() const {
    const Node& n = node();
    if (!n.has_grad)
        throw ValueError(std::string("tensor '") + (n.name.empty() ? n.op : n.name) + "' " +
                         shape_str(n.value.shape()) + " has no gradient: " +
                         (n.requires_grad ? "backward() has not reached it (or it is an "
                                            "interior node: call retain_grad() before backward())"
                                          : "it does not require one (requires_grad is false)"));
    return n.grad;
}

Array& Tensor::mutable_grad() {
    Node& n = node();
    if (!n.has_grad) {
        n.grad = xt::zeros<float>(n.value.shape());
        n.has_grad = true;
    }
    return n.grad;
}

std::size_t Tensor::size(std::size_t axis) const {
    if (axis >= dim())
        throw ShapeError("size: axis " + std::to_string(axis) + " is out of range for shape " +
                         shape_str(shape()));
    return shape()[axis];
}

float Tensor::item() const {
    if (numel() != 1) throw ShapeError("item: needs a one-element tensor, got shape " + shape_str(shape()));
    return value().data()[0];
}

Tensor& Tensor::set_requires_grad(bool on) {
    Node& n = node();
    if (!n.is_leaf())
        throw ValueError(std::string("set_requires_grad: only leaves can be frozen or unfrozen; '") + n.op +
                         "' is the result of an op (detach() it first)");
    n.requires_grad = on;
    if (!on) n.release_grad();
    return *this;
}

Tensor& Tensor::retain_grad() {
    node().retains_grad = true;
    return *this;
}

Tensor& Tensor::set_name(std::string name) {
    node().name = std::move(name);
    return *this;
}

void Tensor::zero_grad() { node().release_grad(); }

Tensor Tensor::detach() const { return Tensor(value(), false); }

// [topological_order]
std::vector<Node*> topological_order(Node& root) {
    // Depth-first search with an explicit stack of (node, next input to visit). A node is
    // emitted after all its inputs, so reading the list backwards visits users before inputs.
    const unsigned epoch = ++t_visit_epoch;
    std::vector<Node*> order;
    std::vector<std::pair<Node*, std::size_t>> stack;
    stack.emplace_back(&root, 0);
    root.visit_epoch = epoch;
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->inputs.size()) {
            Node* in = node->inputs[next++].get();
            if (in->requires_grad && in->visit_epoch != epoch) {
                in->visit_epoch = epoch;
                stack.emplace_back(in, 0);
            }
        } else {
            order.push_back(node);
            stack.pop_back();
        }
    }
    return order;
}
// [topological_order]

std::size_t graph_depth(const Tensor& root) {
    if (!root.defined() || !root.requires_grad()) return 0;
    std::unordered_map<const Node*, std::size_t> depth;  // filled inputs first
    for (const Node* n : topological_order(root.node())) {
        std::size_t d = 0;
        for (const auto& in : n->inputs) {
            const auto it = depth.find(in.get());
            d = std::max(d, (it == depth.end() ? 0 : it->second) + 1);
        }
        depth[n] = d;
    }
    return depth[&root.node()];
}

void Tensor::backward() const {
    if (numel() != 1)
        throw ShapeError("backward: called on a tensor of shape " + shape_str(shape()) +
                         "; without a seed gradient it needs a one-element tensor (a loss). "
                         "Reduce it first (sum/mean) or pass backward(seed)");
    backward(xt::ones<float>(shape()));
}

namespace {
// A node with inputs received a gradient it cannot pass on: an op forgot to set its backward.
[[noreturn]] void throw_no_backward(const Node& n) {
    std::string inputs;
    for (const auto& in : n.inputs) inputs += (inputs.empty() ? "" : ", ") + shape_str(in->value.shape());
    throw ValueError(std::string("backward: '") + n.op + "' " + shape_str(n.value.shape()) +
                     " received a gradient but has no backward function, so its inputs (" + inputs +
                     ") would silently get nothing; the op must set result.node().backward when "
                     "result.requires_grad() (see \"for op authors\" in autograd.hpp)");
}

// Anomaly mode, after a node's backward: throws naming the op if it sent NaN/Inf to an input.
void check_input_grads(const Node& n) {
    for (std::size_t i = 0; i < n.inputs.size(); ++i) {
        const Node& in = *n.inputs[i];
        const std::size_t bad = in.has_grad ? first_non_finite(in.grad) : 0;
        if (in.has_grad && bad < in.grad.size())
            throw ValueError(std::string("anomaly: the backward of ") + n.op +
                             " sent NaN or Inf to its input " + std::to_string(i) + " (" + in.op +
                             ", shape " + shape_str(in.value.shape()) + ") at " +
                             index_str(in.value.shape(), bad));
    }
}
}  // namespace

void Tensor::backward(const Array& seed) const {
    Node& root = node();
    if (!root.requires_grad)
        throw ValueError(std::string("backward: '") + root.op +
                         "' does not require a gradient: no input of the graph has "
                         "requires_grad = true, or it was computed under NoGrad");
    if (seed.shape() != root.value.shape())
        throw ShapeError("backward: the seed gradient has shape " + shape_str(seed.shape()) +
                         " but the tensor has shape " + shape_str(root.value.shape()));
    // [backward]
    std::vector<Node*> order = topological_order(root);
    for (Node* n : order)  // a gradient kept by retain_grad() belongs to the previous pass
        if (!n->is_leaf()) n->release_grad();
    root.accumulate(seed);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node& n = **it;
        if (n.is_leaf() || !n.has_grad) continue;
        if (!n.backward) throw_no_backward(n);
        n.backward(n);
        if (t_detect_anomaly) check_input_grads(n);
        // Interior gradients are spent once passed on; dropping them frees memory and lets
        // a second backward() start from clean interior nodes (leaves keep accumulating).
        if (!n.retains_grad) n.release_grad();
    }
    // [backward]
}

// ---- factories ---------------------------------------------------------------------------

Tensor zeros(const Shape& shape, bool requires_grad) {
    return Tensor(xt::zeros<float>(shape), requires_grad);
}
Tensor ones(const Shape& shape, bool requires_grad) { return Tensor(xt::ones<float>(shape), requires_grad); }
Tensor full(const Shape& shape, float value, bool requires_grad) {
    Array a(shape);
    a.fill(value);
    return Tensor(std::move(a), requires_grad);
}
Tensor scalar(float value, bool requires_grad) {
    Array a = xt::xarray<float>(value);
    return Tensor(std::move(a), requires_grad);
}

}  // namespace dikkat
