// The op sweep's harness (tests/unit/test_op_sweep.cpp): how a case draws its shapes, axes and
// values; the rules an op must follow (NumPy's broadcasting, axes, windows), written out here
// independently of the library; and the checks every call goes through — the result's shape and
// values, its gradients, or exactly the error the op's header documents, naming the op.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <dikkat/dikkat.hpp>

namespace op_sweep {

using namespace dikkat;

// The case being run, for the program's last words if it crashes (test_op_sweep.cpp writes it).
inline char g_case[128] = "no case yet";

constexpr std::uint64_t cases = 1000;  // per op

using Idx = std::vector<std::size_t>;  // a multi-index

// ---- drawing shapes, axes and values ----------------------------------------------------

inline std::size_t pick(Rng& rng, std::size_t n) { return rng.below(static_cast<std::uint32_t>(n)); }
inline bool chance(Rng& rng, std::size_t one_in) { return pick(rng, one_in) == 0; }

// A size from 0 to 4; 0 (an empty dimension) about one time in eight.
inline std::size_t random_dim(Rng& rng) { return chance(rng, 8) ? 0 : 1 + pick(rng, 4); }

// A kernel size or stride: 1 to 3, and one time in eight 0.
inline std::size_t random_window(Rng& rng) { return chance(rng, 8) ? 0 : 1 + pick(rng, 3); }

inline Shape random_shape(Rng& rng, std::size_t min_rank = 0, std::size_t max_rank = 4) {
    Shape s(min_rank + pick(rng, max_rank - min_rank + 1));
    for (auto& d : s) d = random_dim(rng);
    return s;
}

// An axis in [-rank, rank) (negative counts from the end), or, one time in five (always for
// rank 0), one or two past either end.
inline std::ptrdiff_t random_axis(Rng& rng, std::size_t rank) {
    const auto r = static_cast<std::ptrdiff_t>(rank);
    const auto one_or_two = static_cast<std::ptrdiff_t>(pick(rng, 2));
    if (rank == 0 || chance(rng, 5)) return chance(rng, 2) ? r + one_or_two : -r - 1 - one_or_two;
    return static_cast<std::ptrdiff_t>(pick(rng, 2 * rank)) - r;
}

inline Shape joined(const Shape& a, const Shape& b) {
    Shape s = a;
    for (std::size_t d : b) s.push_back(d);
    return s;
}

// A shape to combine with `a` elementwise: mostly one that broadcasts with it (a with leading
// axes dropped or added, some sizes set to 1), sometimes with one size redrawn (which usually
// breaks it), sometimes any shape at all.
inline Shape partner(Rng& rng, const Shape& a) {
    if (chance(rng, 6)) return random_shape(rng);
    Shape b(a.begin() + static_cast<std::ptrdiff_t>(pick(rng, a.size() + 1)), a.end());
    for (auto& d : b)
        if (chance(rng, 3)) d = 1;
    if (chance(rng, 5)) b = joined(Shape{random_dim(rng)}, b);  // one more leading axis
    if (!b.empty() && chance(rng, 4)) b[pick(rng, b.size())] = random_dim(rng);
    return b;
}

// A shape with as many elements as `s` (its sizes merged, 1s added, reordered), or, one time
// in four, any shape.
inline Shape same_count_shape(Rng& rng, const Shape& s) {
    if (chance(rng, 4)) return random_shape(rng);
    Shape t;
    for (std::size_t d : s)
        if (!t.empty() && chance(rng, 3))
            t.back() *= d;
        else
            t.push_back(d);
    if (chance(rng, 3)) t = joined(t, Shape{1});
    std::vector<std::size_t> order(t.begin(), t.end());
    rng.shuffle(order);
    return Shape(order.begin(), order.end());
}

// A permutation of `rank` axes; one time in five it is not one (too short or long, or holding
// a repeated or out-of-range axis).
inline std::vector<std::size_t> random_perm(Rng& rng, std::size_t rank) {
    std::vector<std::size_t> perm(rank);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    rng.shuffle(perm);
    if (chance(rng, 5)) {
        if (!perm.empty() && chance(rng, 2))
            perm[pick(rng, perm.size())] = pick(rng, rank + 2);
        else if (!perm.empty() && chance(rng, 2))
            perm.pop_back();
        else
            perm.push_back(pick(rng, rank + 1));
    }
    return perm;
}

// A leaf of shape s with numbers in [lo, hi); three times in four it requires a gradient.
inline Tensor leaf(Rng& rng, const Shape& s, float lo = -2.0f, float hi = 2.0f) {
    Array value = rng.uniform_array(s, lo, hi);
    const bool requires_grad = !chance(rng, 4);
    return Tensor(std::move(value), requires_grad);
}

// 0s and 1s (now and then a 2: any non-zero keeps).
inline Array random_keep(Rng& rng, const Shape& s) {
    Array keep(s);
    for (float& k : keep) k = chance(rng, 3) ? 0.0f : chance(rng, 8) ? 2.0f : 1.0f;
    return keep;
}

// ---- the rules, written out here independently of the library -------------------------------

// NumPy's broadcasting: align from the right; sizes must be equal or one of them 1.
inline std::optional<Shape> numpy_broadcast(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (std::size_t i = 0; i < n; ++i) {  // i-th axis from the right
        const std::size_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
        const std::size_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (x != y && x != 1 && y != 1) return std::nullopt;
        out[n - 1 - i] = x == 1 ? y : x;
    }
    return out;
}

// A Python-style axis as an index in [0, rank), if it is one.
inline std::optional<std::size_t> axis_in(std::ptrdiff_t axis, std::size_t rank) {
    const auto r = static_cast<std::ptrdiff_t>(rank);
    if (axis < -r || axis >= r) return std::nullopt;
    return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

inline bool is_permutation_of(const std::vector<std::size_t>& perm, std::size_t rank) {
    std::vector<std::size_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
        if (sorted[i] != i) return false;
    return sorted.size() == rank;
}

/// "2 0 1 ", for a case's description.
inline std::string perm_str(const std::vector<std::size_t>& perm) {
    std::string s;
    for (std::size_t p : perm) s += std::to_string(p) + " ";
    return s;
}

/// The shape `s` with its axes reordered by `perm` (a permutation of s's axes): r[d] = s[perm[d]].
inline Shape permuted(const Shape& s, const std::vector<std::size_t>& perm) {
    Shape r(perm.size());
    for (std::size_t d = 0; d < perm.size(); ++d) r[d] = s[perm[d]];
    return r;
}

/// Where element `out` of x permuted by `perm` comes from in x: in[perm[d]] = out[d].
inline Idx unpermuted(const Idx& out, const std::vector<std::size_t>& perm) {
    Idx in(out.size());
    for (std::size_t d = 0; d < out.size(); ++d) in[perm[d]] = out[d];
    return in;
}

inline Shape without(const Shape& s, std::size_t axis) {
    Shape r = s;
    r.erase(r.begin() + static_cast<std::ptrdiff_t>(axis));
    return r;
}

// Output size of a window (no dilation), if the window fits: floor((size + 2p - k) / s) + 1.
inline std::optional<std::size_t> window(std::size_t size, std::size_t k, std::size_t s, std::size_t p) {
    if (s == 0 || k == 0 || k > size + 2 * p) return std::nullopt;
    return (size + 2 * p - k) / s + 1;
}

// ---- indices ------------------------------------------------------------------------------

inline Idx unravel(const Shape& s, std::size_t flat) {
    Idx idx(s.size());
    for (std::size_t d = s.size(); d-- > 0;) {
        idx[d] = flat % s[d];
        flat /= s[d];
    }
    return idx;
}

inline std::size_t ravel(const Shape& s, const Idx& idx) {
    std::size_t flat = 0;
    for (std::size_t d = 0; d < s.size(); ++d) flat = flat * s[d] + idx[d];
    return flat;
}

// The element of an operand of shape `from` that position idx of the broadcast result reads:
// from's axes line up with idx's last ones; a size-1 axis always reads its element 0.
inline std::size_t source(const Shape& from, const Idx& idx) {
    const std::size_t lead = idx.size() - from.size();
    std::size_t flat = 0;
    for (std::size_t d = 0; d < from.size(); ++d) flat = flat * from[d] + (from[d] == 1 ? 0 : idx[lead + d]);
    return flat;
}

inline double at(const Array& a, std::size_t flat) { return static_cast<double>(a.data()[flat]); }

// ---- what a call may do ---------------------------------------------------------------------

struct Expect {
    std::optional<Shape> shape;  // success, with a result of this shape
    bool shape_error = false;    // or one of these errors (either, where both faults are there)
    bool value_error = false;
};
inline Expect gives(const Shape& s) { return Expect{s, false, false}; }
inline const Expect shape_error{std::nullopt, true, false};
inline const Expect value_error{std::nullopt, false, true};
inline const Expect shape_or_value_error{std::nullopt, true, true};

inline std::string expected_str(const Expect& want) {
    if (want.shape) return "a result of shape " + shape_str(*want.shape);
    return want.shape_error && want.value_error ? "ShapeError or ValueError"
           : want.shape_error                   ? "ShapeError"
                                                : "ValueError";
}

inline void check_error(const std::string& op, const std::string& kind, bool allowed, const Expect& want,
                        const std::string& msg) {
    CHECK_MESSAGE(allowed, op << " threw a " << kind << " where it should have given " << expected_str(want)
                              << ": " << msg);
    CHECK_MESSAGE(msg.find(op + ":") != std::string::npos,
                  "the " << kind << " does not name " << op << ": " << msg);
    for (const char* leak : {"Incompatible dimension", "broadcast error", "xtensor"})
        CHECK_MESSAGE(msg.find(leak) == std::string::npos, "xtensor's message reached the learner: " << msg);
}

// Runs `call`; returns its result when it succeeded as expected. Fails the check when it throws
// what was not expected, throws where it should succeed, or succeeds where it should throw.
template <class F>
auto outcome(const std::string& op, const Expect& want, F&& call) -> std::optional<decltype(call())> {
    try {
        auto result = call();
        if (want.shape) return result;
        FAIL_CHECK(op << " succeeded where it should have thrown a " << expected_str(want));
    } catch (const ShapeError& e) {
        check_error(op, "ShapeError", want.shape_error, want, e.what());
    } catch (const ValueError& e) {
        check_error(op, "ValueError", want.value_error, want, e.what());
    } catch (const std::exception& e) {
        FAIL_CHECK(op << " threw an exception that is neither ShapeError nor ValueError: " << e.what());
    }
    return std::nullopt;
}

template <class S>
void check_shape(const std::string& op, const S& got, const Shape& want) {
    const Shape g(got.begin(), got.end());
    CHECK_MESSAGE(g == want,
                  op << " gave a result of shape " << shape_str(g) << ", expected " << shape_str(want));
}

// The op, through a differentiable call: the result has the predicted shape, and backward()
// through its sum sends each input that requires a gradient one of that input's shape.
template <class F>
std::optional<Tensor> check_op(const std::string& op, const Expect& want, const std::vector<Tensor>& inputs,
                               F&& call) {
    std::optional<Tensor> y = outcome(op, want, call);
    if (!y) return y;
    check_shape(op, y->shape(), *want.shape);
    bool any = false;
    for (const Tensor& in : inputs) any = any || in.requires_grad();
    CHECK_MESSAGE(y->requires_grad() == any, op << ": the result's requires_grad is " << y->requires_grad()
                                                << " but an input requiring a gradient is " << any);
    if (!y->requires_grad()) return y;
    try {
        sum(*y).backward();
    } catch (const std::exception& e) {
        FAIL_CHECK(op << ": backward() through the sum of the result threw: " << e.what());
        return y;
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Tensor& in = inputs[i];
        if (!in.requires_grad()) continue;
        CHECK_MESSAGE(in.has_grad(), op << ": input " << i << " " << shape_str(in.shape())
                                        << " requires a gradient but received none");
        if (in.has_grad())
            CHECK_MESSAGE(in.grad().shape() == in.shape(),
                          op << ": input " << i << " " << shape_str(in.shape())
                             << " received a gradient of shape " << shape_str(in.grad().shape()));
    }
    return y;
}

// Every element of `got` against ref(flat index): equal, or within tol relative to 1 + |ref|.
template <class Ref>
void check_values(const std::string& op, const Array& got, Ref&& ref, double tol = 0.0) {
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double g = at(got, i), w = ref(i);
        if (g == w || std::abs(g - w) <= tol * (1.0 + std::abs(w))) continue;
        FAIL_CHECK(op << ": element " << index_str(got.shape(), i) << " of " << shape_str(got.shape())
                      << " is " << g << ", expected " << w);
        return;
    }
}

// Runs each_case(rng) for seeds base, base + 1, ...: one Rng per case, so one case can be replayed.
template <class Case>
void sweep(const char* op, std::uint64_t base, Case&& each_case) {
    for (std::uint64_t seed = base; seed < base + cases; ++seed) {
        const std::string name = op;  // (doctest would print a const char* as its address)
        INFO(name << ", case seed " << seed);
        std::snprintf(g_case, sizeof g_case, "%s, case seed %" PRIu64, op, seed);
        Rng rng(seed);
        each_case(rng);
    }
}

inline std::vector<Tensor> defined(std::initializer_list<Tensor> ts) {
    std::vector<Tensor> r;
    for (const Tensor& t : ts)
        if (t.defined()) r.push_back(t);
    return r;
}

}  // namespace op_sweep
