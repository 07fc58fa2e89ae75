// Inner loops of the row-wise kernels (softmax, log-softmax, cross-entropy, layer_norm), written
// once and vectorised: a row of a few dozen to a few hundred floats is where these ops spend
// their time, and a scalar loop over it costs several times the arithmetic.
//
// Sums are taken in double, as the scalar loops did, but in SIMD lanes: a float sum of 512
// values near 20 loses about 4e-5 (tests/unit/test_autograd.cpp), a double one nothing that
// shows after rounding to float.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace dikkat::vec {

/// max_i x[i] (n >= 1).
inline float max(const float* x, std::size_t n) {
    float m = x[0];
#pragma omp simd reduction(max : m)
    for (std::size_t i = 0; i < n; ++i) m = std::max(m, x[i]);
    return m;
}

/// sum_i x[i], in double.
inline double sum(const float* x, std::size_t n) {
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(x[i]);
    return s;
}

/// sum_i (x[i] - mean)², in double.
inline double squared_deviation(const float* x, std::size_t n, double mean) {
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (std::size_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(x[i]) - mean;
        s += d * d;
    }
    return s;
}

/// sum_i x[i] * y[i], in double.
inline double dot(const float* x, const float* y, std::size_t n) {
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(x[i] * y[i]);
    return s;
}

/// out[i] = exp(x[i] - shift); returns sum_i out[i] in double. std::exp, one at a time: a
/// vectorised exp (xsimd's, libmvec's) differs from it in the last bit now and then, and every
/// number a lesson prints would move with it; the exps are a few percent of a step.
/// Below -104 a float exp is exactly 0 (the smallest float is e^-103.3): written directly, since
/// std::exp takes a slow path for an underflow — and every hidden score (-1e9) underflows.
inline double exp_shifted(const float* x, float shift, float* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const float d = x[i] - shift;
        out[i] = d < -104.0f ? 0.0f : std::exp(d);
    }
    return sum(out, n);
}

}  // namespace dikkat::vec
