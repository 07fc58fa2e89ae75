// Dikkat's threads (parallel.hpp): every item of a loop runs exactly once, a loop inside a chunk
// stays on its thread, and the ops that split their work give the same numbers at 1 and 2
// threads — values and gradients, bit for bit.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <vector>

#include <dikkat/blas.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/parallel.hpp>
#include <dikkat/random.hpp>

using namespace dikkat;

namespace {
// Sets the thread count for one scope and puts 1 back after it.
struct Threads {
    explicit Threads(int n) { blas::set_num_threads(n); }
    ~Threads() { blas::set_num_threads(1); }
};

// The value and the input gradients of f at x (inputs drawn from `seed`), at `threads` threads.
std::vector<Array> run(int threads, const std::function<Tensor(const std::vector<Tensor>&)>& f,
                       const std::vector<Shape>& shapes, std::uint64_t seed) {
    Threads t(threads);
    Rng rng(seed);
    std::vector<Tensor> x;
    for (const Shape& s : shapes) x.emplace_back(rng.normal_array(s), true);
    Tensor y = f(x);
    sum(y * Tensor(Rng(seed + 1).normal_array(y.shape()))).backward();  // a gradient that is not all ones
    std::vector<Array> out = {y.value()};
    for (const Tensor& xi : x) out.push_back(xi.grad());
    return out;
}

void check_same_at_1_and_2_threads(const char* what,
                                   const std::function<Tensor(const std::vector<Tensor>&)>& f,
                                   const std::vector<Shape>& shapes) {
    CAPTURE(what);
    const std::vector<Array> one = run(1, f, shapes, 7), two = run(2, f, shapes, 7);
    REQUIRE(one.size() == two.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        CAPTURE(i);
        CHECK(one[i] == two[i]);
    }
}
}  // namespace

TEST_CASE("parallel_for runs every item once, in chunks that cover the range, on two threads") {
    Threads t(2);
    constexpr std::size_t n = 100000;
    std::vector<int> seen(n, 0);
    std::atomic<int> chunks{0};
    parallel_for(n, 1, [&](std::size_t first, std::size_t last) {
        ++chunks;
        for (std::size_t i = first; i < last; ++i) ++seen[i];
    });
    CHECK(chunks.load() == 2);
    CHECK(std::count(seen.begin(), seen.end(), 1) == std::ptrdiff_t(n));
}

TEST_CASE("parallel_for keeps small work and loops inside a chunk on the calling thread") {
    Threads t(2);
    std::atomic<int> outer{0}, inner{0};
    parallel_for(10, 1, [&](std::size_t, std::size_t) { ++outer; });  // 10 numbers: not worth a thread
    CHECK(outer.load() == 1);
    parallel_for(100000, 1, [&](std::size_t, std::size_t) {
        parallel_for(100000, 1, [&](std::size_t, std::size_t) { ++inner; });  // nested: one chunk each
    });
    CHECK(inner.load() == 2);
}

TEST_CASE("the ops that split their work give the same values and gradients at 1 and 2 threads") {
    // Sizes large enough to be split: 512 rows of 128 (layer norm, softmax), 128 small products
    // of attention (B·H = 8·16), a product split by rows (600 x 256 x 256) and two by columns
    // (16 x 75 x 8192, a convolution; 32 x 256 x 1024, an LSTM's step).
    check_same_at_1_and_2_threads("softmax", [](const std::vector<Tensor>& x) { return softmax(x[0], -1); },
                                  {{512, 128}});
    check_same_at_1_and_2_threads(
        "log_softmax", [](const std::vector<Tensor>& x) { return log_softmax(x[0], -1); }, {{512, 128}});
    check_same_at_1_and_2_threads("layer_norm",
                                  [](const std::vector<Tensor>& x) { return layer_norm(x[0], x[1], x[2]); },
                                  {{512, 128}, {128}, {128}});
    check_same_at_1_and_2_threads(
        "batched matmul",
        [](const std::vector<Tensor>& x) { return matmul(x[0], x[1], /*transpose_b=*/true); },
        {{8, 16, 20, 32}, {8, 16, 20, 32}});
    check_same_at_1_and_2_threads("matmul split by rows",
                                  [](const std::vector<Tensor>& x) { return matmul(x[0], x[1]); },
                                  {{600, 256}, {256, 256}});
    check_same_at_1_and_2_threads("matmul split by columns",
                                  [](const std::vector<Tensor>& x) { return matmul(x[0], x[1]); },
                                  {{16, 75}, {75, 8192}});
    check_same_at_1_and_2_threads(
        "matmul split by columns, b transposed",
        [](const std::vector<Tensor>& x) { return matmul(x[0], x[1], /*transpose_b=*/true); },
        {{16, 75}, {8192, 75}});
    check_same_at_1_and_2_threads("matmul split by columns, an LSTM's step",
                                  [](const std::vector<Tensor>& x) { return matmul(x[0], x[1]); },
                                  {{32, 256}, {256, 1024}});
    check_same_at_1_and_2_threads("cross_entropy",
                                  [](const std::vector<Tensor>& x) {
                                      IndexArray t = xt::zeros<Index>({std::size_t{512}});
                                      for (std::size_t i = 0; i < t.size(); ++i) t(i) = Index(i % 100);
                                      t(3) = -100;  // one ignored row
                                      return cross_entropy(x[0], t, -100, 0.1f);
                                  },
                                  {{512, 100}});
}

TEST_CASE("set_num_threads sets the threads the BLAS line reports, and refuses 0") {
    {
        Threads t(2);
        CHECK(parallel_threads() == 2);
        CHECK(blas::info().threads == 2);
    }
    CHECK(parallel_threads() == 1);
    CHECK_THROWS_AS(blas::set_num_threads(0), ValueError);
}
