// Per-op overhead: how much an op through the engine costs beyond the raw xtensor arithmetic
// it wraps. Small models are dominated by this (tests/perf/bench), so a node
// should cost its output allocation plus the arithmetic, and little else.
//
// Run: ./build/tests/perf/op_overhead
#include <chrono>
#include <cstdio>
#include <functional>

#include <dikkat/blas.hpp>
#include <dikkat/dikkat.hpp>

using namespace dikkat;

namespace {
// Median-free but steady: best of 5 runs of `reps` calls, in microseconds per call.
double time_us(const std::function<void()>& f, int reps = 2000) {
    double best = 1e30;
    for (int run = 0; run < 5; ++run) {
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) f();
        auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::micro>(t1 - t0).count() / reps);
    }
    return best;
}
}  // namespace

int main(int argc, char** argv) {
    blas::ensure_fast_core(argc, argv);
    std::printf("blas: %s\n\n", blas::describe(blas::info()).c_str());
    Rng rng(0);
    const Array a = rng.normal_array({32, 128});
    const Array b = rng.normal_array({32, 128});
    const Array bias = rng.normal_array({128});
    Tensor ta(a, true), tb(b, true), tbias(bias, true);
    volatile float sink = 0.0f;

    std::printf("%-28s %10s %10s %10s\n", "op on (32, 128)", "raw us", "engine us", "overhead");
    auto row = [&](const char* name, const std::function<void()>& raw, const std::function<void()>& eng) {
        double r = time_us(raw), e = time_us(eng);
        std::printf("%-28s %10.2f %10.2f %9.2fx\n", name, r, e, e / r);
    };
    row(
        "tanh (forward)",
        [&] {
            Array y = xt::tanh(a);
            sink = sink + y(0);
        },
        [&] {
            Tensor y = tanh(ta);
            sink = sink + y.value()(0);
        });
    row(
        "add (forward)",
        [&] {
            Array y = a + b;
            sink = sink + y(0);
        },
        [&] {
            Tensor y = ta + tb;
            sink = sink + y.value()(0);
        });
    row(
        "add bias, broadcast (fwd)",
        [&] {
            Array y = a + bias;
            sink = sink + y(0);
        },
        [&] {
            Tensor y = ta + tbias;
            sink = sink + y.value()(0);
        });
    row(
        "tanh fwd+bwd",
        [&] {
            Array y = xt::tanh(a);
            Array g = b * (1.0f - y * y);
            sink = sink + g(0);
        },
        [&] {
            Tensor y = tanh(ta);
            y.backward(b);
            sink = sink + ta.grad()(0);
            ta.zero_grad();
        });
    {
        NoGrad no_grad;
        row(
            "tanh (forward, NoGrad)",
            [&] {
                Array y = xt::tanh(a);
                sink = sink + y(0);
            },
            [&] {
                Tensor y = tanh(ta);
                sink = sink + y.value()(0);
            });
    }
    return 0;
}
