// Gradient checks in a test: random inputs, and gradcheck (gradcheck.hpp) as a doctest check.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <dikkat/gradcheck.hpp>
#include <dikkat/random.hpp>

/// An array of the given shape drawn from N(0, 1); the same seed gives the same values.
inline dikkat::Array randn(const dikkat::Shape& shape, std::uint64_t seed) {
    dikkat::Rng rng(seed);
    return rng.normal_array(shape);
}

/// Values at least 0.1 apart (for ops with kinks or ties: relu, max, max-pooling): a shuffled ramp
/// -1.05, -0.85, … so no finite-difference step crosses a kink or breaks a tie.
inline dikkat::Array spread(const dikkat::Shape& shape, std::uint64_t seed) {
    dikkat::Array a(shape);
    std::vector<float> v(a.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = -1.0f + 0.2f * static_cast<float>(i) - 0.05f;
    dikkat::Rng rng(seed);
    rng.shuffle(v);
    std::copy(v.begin(), v.end(), a.begin());
    return a;
}

/// Runs gradcheck on f at `inputs` and fails the test case, with gradcheck's summary (the worst
/// element and its error), when backward() disagrees with finite differences.
inline void check_gradients(const std::string& name,
                            const std::function<dikkat::Tensor(const std::vector<dikkat::Tensor>&)>& f,
                            const std::vector<dikkat::Array>& inputs) {
    const dikkat::GradcheckResult r = dikkat::gradcheck(name, f, inputs);
    MESSAGE(r.summary());
    CHECK_MESSAGE(r.passed, r.summary());
}
