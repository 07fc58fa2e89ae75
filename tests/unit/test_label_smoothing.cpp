// Label smoothing in cross_entropy (ops/loss.hpp): the loss and gradient against a hand
// computation, the unsmoothed loss exactly at 0, and the values it refuses.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <dikkat/dikkat.hpp>

#include "../support/error_of.hpp"

using namespace dikkat;

// ---- label smoothing (ops/loss.hpp) ---------------------------------------------------------

namespace {
// Three rows of four scores; the middle row is padding, with scores that would change any mean.
Array smoothing_logits() {
    return Array{{1.0f, -0.5f, 2.0f, 0.25f}, {5.0f, -5.0f, 0.0f, 9.0f}, {0.5f, 0.25f, -1.0f, 0.0f}};
}
const IndexArray smoothing_targets = {2, -100, 0};

// L = (1-ε)(logZ - z_t) + ε(logZ - mean_c z_c) per counted row, averaged over the counted rows,
// all in double. Its gradient is (softmax(z) - (1-ε) onehot(t) - ε/C) / N.
double smoothed_loss_by_hand(const Array& z, const IndexArray& t, double eps, Array* grad) {
    const std::size_t rows = z.shape()[0], C = z.shape()[1];
    double total = 0.0;
    std::size_t counted = 0;
    for (std::size_t r = 0; r < rows; ++r)
        if (t(r) != -100) ++counted;
    if (grad) *grad = xt::zeros<float>(z.shape());
    for (std::size_t r = 0; r < rows; ++r) {
        if (t(r) == -100) continue;
        double s = 0.0, zsum = 0.0;
        for (std::size_t c = 0; c < C; ++c) {
            s += std::exp(double(z(r, c)));
            zsum += double(z(r, c));
        }
        const double log_z = std::log(s), z_t = double(z(r, std::size_t(t(r))));
        total += (1.0 - eps) * (log_z - z_t) + eps * (log_z - zsum / double(C));
        if (grad)
            for (std::size_t c = 0; c < C; ++c)
                (*grad)(r, c) = float((std::exp(double(z(r, c))) / s -
                                       (c == std::size_t(t(r)) ? 1.0 - eps : 0.0) - eps / double(C)) /
                                      double(counted));
    }
    return total / double(counted);
}
}  // namespace

TEST_CASE("cross_entropy with label smoothing 0.2 equals the hand computation, padding rows skipped") {
    Tensor z(smoothing_logits(), true);
    Tensor loss = cross_entropy(z, smoothing_targets, -100, 0.2f);
    Array expected_grad;
    const double expected = smoothed_loss_by_hand(z.value(), smoothing_targets, 0.2, &expected_grad);
    CHECK(expected == doctest::Approx(0.9092458790470263).epsilon(1e-12));  // the formula, worked in Python
    CHECK(double(loss.item()) == doctest::Approx(expected).epsilon(1e-6));
    loss.backward();
    CHECK(double(z.grad()(0, 2)) == doctest::Approx(-0.11706862068474325).epsilon(1e-5));
    CHECK(double(z.grad()(2, 1)) == doctest::Approx(0.1242835436404098).epsilon(1e-5));
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < 4; ++c)
            CHECK_MESSAGE(
                double(z.grad()(r, c)) == doctest::Approx(double(expected_grad(r, c))).epsilon(1e-5), "at (",
                r, ", ", c, ")");
    for (std::size_t c = 0; c < 4; ++c) CHECK(z.grad()(1, c) == 0.0f);  // the padding row gets nothing
}

TEST_CASE("cross_entropy with label smoothing 0 is the unsmoothed loss, value and gradient") {
    Tensor plain(smoothing_logits(), true), zero(smoothing_logits(), true);
    Tensor a = cross_entropy(plain, smoothing_targets, -100);
    Tensor b = cross_entropy(zero, smoothing_targets, -100, 0.0f);
    CHECK(a.item() == b.item());
    CHECK(double(b.item()) == doctest::Approx(0.7217458790470263).epsilon(1e-6));  // -mean log softmax(z)_t
    a.backward();
    b.backward();
    CHECK(plain.grad() == zero.grad());
    Array expected_grad;
    smoothed_loss_by_hand(smoothing_logits(), smoothing_targets, 0.0, &expected_grad);
    for (std::size_t i = 0; i < expected_grad.size(); ++i)
        CHECK(double(zero.grad().data()[i]) ==
              doctest::Approx(double(expected_grad.data()[i])).epsilon(1e-6));
    // Smoothing 0.2 adds 0.2 (z_t - mean z) per counted row, averaged: 0.2 (1.3125 + 0.5625) / 2.
    const Tensor smoothed = cross_entropy(Tensor(smoothing_logits()), smoothing_targets, -100, 0.2f);
    CHECK(double(smoothed.item() - b.item()) == doctest::Approx(0.1875).epsilon(1e-5));
}

TEST_CASE("cross_entropy with label smoothing 0 gives bit for bit the loss it gave before smoothing") {
    // The loss of a row is (float)(m - z_t) + log s, with m the largest score and s = sum e^(z - m).
    // Smoothing must not change how it is rounded: (m + log s) - z_t in double would move about
    // one loss in ten by a unit in the last place (here 0.4 - (-3) = 3.4 is not a float).
    const Array z = {{-3.0f, 0.4f, 0.0f}};
    const IndexArray t = {0};
    const float m = 0.4f;
    double s = 0.0;
    for (float v : z) s += double(std::exp(v - m));
    const float before = float(double(m - z(0, 0)) + std::log(s));  // 3.93279862
    CHECK(cross_entropy(Tensor(z), t, -100, 0.0f).item() == before);
    CHECK(cross_entropy(Tensor(z), t).item() == before);
}

TEST_CASE("cross_entropy refuses label smoothing below 0 or at 1 and above, naming the value") {
    Tensor z(smoothing_logits(), true);
    CHECK_THROWS_WITH_AS(cross_entropy(z, smoothing_targets, -100, -0.1f),
                         doctest::Contains("label_smoothing is -0.1"), ValueError);
    CHECK_THROWS_WITH_AS(cross_entropy(z, smoothing_targets, -100, 1.0f),
                         doctest::Contains("label_smoothing is 1"), ValueError);
    CHECK_THROWS_WITH_AS(cross_entropy(z, smoothing_targets, -100, 2.5f),
                         doctest::Contains("label_smoothing is 2.5"), ValueError);
    CHECK_THROWS_AS(cross_entropy(z, smoothing_targets, -100, std::numeric_limits<float>::quiet_NaN()),
                    ValueError);
    CHECK_NOTHROW(cross_entropy(z, smoothing_targets, -100, 0.999f));
}
