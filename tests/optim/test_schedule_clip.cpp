// Learning-rate schedules and gradient clipping.
#include <doctest/doctest.h>

#include <cmath>

#include <dikkat/optim.hpp>

using namespace dikkat;

TEST_CASE("Constant keeps the base learning rate") {
    optim::Constant c;
    CHECK(c.factor(0) == 1.0f);
    CHECK(c.lr_at(1000, 3e-4f) == 3e-4f);
}

TEST_CASE("WarmupCosine rises linearly, then falls along a half cosine to its floor") {
    optim::WarmupCosine s(/*warmup=*/10, /*total=*/110, /*min_factor=*/0.1f);
    CHECK(s.factor(0) == doctest::Approx(0.1));
    CHECK(s.factor(4) == doctest::Approx(0.5));
    CHECK(s.factor(9) == doctest::Approx(1.0));
    CHECK(s.factor(10) == doctest::Approx(1.0));
    CHECK(s.factor(60) == doctest::Approx(0.55));  // half way: min + (1 - min) / 2
    CHECK(s.factor(110) == doctest::Approx(0.1));
    CHECK(s.factor(5000) == doctest::Approx(0.1));
    for (std::size_t t = 10; t < 110; ++t) CHECK(s.factor(t + 1) <= s.factor(t));
    CHECK_THROWS_AS(optim::WarmupCosine(20, 10), ValueError);
}

TEST_CASE("InverseSqrt warms up to 1 and then decays as 1/sqrt(step)") {
    optim::InverseSqrt s(/*warmup=*/4);
    CHECK(s.factor(0) == doctest::Approx(0.25));
    CHECK(s.factor(3) == doctest::Approx(1.0));
    CHECK(s.factor(15) == doctest::Approx(0.5));  // sqrt(4 / 16)
    CHECK(s.factor(399) == doctest::Approx(0.1));
}

TEST_CASE(
    "SlantedTriangular rises for the first tenth, then falls slowly, between 1/32 of the peak and the peak") {
    optim::SlantedTriangular s(/*total=*/100);  // cut_frac 0.1, ratio 32: the peak at step 10
    CHECK(s.factor(0) == doctest::Approx(1.0 / 32));
    CHECK(s.factor(5) == doctest::Approx((1 + 0.5 * 31) / 32));
    CHECK(s.factor(10) == doctest::Approx(1.0));
    CHECK(s.factor(55) == doctest::Approx((1 + 0.5 * 31) / 32));  // half way down: 45 of 90 steps
    CHECK(s.factor(99) == doctest::Approx((1 + 31.0 / 90) / 32));
    CHECK(s.factor(100) == doctest::Approx(1.0 / 32));
    for (std::size_t t = 0; t < 10; ++t) CHECK(s.factor(t + 1) > s.factor(t));
    for (std::size_t t = 10; t < 99; ++t) CHECK(s.factor(t + 1) < s.factor(t));
    CHECK_THROWS_AS(optim::SlantedTriangular(0), ValueError);
    CHECK_THROWS_AS(optim::SlantedTriangular(100, 1.5f), ValueError);
    CHECK_THROWS_AS(optim::SlantedTriangular(100, 0.1f, 0.5f), ValueError);
}

TEST_CASE("clip_grad_norm scales all gradients together and returns the norm before clipping") {
    Tensor a(Array{0.0f, 0.0f}, true), b(Array{0.0f}, true), frozen(Array{0.0f});
    a.mutable_grad() = Array{3.0f, 0.0f};
    b.mutable_grad() = Array{4.0f};
    const float norm = optim::clip_grad_norm({a, b, frozen}, /*max_norm=*/1.0f);
    CHECK(norm == doctest::Approx(5.0));
    CHECK(a.grad()(0) == doctest::Approx(0.6));
    CHECK(b.grad()(0) == doctest::Approx(0.8));
    CHECK_FALSE(frozen.has_grad());
    // Below the limit nothing changes.
    CHECK(optim::clip_grad_norm({a, b}, 10.0f) == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(b.grad()(0) == doctest::Approx(0.8));
}
