// A training step with NaN or Inf in it stops the training, before the optimizer can spread it
// into the weights, naming the step and — when the step can run again — the op that made it.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <dikkat/dikkat.hpp>
#include <dikkat/optim/guard.hpp>

using namespace dikkat;

TEST_CASE("check_finite_step lets finite steps pass and stops a NaN or Inf, naming the step and the op") {
    optim::check_finite_step(3, 2.5, 10.0);
    optim::check_finite_step(3, 2.5, 10.0, [] { FAIL("a finite step must not run again"); });
    const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(optim::check_finite_step(7, nan, 1.0),
                         doctest::Contains("training diverged at step 7: the loss is nan"), ValueError);
    CHECK_THROWS_WITH_AS(optim::check_finite_step(8, 1.0, inf),
                         doctest::Contains("at step 8: the gradient norm is inf"), ValueError);
    CHECK_THROWS_WITH_AS(optim::check_finite_step(9, nan, 1.0), doctest::Contains("lower learning rate"),
                         ValueError);
    // Run again under anomaly mode, the step names the first op whose output holds NaN or Inf.
    Tensor x(Array{1.0f, 0.0f, 2.0f}, true);
    CHECK_THROWS_WITH_AS(optim::check_finite_step(4, -inf, 1.0, [&] { sum(log(x)).backward(); }),
                         doctest::Contains("Where it started: anomaly: log produced -inf at [1]"),
                         ValueError);
    CHECK_FALSE(detect_anomaly());  // on only while the step ran again
}
