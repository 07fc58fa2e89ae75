// The bigram baseline: counts, add-k smoothing, nats per token, and its errors.
#include <doctest/doctest.h>

#include <cmath>

#include <dikkat/error.hpp>
#include <dikkat/eval/bigram.hpp>

using namespace dikkat;

TEST_CASE("a bigram model that has seen every pair scores them by their counts, add-k smoothed") {
    // train: 0 1 0 1 0 2  ->  after 0: "1" twice, "2" once; after 1: "0" twice
    const std::vector<Index> train = {0, 1, 0, 1, 0, 2};
    const double k = 0.5;
    // valid: 0 1, 1 0  ->  P(1|0) = (2 + .5)/(3 + 1.5), P(0|1) = (2 + .5)/(2 + 1.5)
    const double expected = -(std::log(2.5 / 4.5) + std::log(2.5 / 3.5)) / 2;
    CHECK(eval::bigram_nats_per_token(train, {0, 1, 0}, 3, k) == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("a pair never seen still gets probability k over the row's total, never zero") {
    const std::vector<Index> train = {0, 1, 0, 1};
    const double nats = eval::bigram_nats_per_token(train, {1, 1}, 2, 0.1);  // "1 1" never seen
    CHECK(nats == doctest::Approx(-std::log(0.1 / (1 + 0.2))).epsilon(1e-12));
}

TEST_CASE("the bigram model names an id outside the vocabulary, a bad k and a text too short") {
    CHECK_THROWS_WITH_AS(eval::bigram_nats_per_token({0, 1, 5}, {0, 1}, 3),
                         doctest::Contains("training token 2 is id 5"), ValueError);
    CHECK_THROWS_WITH_AS(eval::bigram_nats_per_token({0, 1}, {0, -1}, 3),
                         doctest::Contains("validation token 1 is id -1"), ValueError);
    CHECK_THROWS_WITH_AS(eval::bigram_nats_per_token({0, 1}, {0, 1}, 3, 0.0),
                         doctest::Contains("k must be positive"), ValueError);
    CHECK_THROWS_WITH_AS(eval::bigram_nats_per_token({0, 1}, {0}, 3),
                         doctest::Contains("at least two tokens"), ValueError);
}
