// graph_depth (autograd.hpp): the longest chain of ops from a leaf to a tensor — what lesson 4
// measures an RNN's and a transformer's training step with.
#include <doctest/doctest.h>

#include <vector>

#include <dikkat/dikkat.hpp>

using namespace dikkat;

// ---- graph_depth (autograd.hpp) ---------------------------------------------------------------

TEST_CASE("graph_depth of a leaf is 0 and of x * 2 is 1") {
    Tensor x(Array{1.0f, 2.0f}, true);
    CHECK(graph_depth(x) == 0);
    CHECK(graph_depth(x * 2.0f) == 1);
}

TEST_CASE("graph_depth of a chain of n ops is n") {
    Tensor x(Array{0.5f}, true);
    Tensor y = x;
    for (std::size_t n = 1; n <= 25; ++n) {
        y = n % 2 ? tanh(y) : y * 1.5f;
        CHECK(graph_depth(y) == n);
    }
}

TEST_CASE("graph_depth counts the longest path when an op reads a deep and a shallow input") {
    Tensor x(Array{0.5f, -0.5f}, true);
    Tensor g = tanh(exp(x * 3.0f));  // depth 3
    CHECK(graph_depth(g + x) == 4);  // f(g(x), x): through g, not straight from x
    CHECK(graph_depth(x + g) == 4);  // whichever input comes first
    CHECK(graph_depth(x * x) == 1);
}

TEST_CASE("graph_depth of a tensor that needs no gradient is 0") {
    Tensor c(Array{1.0f, 2.0f});
    CHECK(graph_depth(tanh(c * 2.0f + 1.0f)) == 0);
    Tensor x(Array{1.0f}, true);
    NoGrad no_grad;
    CHECK(graph_depth(tanh(x * 2.0f)) == 0);  // recorded without a graph
}

TEST_CASE("graph_depth counts a shared subexpression once along the longest path of a diamond") {
    Tensor x(Array{0.25f}, true);
    Tensor h = tanh(x * 2.0f);     // depth 2
    Tensor y = h * 3.0f + exp(h);  // two branches of depth 3 meet: 4
    CHECK(graph_depth(y) == 4);
    Tensor d = x;
    for (int level = 0; level < 30; ++level) d = d * 2.0f + d * 0.5f;  // 2^30 paths, 2 ops per level
    CHECK(graph_depth(d) == 60);
}
