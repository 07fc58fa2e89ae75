// Inner loops of the row-wise kernels (softmax, log-softmax, cross-entropy, layer_norm) and of
// ReLU, written once and vectorised: a row of a few dozen to a few hundred floats is where these ops spend
// their time, and a scalar loop over it costs several times the arithmetic.
//
// Sums are taken in double (a float sum of 512 values near 20 loses about 4e-5;
// tests/unit/test_autograd.cpp) and in order, first to last. Added in SIMD lanes instead, a sum
// differs in its last bits; rounding to float hides that almost always, but not always — a
// transformer's 100 million row sums in training meet a few such flips, and the lesson's BLEU
// moved in the third decimal. What vectorises is the exp beside the sum (exp_shifted).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dikkat::vec {

/// max_i x[i] (n >= 1). A maximum is the same in any order (NaNs after the first element are
/// passed over, as std::max(m, x) does), so it runs in eight lanes.
inline float max(const float* x, std::size_t n) {
    std::size_t i = 1;
    float m = x[0];
    if (n >= 16) {
        float lane[8];
        for (std::size_t j = 0; j < 8; ++j) lane[j] = x[j];
        for (i = 8; i + 8 <= n; i += 8)
            for (std::size_t j = 0; j < 8; ++j) lane[j] = x[i + j] > lane[j] ? x[i + j] : lane[j];
        m = lane[0];
        for (std::size_t j = 1; j < 8; ++j) m = lane[j] > m ? lane[j] : m;
    }
    for (; i < n; ++i) m = x[i] > m ? x[i] : m;
    return m;
}

/// sum_i x[i], in double, in order.
inline double sum(const float* x, std::size_t n) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(x[i]);
    return s;
}

/// out[j] = sum_i term(j, x[j n + i]) for `rows` consecutive rows of n floats: in double and, in
/// each row, in order — the same double as a plain loop over that row — but four rows at a time,
/// so that four chains of additions overlap instead of each add waiting for the one before.
template <class Term>
inline void row_reduce(const float* x, std::size_t rows, std::size_t n, double* out, Term term) {
    std::size_t j = 0;
    for (; j + 4 <= rows; j += 4) {
        const float* a = x + j * n;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            s0 += term(j, a[i]);
            s1 += term(j + 1, a[n + i]);
            s2 += term(j + 2, a[2 * n + i]);
            s3 += term(j + 3, a[3 * n + i]);
        }
        out[j] = s0, out[j + 1] = s1, out[j + 2] = s2, out[j + 3] = s3;
    }
    for (; j < rows; ++j) {
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) s += term(j, x[j * n + i]);
        out[j] = s;
    }
}

/// Each row's sum (row_reduce of the values).
inline void row_sums(const float* x, std::size_t rows, std::size_t n, double* sums) {
    row_reduce(x, rows, n, sums, [](std::size_t, float v) { return static_cast<double>(v); });
}

/// Each row's sum of squared deviations from means[j] (row_reduce of (x - mean)²).
inline void row_squared_deviations(const float* x, std::size_t rows, std::size_t n, const double* means,
                                   double* out) {
    row_reduce(x, rows, n, out, [means](std::size_t j, float v) {
        const double d = static_cast<double>(v) - means[j];
        return d * d;
    });
}

/// y[i] = max(x[i], 0). y may be x.
inline void relu(const float* x, float* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = std::max(x[i], 0.0f);
}

/// ReLU's backward on the output y: g[i] stays where y[i] > 0 and becomes 0 elsewhere. A select,
/// not a branch: half the signs are random, and a mispredicted branch per element made this loop
/// cost more than a feed-forward layer's products.
inline void relu_backward(float* g, const float* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) g[i] = y[i] > 0.0f ? g[i] : 0.0f;
}

// ---- exp ---------------------------------------------------------------------------------
// e^x exactly as std::exp computes it with Debian 12's glibc (its expf, the algorithm of Arm's
// optimized-routines), written out so that the compiler can inline it and run eight at once:
//
//     x = (k + r) ln2 / 32, k an integer, |r| <= 1/2     e^x = 2^(k/32) · 2^(r/32)
//
// 2^(k/32) is 2^(k mod 32 / 32) from a table of 32 doubles with k / 32 added to the exponent
// bits; 2^(r/32) is a cubic in r; all in double with the same fused multiply-adds, rounded to
// float once. Below -103.97 the result is 0, above 88.72 infinity, as glibc's. Every one of the
// 2^32 float bit patterns gives the same bits as std::exp (NaN: a NaN) — checked once
// exhaustively; tests/unit/test_autograd.cpp checks a dense sample — so no lesson's numbers
// moved when the softmaxes started using it. It is five times faster: no call, no errno, and
// eight at a time.
namespace detail {
// The bits of 2^(i/32) minus i << 47 (so that adding k << 47 puts k / 32 in the exponent).
inline constexpr std::uint64_t exp2_table[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51, 0x3fef72b83c7d517b,
    0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1, 0x3fef06fe0a31b715, 0x3feef1a7373aa9cb,
    0x3feedea64c123422, 0x3feece086061892d, 0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429,
    0x3feea47eb03a5585, 0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d, 0x3feee89f995ad3ad,
    0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069, 0x3fef5818dcfba487, 0x3fef7c97337b9b5f,
    0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

// e^x for -103.97 <= x <= 88.72 (glibc's main path).
inline float exp_core(float x) {
    constexpr double n_over_ln2 = 0x1.71547652b82fep+5, shift = 0x1.8p+52;  // 32/ln2, 1.5·2^52
    const double xd = x;
    const double z = std::fma(n_over_ln2, xd, shift);  // k in the low bits of z
    std::uint64_t k;
    std::memcpy(&k, &z, sizeof k);
    const double kd = z - shift;
    const double r = std::fma(n_over_ln2, xd, -kd);
    const std::uint64_t t = exp2_table[k & 31] + (k << 47);
    double s;  // 2^(k/32)
    std::memcpy(&s, &t, sizeof s);
    const double p = std::fma(r, 0x1.c6af84b912394p-20, 0x1.ebfce50fac4f3p-13);
    double y = std::fma(r, 0x1.62e42ff0c52d6p-6, 1.0);
    y = std::fma(p, r * r, y);
    return static_cast<float>(y * s);
}
}  // namespace detail

/// e^x, bit for bit std::exp's (see above).
inline float exp(float x) {
    const float e = detail::exp_core(x);  // computed either way: the branches below vectorise as blends
    return x < -0x1.9fe368p6f ? 0.0f : x > 0x1.62e42ep6f ? HUGE_VALF : e;
}

/// out[i] = exp(x[i] - shift). out may be x.
inline void exp_minus(const float* x, float shift, float* out, std::size_t n) {
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i) out[i] = vec::exp(x[i] - shift);
}

/// exp_minus, returning sum_i out[i] in double.
inline double exp_shifted(const float* x, float shift, float* out, std::size_t n) {
    exp_minus(x, shift, out, n);
    return sum(out, n);
}

}  // namespace dikkat::vec
