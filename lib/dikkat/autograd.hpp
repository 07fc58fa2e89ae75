// Layer 3 — reverse-mode automatic differentiation.
//
// A `Tensor` is a cheap handle to a `Node`. Every op makes a new node that remembers its
// inputs and how to send a gradient back to them (its `backward` function). Calling
// `loss.backward()` sorts the graph topologically — iteratively, so a 100,000-step chain does
// not overflow the stack — and runs those functions from the loss back to the leaves.
//
// Gradients accumulate: `grad += incoming`. A tensor used twice receives both contributions,
// and calling `backward()` twice without `zero_grad()` doubles every gradient, as in PyTorch.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <dikkat/error.hpp>
#include <dikkat/tensor.hpp>

namespace dikkat {

/// One value in the computation graph.
struct Node {
    Array value;
    Array grad;  ///< same shape as value; empty until a gradient arrives
    bool has_grad = false;
    bool requires_grad = false;
    bool retains_grad = false;  ///< keep this interior node's gradient after backward()
    const char* op = "leaf";    ///< the op that made this node ("leaf" for inputs/parameters)
    std::string name;           ///< optional label (parameter names, DOT export)
    std::vector<std::shared_ptr<Node>> inputs;
    /// Sends `grad` to the inputs. Receives the node it belongs to and must capture nothing
    /// that owns a node: a closure owning its own output would keep the graph alive forever.
    std::function<void(Node&)> backward;
    unsigned visit_epoch = 0;  ///< scratch mark for topological_order()

    Node() { ++live_; }
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;
    /// Releases the inputs iteratively: a 100,000-node chain freed recursively would
    /// overflow the stack just as a recursive backward() would.
    ~Node();

    /// grad += g, for a gradient computed as an array. The first gradient to arrive becomes
    /// grad (moved, not copied). Throws ShapeError if g's shape differs from value's. Does
    /// nothing when this node does not require a gradient. (See "for op authors" below.)
    void accumulate(Array&& g);
    /// The same for a gradient the caller keeps (another node's grad, a saved array): the
    /// first one is copied in, later ones are added without a copy.
    void accumulate(const Array& g);
    /// This node's gradient, for a backward that passes it on whole (reshape, a residual sum)
    /// or changes it on its way (relu): moved out, since backward() drops it right after —
    /// unless retain_grad() asked to keep it, then copied.
    Array take_grad() { return retains_grad ? Array(grad) : std::move(grad); }
    /// grad += (whatever `add_into` adds), for kernels that add straight into the gradient
    /// (GEMM with beta = 1, a scatter-add). `add_into(Array& grad)` receives the gradient —
    /// zeros if none has arrived yet, of value's shape — and must only add to it, never assign.
    /// It is not called when this node does not require a gradient.
    template <class AddInto>
    void accumulate_in_place(AddInto&& add_into) {
        if (!requires_grad) return;
        if (!has_grad) {
            grad = xt::zeros<float>(value.shape());
            has_grad = true;
        }
        add_into(grad);
    }
    /// The same for a kernel that can add or overwrite, as GEMM does (C = A B + beta C):
    /// `write(Array& grad, float beta)` gets beta = 1 and the gradient when one has arrived,
    /// beta = 0 and a new, uninitialised array of value's shape when none has — which it must
    /// overwrite entirely. The first gradient then costs no zero-fill and no read of zeros.
    template <class Write>
    void accumulate_or_write(Write&& write) {
        if (!requires_grad) return;
        const float beta = has_grad ? 1.0f : 0.0f;
        if (!has_grad) {
            grad = Array(value.shape());
            has_grad = true;
        }
        write(grad, beta);
    }
    /// Drops the gradient (frees its memory); has_grad becomes false.
    void release_grad() {
        grad = Array();
        has_grad = false;
    }
    bool is_leaf() const { return inputs.empty(); }

    /// How many nodes exist right now (a test checks that training steps free their graphs).
    static long live_count() { return live_; }

  private:
    static inline long live_ = 0;
    void add_to_grad(const Array& g);  ///< grad += g (shapes checked, has_grad true)
};

/// A handle to a node: copying a Tensor copies the handle, not the data.
class Tensor {
  public:
    Tensor() = default;
    /// A leaf holding `value`. Parameters pass requires_grad = true.
    explicit Tensor(Array value, bool requires_grad = false);
    explicit Tensor(std::shared_ptr<Node> node) : node_(std::move(node)) {}

    const Array& value() const { return node().value; }
    /// Writable value, for optimizers and initialisers (changes are not tracked).
    Array& mutable_value() { return node().value; }
    /// The accumulated gradient. Throws ValueError if none has arrived.
    const Array& grad() const;
    bool has_grad() const { return node().has_grad; }
    /// A writable gradient (allocated as zeros if none has arrived), for optimizers and clipping.
    Array& mutable_grad();

    const Shape& shape() const { return node().value.shape(); }
    std::size_t dim() const { return node().value.dimension(); }
    std::size_t size(std::size_t axis) const;
    std::size_t numel() const { return node().value.size(); }
    /// The value of a one-element tensor.
    float item() const;

    bool requires_grad() const { return node().requires_grad; }
    /// Freeze (false) or unfreeze (true) a leaf. Interior nodes can't be changed.
    Tensor& set_requires_grad(bool on);
    /// Keep this interior tensor's gradient after backward() (e.g. dL/dh_t for a plot). It
    /// holds the gradient of the latest backward() only; leaves accumulate across calls.
    Tensor& retain_grad();

    /// Backpropagate from a one-element tensor (the seed gradient is 1).
    void backward() const;
    /// Backpropagate with an explicit seed gradient of this tensor's shape.
    void backward(const Array& seed) const;
    void zero_grad();

    /// The same value, cut off from the graph (requires_grad = false).
    Tensor detach() const;

    const char* op() const { return node().op; }
    const std::string& name() const { return node().name; }
    Tensor& set_name(std::string name);

    bool defined() const { return node_ != nullptr; }
    Node& node() const;
    const std::shared_ptr<Node>& node_ptr() const { return node_; }

  private:
    std::shared_ptr<Node> node_;
};

/// Leaves filled with constants / random numbers.
Tensor zeros(const Shape& shape, bool requires_grad = false);
Tensor ones(const Shape& shape, bool requires_grad = false);
Tensor full(const Shape& shape, float value, bool requires_grad = false);
Tensor scalar(float value, bool requires_grad = false);

// ---- grad mode ------------------------------------------------------------------------

/// True unless a NoGrad scope is active on this thread.
bool grad_enabled();

/// Inside this scope ops build no graph: results have no inputs and need no gradient.
/// Use it for evaluation and sampling, where no backward() will follow.
class NoGrad {
  public:
    NoGrad();
    ~NoGrad();
    NoGrad(const NoGrad&) = delete;
    NoGrad& operator=(const NoGrad&) = delete;

  private:
    bool previous_;
};

// ---- anomaly mode ---------------------------------------------------------------------

/// When on, every op checks its output (and every backward its gradients) for NaN/Inf and
/// throws ValueError naming the first op that produced one. Costs a pass over each result.
void set_detect_anomaly(bool on);
bool detect_anomaly();

/// Turns anomaly detection on for a scope.
class DetectAnomaly {
  public:
    DetectAnomaly();
    ~DetectAnomaly();
    DetectAnomaly(const DetectAnomaly&) = delete;
    DetectAnomaly& operator=(const DetectAnomaly&) = delete;

  private:
    bool previous_;
};

// ---- for op authors -----------------------------------------------------------------
//
// An op computes its value, wraps it with make_result(), and — when the result requires a
// gradient — sets `result.node().backward`. The backward receives the result's node `self`
// (`self.grad` is dL/dy) and hands each input its share, by one rule:
//
//   - Every gradient reaches an input through accumulate:
//       in.accumulate(g);                                  // a gradient computed as an array
//       in.accumulate(self.take_grad());                   // dL/dy passed on as it is
//       in.accumulate_in_place([&](Array& grad) { ... });  // a kernel adding into grad itself
//       in.accumulate_or_write([&](Array& grad, float beta) { gemm(..., beta); });
//     The first checks g's shape and moves the first gradient in; the second is for GEMM with
//     beta = 1 and scatter-adds, which add straight into the buffer without a temporary.
//   - Add, never assign: an input used twice (or by two ops) must receive both contributions.
//   - An input that does not require a gradient gets nothing: both calls skip it on their own.
//     Test `in.requires_grad` only to avoid computing a gradient nobody will receive.
//   - Each input gets a gradient of its own shape (sum a broadcast gradient back with sum_to).
//   - The backward captures nothing that owns a node (see Node::backward).
//
// Optimizers and gradient clipping, which change a finished gradient, use Tensor::mutable_grad().
// An op that records inputs but sets no backward is caught: backward() throws ValueError when
// such a node receives a gradient, instead of silently dropping it.

/// Wraps an op's output as a new node. When grad mode is on and any input requires a
/// gradient, the node records its inputs; the op then sets `result.node().backward`.
/// Ops test `result.requires_grad()` before setting a backward that saves extra data.
Tensor make_result(const char* op, Array value, std::initializer_list<Tensor> inputs);
Tensor make_result(const char* op, Array value, const std::vector<Tensor>& inputs);

/// All nodes reachable from `root`, inputs before the nodes that use them.
std::vector<Node*> topological_order(Node& root);

/// The longest chain of ops from a leaf to `root`: how many must run one after another
/// however many cores there are (the graph's depth; a leaf has depth 0). Lesson 4 measures
/// with it that an RNN's depth grows with the sentence and a transformer's does not.
std::size_t graph_depth(const Tensor& root);

}  // namespace dikkat
