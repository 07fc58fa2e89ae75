// Lesson 07's vision ops (ops/conv.hpp): conv2d through im2col and one GEMM, pooling and batch
// normalisation. Gradient checks for every op, conv2d against a direct loop, im2col and col2im as
// adjoints, a small convolution worked out by hand, batch norm's statistics and running
// averages against PyTorch's formula, and the shape errors a learner will meet.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <dikkat/blas.hpp>
#include <dikkat/dikkat.hpp>

#include "../support/error_of.hpp"
#include "../support/gradients.hpp"

using namespace dikkat;
using Inputs = std::vector<Tensor>;

namespace {

double dot(const Array& a, const Array& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += static_cast<double>(a.data()[i]) * static_cast<double>(b.data()[i]);
    return s;
}

// conv2d written as its definition: seven nested loops, summed in double.
Array conv2d_reference(const Array& x, const Array& w, const Array& b, std::size_t s, std::size_t p) {
    const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    const std::size_t O = w.shape()[0], KH = w.shape()[2], KW = w.shape()[3];
    const std::size_t Ho = (H + 2 * p - KH) / s + 1, Wo = (W + 2 * p - KW) / s + 1;
    Array y(Shape{N, O, Ho, Wo});
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o)
            for (std::size_t ho = 0; ho < Ho; ++ho)
                for (std::size_t wo = 0; wo < Wo; ++wo) {
                    double acc = static_cast<double>(b(o));
                    for (std::size_t c = 0; c < C; ++c)
                        for (std::size_t i = 0; i < KH; ++i)
                            for (std::size_t j = 0; j < KW; ++j) {
                                const std::size_t h = ho * s + i, v = wo * s + j;  // padded coordinates
                                if (h < p || h >= H + p || v < p || v >= W + p) continue;
                                acc += static_cast<double>(x(n, c, h - p, v - p)) *
                                       static_cast<double>(w(o, c, i, j));
                            }
                    y(n, o, ho, wo) = static_cast<float>(acc);
                }
    return y;
}

// Per-channel mean and biased variance of x (N, C, ...) over every axis but 1, in double.
void channel_stats(const Array& x, std::vector<double>& mean, std::vector<double>& var) {
    const std::size_t N = x.shape()[0], C = x.shape()[1], P = x.size() / (N * C);
    mean.assign(C, 0.0);
    var.assign(C, 0.0);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t p = 0; p < P; ++p) mean[c] += static_cast<double>(x.data()[(n * C + c) * P + p]);
    for (double& m : mean) m /= static_cast<double>(N * P);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t p = 0; p < P; ++p) {
                const double d = static_cast<double>(x.data()[(n * C + c) * P + p]) - mean[c];
                var[c] += d * d;
            }
    for (double& v : var) v /= static_cast<double>(N * P);
}

Tensor t(const Shape& shape) { return Tensor(Array(xt::zeros<float>(shape)), true); }

// batch_norm in training mode with fresh running statistics on every call (gradcheck calls f
// many times; the statistics must not drift between calls).
Tensor bn_train(const Inputs& x) {
    const std::size_t C = x[0].shape()[1];
    Array rm = xt::zeros<float>({C}), rv = xt::ones<float>({C});
    return batch_norm(x[0], x[1], x[2], rm, rv, /*training=*/true);
}

// Sets the thread count for one scope and puts 1 back after it.
struct Threads {
    explicit Threads(int n) { blas::set_num_threads(n); }
    ~Threads() { blas::set_num_threads(1); }
};
}  // namespace

#define CHECK_ERROR_SAYS(expr, ...)                                                                     \
    do {                                                                                                \
        const std::string msg = error_of<ShapeError>([&] { (void)(expr); });                            \
        for (const char* part : {__VA_ARGS__}) CHECK_MESSAGE(msg.find(part) != std::string::npos, msg); \
    } while (0)

// ---- gradient checks -------------------------------------------------------------------------

TEST_CASE("gradcheck: conv2d with a bias") {
    check_gradients("conv2d", [](const Inputs& x) { return conv2d(x[0], x[1], x[2]); },
                    {randn({2, 3, 5, 5}, 1), randn({4, 3, 3, 3}, 2), randn({4}, 3)});
}
TEST_CASE("gradcheck: conv2d without a bias") {
    check_gradients("conv2d (no bias)", [](const Inputs& x) { return conv2d(x[0], x[1], Tensor()); },
                    {randn({2, 2, 4, 4}, 4), randn({3, 2, 3, 3}, 5)});
}
TEST_CASE("gradcheck: conv2d with stride 2") {
    check_gradients("conv2d (stride 2)",
                    [](const Inputs& x) { return conv2d(x[0], x[1], x[2], /*stride=*/2); },
                    {randn({2, 2, 5, 5}, 6), randn({2, 2, 3, 3}, 7), randn({2}, 8)});
}
TEST_CASE("gradcheck: conv2d with padding 1") {
    check_gradients("conv2d (padding 1)",
                    [](const Inputs& x) { return conv2d(x[0], x[1], x[2], /*stride=*/1, /*padding=*/1); },
                    {randn({2, 2, 4, 4}, 9), randn({3, 2, 3, 3}, 10), randn({3}, 11)});
}
TEST_CASE("gradcheck: conv2d with a non-square 2x3 kernel, also strided and padded on a non-square image") {
    check_gradients("conv2d (2x3 kernel)", [](const Inputs& x) { return conv2d(x[0], x[1], x[2]); },
                    {randn({2, 2, 4, 5}, 12), randn({3, 2, 2, 3}, 13), randn({3}, 14)});
    check_gradients("conv2d (2x3 kernel, stride 2, padding 1)",
                    [](const Inputs& x) { return conv2d(x[0], x[1], x[2], /*stride=*/2, /*padding=*/1); },
                    {randn({1, 2, 5, 6}, 15), randn({2, 2, 2, 3}, 16), randn({2}, 17)});
}
TEST_CASE("gradcheck: max_pool2d, with disjoint and overlapping windows") {
    check_gradients("max_pool2d (2, stride 2)", [](const Inputs& x) { return max_pool2d(x[0], 2, 2); },
                    {spread({2, 2, 4, 4}, 18)});
    check_gradients("max_pool2d (3, stride 1)", [](const Inputs& x) { return max_pool2d(x[0], 3, 1); },
                    {spread({1, 2, 5, 5}, 19)});
}
TEST_CASE("gradcheck: avg_pool2d, with disjoint and overlapping windows") {
    check_gradients("avg_pool2d (2, stride 2)", [](const Inputs& x) { return avg_pool2d(x[0], 2, 2); },
                    {randn({2, 2, 4, 4}, 20)});
    check_gradients("avg_pool2d (3, stride 2)", [](const Inputs& x) { return avg_pool2d(x[0], 3, 2); },
                    {randn({1, 2, 5, 5}, 21)});
}
TEST_CASE("gradcheck: global_avg_pool") {
    check_gradients("global_avg_pool", [](const Inputs& x) { return global_avg_pool(x[0]); },
                    {randn({2, 3, 3, 4}, 22)});
}
TEST_CASE("gradcheck: batch_norm in training, 4-D (N, C, H, W)") {
    check_gradients("batch_norm train 4-D", bn_train,
                    {randn({3, 2, 2, 3}, 23), randn({2}, 24), randn({2}, 25)});
}
TEST_CASE("gradcheck: batch_norm in training, 2-D (N, C)") {
    check_gradients("batch_norm train 2-D", bn_train, {randn({5, 3}, 26), randn({3}, 27), randn({3}, 28)});
}
TEST_CASE("gradcheck: batch_norm in evaluation") {
    check_gradients("batch_norm eval",
                    [](const Inputs& x) {
                        Array rm = {0.1f, -0.2f, 0.3f}, rv = {0.5f, 1.5f, 2.0f};
                        return batch_norm(x[0], x[1], x[2], rm, rv, /*training=*/false);
                    },
                    {randn({2, 3, 2, 2}, 29), randn({3}, 30), randn({3}, 31)});
}
TEST_CASE("gradcheck: batch_norm in training catches a backward that ignores the batch statistics") {
    // Evaluation mode with the batch's own statistics as running ones: the same value as
    // training, but a backward that treats mean and variance as constants. gradcheck must see the
    // difference, so the training checks above can fail.
    auto wrong = [](const Inputs& x) {
        std::vector<double> mean, var;
        channel_stats(x[0].value(), mean, var);
        Array rm(Shape{mean.size()}), rv(Shape{var.size()});
        for (std::size_t c = 0; c < mean.size(); ++c) {
            rm(c) = static_cast<float>(mean[c]);
            rv(c) = static_cast<float>(var[c]);
        }
        return batch_norm(x[0], x[1], x[2], rm, rv, /*training=*/false);
    };
    const std::vector<Array> inputs = {randn({3, 2, 2, 3}, 23), randn({2}, 24), randn({2}, 25)};
    const Inputs leaves = {Tensor(inputs[0]), Tensor(inputs[1]), Tensor(inputs[2])};
    const Array same = wrong(leaves).value(), trained = bn_train(leaves).value();
    for (std::size_t i = 0; i < same.size(); ++i)
        CHECK(same.data()[i] == doctest::Approx(trained.data()[i]).epsilon(1e-5));
    CHECK_FALSE(gradcheck("batch_norm (statistics held constant)", wrong, inputs).passed);
}

// ---- values ----------------------------------------------------------------------------------

TEST_CASE("conv2d matches a direct seven-loop convolution on random inputs") {
    struct Case {
        Shape x, w;
        std::size_t stride, padding;
    };
    for (const Case& k : {Case{{2, 3, 7, 6}, {4, 3, 3, 2}, 1, 0}, Case{{2, 3, 7, 6}, {4, 3, 3, 2}, 2, 1},
                          Case{{1, 2, 5, 5}, {3, 2, 5, 5}, 1, 2}, Case{{3, 1, 6, 4}, {2, 1, 1, 1}, 3, 0}}) {
        CAPTURE(shape_str(k.x));
        CAPTURE(k.stride);
        CAPTURE(k.padding);
        const Array x = randn(k.x, 40), w = randn(k.w, 41), b = randn({k.w[0]}, 42);
        const Array y = conv2d(Tensor(x), Tensor(w), Tensor(b), k.stride, k.padding).value();
        const Array expected = conv2d_reference(x, w, b, k.stride, k.padding);
        REQUIRE(y.shape() == expected.shape());
        for (std::size_t i = 0; i < y.size(); ++i)
            CHECK(y.data()[i] == doctest::Approx(expected.data()[i]).epsilon(1e-5));
    }
}

TEST_CASE("im2col and col2im are adjoint: <col2im(c), x> equals <c, im2col(x)>") {
    for (std::size_t padding : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
        CAPTURE(padding);
        const Array x = randn({2, 3, 5, 6}, 50);
        const Array cols = im2col(x, 3, 2, /*stride=*/2, padding);
        const Array c = randn(cols.shape(), 51);
        Array back = xt::zeros<float>(x.shape());
        col2im(c, back, 3, 2, /*stride=*/2, padding);
        CHECK(dot(back, x) == doctest::Approx(dot(c, cols)).epsilon(1e-5));
    }
}

TEST_CASE("im2col lays out a padded 2x2 image window by window, zeros in the padding") {
    const Array x = {{{{1.0f, 2.0f}, {3.0f, 4.0f}}}};  // (1, 1, 2, 2)
    const Array cols = im2col(x, 2, 2, /*stride=*/1, /*padding=*/1);
    REQUIRE(cols.shape() == Shape{4, 9});  // rows (i, j) of the 2x2 kernel, columns the 3x3 outputs
    const Array expected = {{0, 0, 0, 0, 1, 2, 0, 3, 4},   // tap (0, 0) reads x[ho - 1, wo - 1]
                            {0, 0, 0, 1, 2, 0, 3, 4, 0},   // tap (0, 1)
                            {0, 1, 2, 0, 3, 4, 0, 0, 0},   // tap (1, 0)
                            {1, 2, 0, 3, 4, 0, 0, 0, 0}};  // tap (1, 1)
    CHECK(cols == expected);
}

TEST_CASE("conv2d of a 3x3 image with a 2x2 kernel, worked out by hand, value and gradients") {
    // x = 1 2 3    W = 1 2    y[0, 0] = 1*1 + 2*2 + 4*3 + 5*4 = 37, and so on, plus b = 0.5.
    //     4 5 6        3 4
    //     7 8 9
    Tensor x(Array{{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}}, true);
    Tensor w(Array{{{{1, 2}, {3, 4}}}}, true);
    Tensor b(Array{0.5f}, true);
    Tensor y = conv2d(x, w, b);
    CHECK(y.value() == Array{{{{37.5f, 47.5f}, {67.5f, 77.5f}}}});
    sum(y).backward();
    // dW[i, j] = sum of the pixels tap (i, j) reads; dx[h, w] = sum of the taps that read it.
    CHECK(w.grad() == Array{{{{12, 16}, {24, 28}}}});
    CHECK(x.grad() == Array{{{{1, 3, 2}, {4, 10, 6}, {3, 7, 4}}}});
    CHECK(b.grad() == Array{4.0f});
}

TEST_CASE("conv2d with a frozen weight sends a gradient to x only, the same as with a trainable one") {
    const Array xv = randn({2, 3, 5, 5}, 60), wv = randn({4, 3, 3, 3}, 61);
    Tensor x1(xv, true), w1(wv, true), x2(xv, true), w2(wv, false);
    sum(conv2d(x1, w1, Tensor(), 1, 1) * conv2d(x1, w1, Tensor(), 1, 1)).backward();
    sum(conv2d(x2, w2, Tensor(), 1, 1) * conv2d(x2, w2, Tensor(), 1, 1)).backward();
    CHECK(x1.grad() == x2.grad());
    CHECK_FALSE(w2.has_grad());
}

TEST_CASE("max_pool2d takes each window's maximum and sends the gradient to the first one") {
    Tensor x(Array{{{{1, 5, 2, 0}, {3, 5, 1, 4}, {0, 0, 7, 7}, {0, 0, 7, 6}}}}, true);
    Tensor y = max_pool2d(x, 2, 2);
    CHECK(y.value() == Array{{{{5, 4}, {0, 7}}}});
    sum(y).backward();  // ties: 5 at (0, 1) and (1, 1), 0 four times, 7 three times -> the first
    CHECK(x.grad() == Array{{{{0, 1, 0, 0}, {0, 0, 0, 1}, {1, 0, 1, 0}, {0, 0, 0, 0}}}});
}

TEST_CASE("avg_pool2d and global_avg_pool take means") {
    const Array xv = {{{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}}}};
    CHECK(avg_pool2d(Tensor(xv), 2, 2).value() == Array{{{{3.5f, 5.5f}, {11.5f, 13.5f}}}});
    const Array g = global_avg_pool(Tensor(xv)).value();
    CHECK(g.shape() == Shape{1, 1});
    CHECK(g(0, 0) == 8.5f);
}

TEST_CASE(
    "batch_norm in training gives each channel mean 0 and variance 1, and updates the running statistics as "
    "PyTorch does") {
    for (const Shape& shape : {Shape{8, 3, 4, 5}, Shape{16, 3}}) {
        CAPTURE(shape_str(shape));
        Rng rng(70);
        Array xv = rng.normal_array(shape, 0.0f, 2.0f);
        const std::size_t C = 3, P = xv.size() / (shape[0] * C), m = shape[0] * P;
        for (std::size_t i = 0; i < xv.size(); ++i)
            xv.data()[i] += 3.0f * static_cast<float>(i / P % C);  // shifted channels
        const Array rm0 = {0.5f, -1.0f, 2.0f}, rv0 = {1.0f, 2.0f, 3.0f};
        Array rm = rm0, rv = rv0;
        const Array y =
            batch_norm(Tensor(xv), Tensor(Array(xt::ones<float>({C}))), Tensor(Array(xt::zeros<float>({C}))),
                       rm, rv, /*training=*/true, /*momentum=*/0.2f)
                .value();
        std::vector<double> y_mean, y_var, x_mean, x_var;
        channel_stats(y, y_mean, y_var);
        channel_stats(xv, x_mean, x_var);
        for (std::size_t c = 0; c < C; ++c) {
            CHECK(y_mean[c] == doctest::Approx(0.0).epsilon(1e-5).scale(1.0));
            CHECK(y_var[c] == doctest::Approx(1.0).epsilon(1e-4));
            // running = (1 - momentum) * running + momentum * batch statistic (unbiased variance)
            const double unbiased = x_var[c] * static_cast<double>(m) / static_cast<double>(m - 1);
            CHECK(rm(c) ==
                  doctest::Approx(0.8 * static_cast<double>(rm0(c)) + 0.2 * x_mean[c]).epsilon(1e-6));
            CHECK(rv(c) == doctest::Approx(0.8 * static_cast<double>(rv0(c)) + 0.2 * unbiased).epsilon(1e-6));
        }
    }
}

TEST_CASE("batch_norm in evaluation normalises with the running statistics and leaves them unchanged") {
    const Array xv = randn({4, 2, 3, 3}, 80);
    const Array rm0 = {0.5f, -1.0f}, rv0 = {2.0f, 0.25f}, g = {1.5f, -0.5f}, b = {0.1f, 0.2f};
    Array rm = rm0, rv = rv0;
    const Array y = batch_norm(Tensor(xv), Tensor(g), Tensor(b), rm, rv, /*training=*/false).value();
    CHECK(rm == rm0);
    CHECK(rv == rv0);
    for (std::size_t i = 0; i < xv.size(); ++i) {
        const std::size_t c = i / 9 % 2;
        const double expected = static_cast<double>(g(c)) *
                                    (static_cast<double>(xv.data()[i]) - static_cast<double>(rm0(c))) /
                                    std::sqrt(static_cast<double>(rv0(c)) + 1e-5) +
                                static_cast<double>(b(c));
        CHECK(y.data()[i] == doctest::Approx(expected).epsilon(1e-5));
    }
}

TEST_CASE("conv2d, the pools and batch_norm give the same numbers at 1 and 2 threads, bit for bit") {
    auto run = [](int threads) {
        Threads scope(threads);
        Tensor x(randn({8, 8, 16, 16}, 90), true), w(randn({16, 8, 3, 3}, 91), true),
            b(randn({16}, 92), true);
        Tensor gamma(Array(xt::ones<float>({16})), true), beta(Array(xt::zeros<float>({16})), true);
        Array rm = xt::zeros<float>({16}), rv = xt::ones<float>({16});
        Tensor h = batch_norm(conv2d(x, w, b, 1, 1), gamma, beta, rm, rv, true);  // (8, 16, 16, 16)
        Tensor y = global_avg_pool(max_pool2d(h, 2, 2) + avg_pool2d(h, 2, 2));    // (8, 16)
        sum(y * Tensor(randn(y.shape(), 93))).backward();
        return std::vector<Array>{y.value(), x.grad(), w.grad(), b.grad(), gamma.grad(), beta.grad(), rm, rv};
    };
    const std::vector<Array> one = run(1), two = run(2);
    for (std::size_t i = 0; i < one.size(); ++i) {
        CAPTURE(i);
        CHECK(one[i] == two[i]);
    }
}

// ---- shape errors ----------------------------------------------------------------------------

TEST_CASE("conv2d names both shapes when x and the weight do not fit together") {
    CHECK(error_of<ShapeError>([] {
              conv2d(t({2, 3, 8, 8}), t({4, 5, 3, 3}), Tensor());
          }) ==
          "conv2d: x (2, 3, 8, 8) has 3 channels but weight (4, 5, 3, 3) expects 5 (weight is (out, in, KH, "
          "KW))");
    CHECK_ERROR_SAYS(conv2d(t({3, 8, 8}), t({4, 3, 3, 3}), Tensor()), "conv2d: x must be 4-D", "NCHW",
                     "(3, 8, 8)");
    CHECK_ERROR_SAYS(conv2d(t({2, 3, 8, 8}), t({4, 27}), Tensor()), "conv2d: weight must be 4-D",
                     "(out, in, KH, KW)", "(4, 27)");
    CHECK_ERROR_SAYS(conv2d(t({2, 3, 8, 8}), t({4, 3, 3, 3}), t({5})), "conv2d: bias (5,)", "(4,)",
                     "(4, 3, 3, 3)");
    CHECK_ERROR_SAYS(conv2d(t({1, 1, 3, 3}), t({1, 1, 5, 5}), Tensor(), 1, 0), "conv2d: kernel 5",
                     "larger than the padded input", "(1, 1, 3, 3)", "(1, 1, 5, 5)");
    CHECK_ERROR_SAYS(conv2d(t({1, 1, 3, 3}), t({1, 1, 3, 3}), Tensor(), 0, 0),
                     "conv2d: stride must be at least 1", "(1, 1, 3, 3)");
    CHECK_NOTHROW(conv2d(t({1, 1, 3, 3}), t({1, 1, 5, 5}), Tensor(), 1, 1));  // padding makes room
}

TEST_CASE("the pools, im2col and col2im say what does not fit") {
    CHECK_ERROR_SAYS(max_pool2d(t({2, 3, 4}), 2, 2), "max_pool2d: x must be 4-D", "(2, 3, 4)");
    CHECK_ERROR_SAYS(max_pool2d(t({1, 1, 2, 2}), 3, 1), "max_pool2d: kernel 3", "(1, 1, 2, 2)");
    CHECK_ERROR_SAYS(avg_pool2d(t({1, 1, 4, 4}), 2, 0), "avg_pool2d: stride must be at least 1");
    CHECK_ERROR_SAYS(global_avg_pool(t({2, 3})), "global_avg_pool: x must be 4-D", "(2, 3)");
    CHECK_ERROR_SAYS(im2col(Array(xt::zeros<float>({3, 4})), 2, 2, 1, 0), "im2col: x must be 4-D", "(3, 4)");
    Array dx = xt::zeros<float>({1, 2, 4, 4});
    CHECK_ERROR_SAYS(col2im(Array(xt::zeros<float>({8, 10})), dx, 2, 2, 1, 0), "col2im: cols (8, 10)",
                     "(8, 9)", "(1, 2, 4, 4)");
    CHECK_ERROR_SAYS(window_out_size("pool", 4, 0, 1, 0), "pool: kernel size must be at least 1");
    CHECK(window_out_size("pool", 32, 3, 2, 1) == 16);
}

TEST_CASE("batch_norm names the shapes that are not one per channel") {
    Array rm = xt::zeros<float>({3}), rv = xt::ones<float>({3}), rv4 = xt::ones<float>({4});
    CHECK_ERROR_SAYS(batch_norm(t({2, 3, 4}), t({3}), t({3}), rm, rv, true),
                     "batch_norm: x must be 2-D (N, C) or 4-D", "(2, 3, 4)");
    CHECK_ERROR_SAYS(batch_norm(t({2, 3, 4, 4}), t({4}), t({3}), rm, rv, true), "batch_norm: gamma (4,)",
                     "beta (3,)", "(3,)", "(2, 3, 4, 4)");
    CHECK_ERROR_SAYS(batch_norm(t({2, 3}), t({3}), t({3}), rm, rv4, false), "batch_norm: running_mean (3,)",
                     "running_var (4,)", "(2, 3)");
    CHECK_ERROR_SAYS(batch_norm(t({1, 3}), t({3}), t({3}), rm, rv, true),
                     "batch_norm: training needs more than one", "(1, 3)");
    CHECK_NOTHROW(
        batch_norm(t({1, 3}), t({3}), t({3}), rm, rv, false));  // evaluation needs no batch statistics
}
