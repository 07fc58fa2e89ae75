// Lesson 0 — autograd
// A network learns by nudging every parameter against the gradient of its loss. Reverse-mode
// automatic differentiation computes all those gradients in one backward sweep over the graph
// the forward pass recorded. Here we watch it happen on one small expression, check it
// against finite differences, then let it train a small network on two spirals.
// Run: ./build/lessons/00_autograd        Chapter: lessons/00_autograd/README.md

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/toy2d.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/io.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/dot.hpp>
#include <dikkat/viz/heatmap.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/progress.hpp>
#include <dikkat/viz/terminal.hpp>

#include "exercises/exercises.hpp"

using namespace dikkat;

namespace {

// --quick, for the tests: at most this many training steps and training points per spiral arm.
constexpr int quick_steps = 300;
constexpr std::size_t quick_points = 150;
// The network's gradient check uses the first few training points: 8 points, 16 input numbers.
constexpr std::size_t gradcheck_points = 8;
// The decision boundary is the model's answer on a 64 x 64 grid over the square
// [-1.4, 1.4]^2: the spirals reach radius 1, the rest is margin for the noise.
constexpr std::size_t grid_cells = 64;
constexpr float plane_extent = 1.4f;

// The network's two building blocks as plain functions: a linear map y = x W + b and an
// activation. main chooses them once (the library's, or yours from exercises/ with
// --use-my-code); the model only calls them.
using LinearFn = Tensor (*)(const Tensor& x, const Tensor& W, const Tensor& b);
using ActivationFn = Tensor (*)(const Tensor& x);

// A two-hidden-layer perceptron: 2 -> H -> H -> 2 class scores (N points, H hidden units). Its
// weights live in three nn::Linear layers; the forward pass sends them through the chosen map.
struct MLP : nn::Module {
    nn::Linear fc1, fc2, out;
    LinearFn linear_map;
    ActivationFn activation;
    MLP(std::size_t hidden, LinearFn map, ActivationFn act, Rng& rng)
        : fc1(/*in=*/2, hidden, rng),
          fc2(hidden, hidden, rng),
          out(hidden, /*out=*/2, rng),
          linear_map(map),
          activation(act) {
        register_module("fc1", fc1);
        register_module("fc2", fc2);
        register_module("out", out);
    }
    std::string describe() const override { return "MLP"; }
    Tensor forward(const Tensor& xy) const {                          // (N, 2)
        Tensor h = activation(linear_map(xy, fc1.weight, fc1.bias));  // (N, H)
        h = activation(linear_map(h, fc2.weight, fc2.bias));          // (N, H)
        return linear_map(h, out.weight, out.bias);                   // (N, 2) class scores
    }
};

// Helpers, defined after main.
float accuracy(const Tensor& scores, const IndexArray& labels);
void print_row(const char* name, const Tensor& t);
void write_graph(const Tensor& f, const std::string& title, io::RunFolder& run);
Array plane_grid(std::size_t cells, float lo, float hi);
void write_decision_boundary(const Array& p1, const data::Points2D& test, float lo, float hi,
                             const std::string& path);

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 1500;
    opt.lr = 0.01f;
    std::size_t hidden = 32, points = 300;
    std::string activation = "tanh";
    float eps = 1e-2f;
    bool use_my_code = false;
    cli::Parser cli("00_autograd",
                    "Reverse-mode autograd: one expression by hand, then a network on two spirals", opt);
    cli.add_option("--hidden", hidden, "units in each hidden layer");
    cli.add_option("--points", points, "training points per spiral arm");
    cli.add_choice("--activation", activation, {"tanh", "relu", "sigmoid"}, "hidden-layer activation");
    cli.add_option("--gradcheck-eps", eps, "finite-difference step of the gradient check");
    cli.add_flag("--use-my-code", use_my_code,
                 "train with your exercises/ functions (my_linear, my_sigmoid)");
    if (auto code = cli.parse(argc, argv)) return *code;
    if (opt.quick) {
        opt.steps = std::min(opt.steps, quick_steps);
        points = std::min(points, quick_points);
    }
    io::RunFolder run(opt.out);
    cli.print_config();

    // ---- 1. One expression, forward and backward ----------------------------------------
    // f = tanh(a*b + c) * a. The forward pass computes values and records, for every result,
    // which op made it from which inputs: a graph. backward() walks that graph from f back to
    // the leaves, multiplying local derivatives (the chain rule). `a` is used twice, so its
    // gradient is the sum of what flows back along both paths.
    std::printf("\n1. f = tanh(a*b + c) * a\n\n");
    Tensor a = scalar(0.8f, true).set_name("a");
    Tensor b = scalar(-1.5f, true).set_name("b");
    Tensor c = scalar(0.6f, true).set_name("c");
    Tensor d = (a * b).set_name("d").retain_grad();
    Tensor e = (d + c).set_name("e").retain_grad();
    Tensor t = tanh(e).set_name("t").retain_grad();
    Tensor f = (t * a).set_name("f");
    f.backward();
    std::printf("  node op              value     df/dnode\n");
    for (auto [name, node] : {std::pair{"a", a}, {"b", b}, {"c", c}, {"d", d}, {"e", e}, {"t", t}})
        print_row(name, node);
    std::printf("  %-4s %-12s %10.5f %12s\n", "f", f.op(), double(f.item()), "1 (seed)");
    // The recorded graph itself, with these values and gradients: graph.dot, and graph.svg.
    write_graph(f, "f = tanh(a*b + c) * a", run);

    // ---- 2. Check it with finite differences ---------------------------------------------
    // Nudge one input by ±eps and watch f move: (f(x+eps) - f(x-eps)) / 2eps approximates
    // df/dx. It costs two forward passes per input, which is why nobody trains this way —
    // but it is the perfect referee for backward().
    std::printf("\n2. Gradient check (central differences, eps = %g)\n\n", double(eps));
    auto expr = [](const std::vector<Tensor>& x) { return tanh(x[0] * x[1] + x[2]) * x[0]; };
    std::printf("  input   backward()    numeric\n");
    for (std::size_t i = 0; i < 3; ++i) {
        auto at = [&](float delta) {
            NoGrad no_grad;
            std::vector<Tensor> x{a.detach(), b.detach(), c.detach()};
            x[i].mutable_value()(0) += delta;
            return double(expr(x).item());
        };
        const Tensor& in = i == 0 ? a : i == 1 ? b : c;
        std::printf("  %-5s %11.6f %11.6f\n", in.name().c_str(), double(in.grad()(0)),
                    (at(eps) - at(-eps)) / (2.0 * double(eps)));
    }
    // gradcheck() does the same for every element of every input and reports the worst one.
    GradcheckOptions check_opts;
    check_opts.eps = eps;
    GradcheckResult check_expr = gradcheck("f", expr, {a.value(), b.value(), c.value()}, check_opts);
    std::printf("\n  %s\n", check_expr.summary().c_str());

    // ---- 3. Data: two spirals --------------------------------------------------------------
    // Two interleaved arms, one per class, with a little noise. No straight line separates
    // them. The test points are drawn from the same spirals, half as many, never trained on.
    Rng rng(opt.seed);
    data::Points2D train = data::two_spirals(points, rng);
    data::Points2D test = data::two_spirals(points / 2, rng);
    std::printf("\n3. Two spirals: %zu training points, %zu test points\n", train.label.size(),
                test.label.size());

    // ---- 4. Model: a small MLP, checked end to end -----------------------------------------
    // The exercise variant is chosen here, once: the library's nn::linear and activations, or
    // with --use-my-code your exercises::my_linear and (for --activation sigmoid) my_sigmoid.
    const LinearFn linear_map = use_my_code ? exercises::my_linear : nn::linear;
    ActivationFn act = dikkat::tanh;
    if (activation == "relu") act = dikkat::relu;
    if (activation == "sigmoid") act = use_my_code ? exercises::my_sigmoid : dikkat::sigmoid;
    MLP model(hidden, linear_map, act, rng);
    std::printf("\n%s\n", model.summary().c_str());
    // The same finite-difference referee, now through the whole network: the gradient of the
    // loss with respect to a few input points flows back through three layers and the loss.
    const IndexArray few = xt::view(train.label, xt::range(0, gradcheck_points));
    GradcheckResult check_mlp = gradcheck(
        "MLP loss", [&](const std::vector<Tensor>& x) { return cross_entropy(model.forward(x[0]), few); },
        {Array(xt::view(train.xy, xt::range(0, gradcheck_points), xt::all()))}, check_opts);
    std::printf("  %s\n", check_mlp.summary().c_str());

    // ---- 5. Train ---------------------------------------------------------------------------
    // Every step: forward, loss, zero the old gradients, backward, and one Adam step.
    optim::Adam adam(model, {opt.lr});
    io::MetricsWriter metrics(run.file("metrics.csv", "loss and accuracy per step"),
                              {"loss", "train_accuracy"});
    std::vector<float> losses;
    std::vector<double> steps_x;
    const Tensor X(train.xy);
    viz::ProgressBar bar(static_cast<std::size_t>(opt.steps), "train");
    for (int step = 1; step <= opt.steps; ++step) {
        Tensor scores = model.forward(X);
        Tensor loss = cross_entropy(scores, train.label);
        model.zero_grad();
        loss.backward();
        adam.step();
        losses.push_back(loss.item());
        steps_x.push_back(step);
        metrics.log(static_cast<std::size_t>(step), {loss.item(), accuracy(scores, train.label)});
        bar.update(static_cast<std::size_t>(step), {{"loss", loss.item()}});
    }
    bar.finish();

    // ---- 6. What did it learn? --------------------------------------------------------------
    // Accuracy on the training points and on the unseen test points; chance is one half.
    NoGrad no_grad;
    model.eval();
    const float train_acc = accuracy(model.forward(X), train.label);
    const float test_acc = accuracy(model.forward(Tensor(test.xy)), test.label);
    std::printf("\n  loss %s  %.4f -> %.4f\n", viz::sparkline(losses, /*max_width=*/40).c_str(),
                double(losses.front()), double(losses.back()));
    std::printf("\n  accuracy   train %.3f   test %.3f   (chance: 0.5)\n", double(train_acc),
                double(test_acc));

    // The decision boundary: the probability of class 1 at the centre of every cell of a
    // G x G grid covering the plane (G = grid_cells), drawn with the test points on top.
    const Array grid = plane_grid(grid_cells, -plane_extent, plane_extent);           // (G*G, 2)
    Array p1 = xt::view(softmax(model.forward(Tensor(grid))).value(), xt::all(), 1);  // (G*G)
    p1.reshape({grid_cells, grid_cells});  // (G, G): row is y, column is x
    write_decision_boundary(p1, test, -plane_extent, plane_extent,
                            run.file("decision_boundary.svg", "the learned boundary and the test points"));
    // The loss curve, the trained network and the numbers above go to the run folder.
    viz::LinePlot("Training loss")
        .x_label("step")
        .y_label("cross-entropy")
        .log_y()
        .add_series("train loss", steps_x, std::vector<double>(losses.begin(), losses.end()))
        .write_svg(run.file("loss.svg", "the loss curve"));
    io::save_checkpoint(
        run.file("mlp.safetensors", "the trained MLP"), model,
        {{"lesson", "00_autograd"}, {"hidden", std::to_string(hidden)}, {"activation", activation}});
    io::JsonObject summary;
    summary.set("train_accuracy", train_acc)
        .set("test_accuracy", test_acc)
        .set("gradcheck_max_rel_error", std::max(check_expr.max_error, check_mlp.max_error))
        .set("final_loss", losses.back())
        .set("steps", opt.steps)
        .set("seed", opt.seed)
        .set("use_my_code", use_my_code);
    io::write_summary_json(run.file("summary.json", "the numbers above"), summary);
    std::printf("\n%s", run.written().c_str());
    return 0;
} catch (const std::exception& e) {  // dikkat::Error says what is wrong and where
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}

// ---- Helpers ---------------------------------------------------------------------------------

namespace {

// The fraction of rows whose higher score is the right class (2 classes: 0 and 1).
float accuracy(const Tensor& scores, const IndexArray& labels) {
    std::size_t right = 0;
    for (std::size_t i = 0; i < labels.size(); ++i)
        right += (scores.value()(i, 1) > scores.value()(i, 0)) == (labels(i) == 1);
    return static_cast<float>(right) / static_cast<float>(labels.size());
}

// One row of section 1's table: name, op, value and gradient of a scalar node.
void print_row(const char* name, const Tensor& t) {
    std::printf("  %-4s %-12s %10.5f %12.5f\n", name, t.op(), double(t.item()),
                t.has_grad() ? double(t.grad()(0)) : 0.0);
}

// The graph that made f: graph.dot always, graph.svg when Graphviz's `dot` is installed
// (otherwise the DOT text goes to the terminal).
void write_graph(const Tensor& f, const std::string& title, io::RunFolder& run) {
    const std::string dot_path = run.file("graph.dot", "the graph of f (Graphviz DOT)");
    std::ofstream(dot_path) << viz::to_dot(f, title);
    if (std::system("command -v dot > /dev/null 2>&1") != 0) {
        std::printf("\n  Graphviz is not installed; the graph as DOT text:\n%s", viz::to_dot(f).c_str());
        return;
    }
    const std::string svg = run.file("graph.svg", "the graph of f, drawn");
    auto quoted = [](std::string path) {  // for the shell: 'it'\''s' is it's
        for (std::size_t at = 0; (at = path.find('\'', at)) != std::string::npos; at += 4)
            path.replace(at, 1, "'\\''");
        return "'" + path + "'";
    };
    if (std::system(("dot -Tsvg " + quoted(dot_path) + " -o " + quoted(svg)).c_str()) != 0)
        std::printf("  (dot failed to draw %s)\n", svg.c_str());
}

// The centres of a cells x cells grid over the square [lo, hi]^2, one (x, y) per row:
// row r * cells + col is column col (x) of grid row r (y).            -> (cells * cells, 2)
Array plane_grid(std::size_t cells, float lo, float hi) {
    const float n = static_cast<float>(cells);
    Array grid(Shape{cells * cells, 2});
    for (std::size_t r = 0; r < cells; ++r)
        for (std::size_t col = 0; col < cells; ++col) {
            grid(r * cells + col, 0) = lo + (hi - lo) * (static_cast<float>(col) + 0.5f) / n;
            grid(r * cells + col, 1) = lo + (hi - lo) * (static_cast<float>(r) + 0.5f) / n;
        }
    return grid;
}

// P(class 1) over the square [lo, hi]^2 as a red-blue heatmap, the test points on top by class.
void write_decision_boundary(const Array& p1, const data::Points2D& test, float lo, float hi,
                             const std::string& path) {
    std::vector<double> px, py;
    std::vector<int> pc;
    for (std::size_t i = 0; i < test.label.size(); ++i) {
        px.push_back(test.xy(i, 0));
        py.push_back(test.xy(i, 1));
        pc.push_back(test.label(i));
    }
    viz::Heatmap(p1)
        .title("Decision boundary: P(class 1), test points on top")
        .colormap(viz::Colormap::red_blue)
        .range(0.0f, 1.0f)
        .extent(lo, hi, lo, hi)
        .x_label("x")
        .y_label("y")
        .add_points(px, py, pc)
        .write_svg(path);
}

}  // namespace
