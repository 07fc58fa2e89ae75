// Lesson 0 — autograd (first version: the engine at work on one small expression)
// Builds an expression, runs backward(), prints the values and gradients, and checks them
// against finite differences. The full chapter (graph drawing, a trained MLP) builds on this.
// Run: ./build/lessons/00_autograd        Chapter: lessons/00_autograd/README.md

#include <cstdio>

#include <dikkat/dikkat.hpp>

using namespace dikkat;

int main() try {
    // ---- 1. An expression -----------------------------------------------------------------
    // f(a, b) = sum( tanh(a * b + a) ), with a and b small vectors we want gradients for.
    Tensor a(Array{0.5f, -1.0f, 2.0f}, /*requires_grad=*/true);
    Tensor b(Array{1.5f, 0.25f, -0.5f}, /*requires_grad=*/true);
    a.set_name("a");
    b.set_name("b");
    Tensor f = sum(tanh(a * b + a));

    // ---- 2. Backward ------------------------------------------------------------------------
    // One call walks the graph from f back to a and b, applying the chain rule at every op.
    f.backward();
    std::printf("f(a, b) = sum(tanh(a * b + a))\n\n");
    std::printf("  i      a_i      b_i    df/da_i   df/db_i\n");
    for (std::size_t i = 0; i < 3; ++i)
        std::printf("  %zu  %7.3f  %7.3f  %9.5f %9.5f\n", i, double(a.value()(i)),
                    double(b.value()(i)), double(a.grad()(i)), double(b.grad()(i)));
    std::printf("\nf = %.6f\n\n", double(f.item()));

    // ---- 3. Check it ------------------------------------------------------------------------
    // Central differences, (f(x + eps) - f(x - eps)) / 2 eps, element by element.
    auto report = gradcheck(
        "sum(tanh(a*b + a))", [](const std::vector<Tensor>& x) { return sum(tanh(x[0] * x[1] + x[0])); },
        {a.value(), b.value()});
    std::printf("gradcheck %s\n", report.summary().c_str());
    return report.passed ? 0 : 1;
} catch (const dikkat::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
