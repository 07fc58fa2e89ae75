// The op sweep (test_op_sweep.cpp says what it checks): reductions, softmax and the masks, and the
// layers' ops and losses.

#include <doctest/doctest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <dikkat/dikkat.hpp>

#include "op_sweep.hpp"

using namespace dikkat;
using namespace op_sweep;

// ---- reductions ----------------------------------------------------------------------------------

namespace {
// The reduced shape and, for each element of x, the element of the result it goes to.
struct Reduction {
    Shape shape;
    std::vector<std::size_t> target;
};
Reduction reduction(const Shape& xs, const std::vector<std::size_t>& axes, bool keepdims) {
    Reduction r;
    for (std::size_t d = 0; d < xs.size(); ++d) {
        const bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
        if (!reduced || keepdims) r.shape.push_back(reduced ? 1 : xs[d]);
    }
    for (std::size_t flat = 0; flat < shape_numel(xs); ++flat) {
        Idx idx = unravel(xs, flat), out;
        for (std::size_t d = 0; d < xs.size(); ++d) {
            const bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
            if (!reduced || keepdims) out.push_back(reduced ? 0 : idx[d]);
        }
        r.target.push_back(ravel(r.shape, out));
    }
    return r;
}
}  // namespace

TEST_CASE("op sweep: sum, mean and max over all elements or over axes, with keepdims") {
    sweep("sum, mean and max of every element", 4'000'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs));
        const std::size_t n = shape_numel(xs);
        double total = 0.0, largest = -1e30;
        for (std::size_t i = 0; i < n; ++i) {
            total += at(x.value(), i);
            largest = std::max(largest, at(x.value(), i));
        }
        if (const auto y = check_op("sum", gives({}), {x}, [&] { return sum(x); }))
            check_values(
                "sum", y->value(), [&](std::size_t) { return total; }, 1e-5);
        x.zero_grad();
        if (const auto y = check_op("mean", n ? gives({}) : shape_error, {x}, [&] { return mean(x); }))
            check_values(
                "mean", y->value(), [&](std::size_t) { return total / static_cast<double>(n); }, 1e-5);
        x.zero_grad();
        if (const auto y = check_op("max", n ? gives({}) : shape_error, {x}, [&] { return max(x); }))
            check_values("max", y->value(), [&](std::size_t) { return largest; });
    });

    for (const char* op : {"sum", "mean"})
        sweep(op, op[0] == 's' ? 4'100'000 : 4'200'000, [op](Rng& rng) {
            const Shape xs = random_shape(rng);
            std::vector<std::ptrdiff_t> axes(pick(rng, 4));
            for (auto& a : axes) a = random_axis(rng, xs.size());
            const bool keepdims = chance(rng, 2);
            const Tensor x = leaf(rng, xs);
            std::string as;
            for (std::ptrdiff_t a : axes) as += std::to_string(a) + " ";
            INFO("x " << shape_str(xs) << ", axes (" << as << "), keepdims " << keepdims);
            // Every axis in range, none twice; mean also needs something to divide by.
            std::vector<std::size_t> norm;
            bool ok = true;
            for (std::ptrdiff_t a : axes) {
                const auto n = axis_in(a, xs.size());
                ok = ok && n && std::find(norm.begin(), norm.end(), *n) == norm.end();
                if (n) norm.push_back(*n);
            }
            std::size_t count = 1;
            for (std::size_t a : norm) count *= xs[a];
            const bool is_mean = op[0] == 'm';
            if (is_mean && count == 0) ok = false;
            const Reduction r = ok ? reduction(xs, norm, keepdims) : Reduction{};
            const auto y = check_op(op, ok ? gives(r.shape) : shape_error, {x}, [&] {
                return is_mean ? mean(x, axes, keepdims) : sum(x, axes, keepdims);
            });
            if (!y) return;
            std::vector<double> want(shape_numel(r.shape), 0.0);
            for (std::size_t i = 0; i < r.target.size(); ++i) want[r.target[i]] += at(x.value(), i);
            check_values(
                op, y->value(),
                [&](std::size_t i) { return is_mean ? want[i] / static_cast<double>(count) : want[i]; },
                1e-5);
        });

    sweep("max", 4'300'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, xs.size());
        const bool keepdims = chance(rng, 2);
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", axis " << axis << ", keepdims " << keepdims);
        const auto a = axis_in(axis, xs.size());
        const bool ok = a && xs[*a] > 0;
        const Reduction r = ok ? reduction(xs, {*a}, keepdims) : Reduction{};
        const auto y =
            check_op("max", ok ? gives(r.shape) : shape_error, {x}, [&] { return max(x, axis, keepdims); });
        if (!y) return;
        std::vector<double> want(shape_numel(r.shape), -1e30);
        for (std::size_t i = 0; i < r.target.size(); ++i)
            want[r.target[i]] = std::max(want[r.target[i]], at(x.value(), i));
        check_values("max", y->value(), [&](std::size_t i) { return want[i]; });
    });
}

// ---- softmax and masks -------------------------------------------------------------------------

namespace {
// softmax (or log_softmax) of the lane of x through `flat` along `axis`, in double.
double softmax_at(const Array& x, std::size_t axis, std::size_t flat, bool logarithm) {
    const Shape& s = x.shape();
    Idx idx = unravel(s, flat);
    double m = -1e30, z = 0.0;
    for (std::size_t i = 0; i < s[axis]; ++i) {
        idx[axis] = i;
        m = std::max(m, at(x, ravel(s, idx)));
    }
    for (std::size_t i = 0; i < s[axis]; ++i) {
        idx[axis] = i;
        z += std::exp(at(x, ravel(s, idx)) - m);
    }
    const double v = at(x, flat) - m;
    return logarithm ? v - std::log(z) : std::exp(v) / z;
}
}  // namespace

TEST_CASE("op sweep: softmax, log_softmax, masked_softmax, fill_hidden and the mask builders") {
    for (const char* op : {"softmax", "log_softmax"})
        sweep(op, op[0] == 's' ? 5'000'000 : 5'100'000, [op](Rng& rng) {
            const bool logarithm = op[0] == 'l';
            const Shape xs = random_shape(rng);
            const bool default_axis = chance(rng, 3);
            const std::ptrdiff_t axis = default_axis ? -1 : random_axis(rng, xs.size());
            const Tensor x = leaf(rng, xs);
            INFO("x " << shape_str(xs) << ", axis " << axis);
            const auto a = axis_in(axis, xs.size());
            const auto y = check_op(op, a ? gives(xs) : shape_error, {x}, [&] {
                if (default_axis) return logarithm ? log_softmax(x) : softmax(x);
                return logarithm ? log_softmax(x, axis) : softmax(x, axis);
            });
            if (y)
                check_values(
                    op, y->value(), [&](std::size_t i) { return softmax_at(x.value(), *a, i, logarithm); },
                    1e-5);
        });

    sweep("masked_softmax", 5'200'000, [](Rng& rng) {
        // keep broadcasts to x without enlarging it, or is {} (nothing hidden); sometimes neither.
        const Shape xs = random_shape(rng);
        const bool none = chance(rng, 4);
        const Shape ks = none ? Shape{} : partner(rng, xs);
        const Array keep = none ? Array() : random_keep(rng, ks);
        const float scale = chance(rng, 2) ? 1.0f : 0.5f;
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", keep " << (none ? "none" : shape_str(ks)));
        const bool masked = !ks.empty();  // a 0-D keep means "nothing hidden" (has_keep)
        const std::optional<Shape> b = numpy_broadcast(xs, ks);
        const bool ok = !xs.empty() && (!masked || (b && *b == xs));
        const auto y = check_op("masked_softmax", ok ? gives(xs) : shape_error, {x},
                                [&] { return masked_softmax(x, keep, scale); });
        if (!y) return;
        Array filled(xs);  // scale x, hide with -1e9, then softmax over the last axis
        for (std::size_t i = 0; i < filled.size(); ++i) {
            const bool kept = !masked || keep.data()[source(ks, unravel(xs, i))] != 0.0f;
            filled.data()[i] = kept ? x.value().data()[i] * scale : -1e9f;
        }
        check_values(
            "masked_softmax", y->value(),
            [&](std::size_t i) { return softmax_at(filled, xs.size() - 1, i, false); }, 1e-5);
    });

    sweep("fill_hidden", 5'300'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const Shape ks = partner(rng, xs);
        const Array keep = random_keep(rng, ks);
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", keep " << shape_str(ks));
        const std::optional<Shape> b = numpy_broadcast(xs, ks);
        const bool ok = b && *b == xs;
        const auto y = check_op("fill_hidden", ok ? gives(xs) : shape_error, {x},
                                [&] { return fill_hidden(x, keep, -7.0f); });
        if (y)
            check_values("fill_hidden", y->value(), [&](std::size_t i) {
                return keep.data()[source(ks, unravel(xs, i))] != 0.0f ? at(x.value(), i) : -7.0;
            });
    });

    sweep("causal_mask and padding_mask", 5'400'000, [](Rng& rng) {
        const std::size_t T = pick(rng, 5);
        std::vector<std::size_t> lengths(pick(rng, 5));
        std::string ls;
        for (auto& l : lengths) {
            l = pick(rng, 6);
            ls += std::to_string(l) + " ";
        }
        INFO("T " << T << ", lengths (" << ls << ")");
        if (const auto c = outcome("causal_mask", gives({T, T}), [&] { return causal_mask(T); })) {
            check_shape("causal_mask", c->shape(), {T, T});
            check_values("causal_mask", *c, [&](std::size_t i) { return i % T <= i / T ? 1.0 : 0.0; });
        }
        const bool ok = std::all_of(lengths.begin(), lengths.end(), [&](std::size_t l) { return l <= T; });
        const Shape ps{lengths.size(), T};
        if (const auto p = outcome("padding_mask", ok ? gives(ps) : value_error,
                                   [&] { return padding_mask(lengths, T); })) {
            check_shape("padding_mask", p->shape(), ps);
            check_values("padding_mask", *p,
                         [&](std::size_t i) { return i % T < lengths[i / T] ? 1.0 : 0.0; });
        }
    });
}

// ---- layers' ops and losses ----------------------------------------------------------------------

TEST_CASE("op sweep: embedding, layer_norm, dropout, cross_entropy, mse and additive_scores") {
    sweep("embedding", 6'000'000, [](Rng& rng) {
        const Shape ws = chance(rng, 6) ? random_shape(rng) : Shape{random_dim(rng), random_dim(rng)};
        const Shape is = random_shape(rng, 0, 3);
        const std::size_t V = ws.size() == 2 ? ws[0] : 4;
        const bool any_bad = chance(rng, 4);  // then some ids are -1 or V
        IndexArray ids = IndexArray::from_shape(is);
        for (Index& id : ids) {
            const std::size_t kind = any_bad ? pick(rng, 6) : 5;
            id = kind == 0             ? -1
                 : kind == 1 || V == 0 ? static_cast<Index>(V)
                                       : static_cast<Index>(pick(rng, V));
        }
        const Tensor W = leaf(rng, ws);
        INFO("weight " << shape_str(ws) << ", ids " << shape_str(is));
        bool ids_ok = true;
        for (Index id : ids) ids_ok = ids_ok && id >= 0 && static_cast<std::size_t>(id) < V;
        const bool ok = ws.size() == 2 && ids_ok;
        const Shape ys = ws.size() == 2 ? joined(is, Shape{ws[1]}) : Shape{};
        const auto y = check_op("embedding",
                                ok               ? gives(ys)
                                : ws.size() != 2 ? shape_error
                                                 : value_error,
                                {W}, [&] { return embedding(W, ids); });
        if (y)
            check_values("embedding", y->value(), [&](std::size_t i) {
                const auto id = static_cast<std::size_t>(ids.data()[i / ws[1]]);
                return at(W.value(), id * ws[1] + i % ws[1]);
            });
    });

    sweep("layer_norm", 6'100'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::size_t D = xs.empty() ? random_dim(rng) : xs.back();
        const Shape gs = chance(rng, 6) ? random_shape(rng) : Shape{D};
        const Shape bs = chance(rng, 6) ? random_shape(rng) : Shape{D};
        const Tensor x = leaf(rng, xs);
        const Tensor gamma = leaf(rng, gs);
        const Tensor beta = leaf(rng, bs);
        INFO("x " << shape_str(xs) << ", gamma " << shape_str(gs) << ", beta " << shape_str(bs));
        const bool ok = !xs.empty() && gs == Shape{xs.back()} && bs == Shape{xs.back()};
        const auto y = check_op("layer_norm", ok ? gives(xs) : shape_error, {x, gamma, beta},
                                [&] { return layer_norm(x, gamma, beta); });
        if (!y) return;
        check_values(
            "layer_norm", y->value(),
            [&](std::size_t i) {
                const std::size_t r = i / D, d = i % D;
                double mu = 0.0, var = 0.0;
                for (std::size_t j = 0; j < D; ++j) mu += at(x.value(), r * D + j);
                mu /= static_cast<double>(D);
                for (std::size_t j = 0; j < D; ++j) var += std::pow(at(x.value(), r * D + j) - mu, 2.0);
                var /= static_cast<double>(D);
                return at(gamma.value(), d) * (at(x.value(), i) - mu) / std::sqrt(var + 1e-5) +
                       at(beta.value(), d);
            },
            1e-4);
    });

    sweep("dropout", 6'200'000, [](Rng& rng) {
        const float ps[] = {0.0f, 0.25f, 0.5f, 0.9f, -0.1f, 1.0f, 1.5f, std::nanf("")};
        const float p = ps[pick(rng, 8)];
        const bool training = !chance(rng, 4);
        const Shape xs = random_shape(rng);
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", p " << p << ", training " << training);
        Rng mask_rng(7);
        const bool ok = p >= 0.0f && p < 1.0f;
        const auto y = check_op("dropout", ok ? gives(xs) : value_error, {x},
                                [&] { return dropout(x, p, mask_rng, training); });
        if (y)  // each element is 0 or x / (1 - p), and x itself in evaluation
            check_values(
                "dropout", y->value(),
                [&](std::size_t i) {
                    const double v = at(x.value(), i),
                                 kept = training ? v / (1.0 - static_cast<double>(p)) : v;
                    return at(y->value(), i) == 0.0 && training ? 0.0 : kept;
                },
                1e-6);
    });

    sweep("cross_entropy", 6'300'000, [](Rng& rng) {
        // logits (..., C), targets (...): class ids, the ignore index, now and then one out of range.
        const Shape zs = random_shape(rng);
        const Shape ts = !zs.empty() && !chance(rng, 6) ? Shape(zs.begin(), zs.end() - 1) : random_shape(rng);
        const std::size_t C = zs.empty() ? 3 : zs.back();
        const Index ignore = chance(rng, 2) ? -100 : static_cast<Index>(pick(rng, 3));
        const float smoothings[] = {0.0f, 0.0f, 0.1f, 0.5f, -0.1f, 1.0f};
        const float eps = smoothings[pick(rng, 6)];
        const bool any_bad = chance(rng, 4);  // then some targets are -1 or C
        IndexArray targets = IndexArray::from_shape(ts);
        for (Index& t : targets) {
            const std::size_t kind = pick(rng, any_bad ? 8 : 6) + (any_bad ? 0 : 2);
            t = kind == 0             ? -1
                : kind == 1           ? static_cast<Index>(C)
                : kind == 2 || C == 0 ? ignore
                                      : static_cast<Index>(pick(rng, C));
        }
        const Tensor z = leaf(rng, zs);
        INFO("logits " << shape_str(zs) << ", targets " << shape_str(ts) << ", ignore_index " << ignore
                       << ", label_smoothing " << eps);
        const bool eps_ok = eps >= 0.0f && eps < 1.0f;
        const bool shape_ok = !zs.empty() && ts == Shape(zs.begin(), zs.end() - 1);
        bool ids_ok = true;
        for (Index t : targets)
            ids_ok = ids_ok && (t == ignore || (t >= 0 && static_cast<std::size_t>(t) < C));
        // A bad label_smoothing is a ValueError, bad shapes a ShapeError (either when both);
        // with good shapes, a target out of range is a ValueError.
        Expect want = gives({});
        if (!eps_ok && !shape_ok)
            want = shape_or_value_error;
        else if (!shape_ok)
            want = shape_error;
        else if (!eps_ok || !ids_ok)
            want = value_error;
        const auto y =
            check_op("cross_entropy", want, {z}, [&] { return cross_entropy(z, targets, ignore, eps); });
        if (!y) return;
        double total = 0.0;
        std::size_t counted = 0;
        for (std::size_t r = 0; r < targets.size(); ++r) {
            const Index t = targets.data()[r];
            if (t == ignore) continue;
            double m = -1e30, s = 0.0, mean_z = 0.0;
            for (std::size_t c = 0; c < C; ++c) m = std::max(m, at(z.value(), r * C + c));
            for (std::size_t c = 0; c < C; ++c) {
                s += std::exp(at(z.value(), r * C + c) - m);
                mean_z += at(z.value(), r * C + c) / static_cast<double>(C);
            }
            const double log_z = m + std::log(s), e = static_cast<double>(eps);
            total += (1.0 - e) * (log_z - at(z.value(), r * C + static_cast<std::size_t>(t))) +
                     e * (log_z - mean_z);
            ++counted;
        }
        check_values(
            "cross_entropy", y->value(),
            [&](std::size_t) { return counted ? total / static_cast<double>(counted) : 0.0; }, 1e-5);
    });

    sweep("mse", 6'400'000, [](Rng& rng) {
        const Shape ps = random_shape(rng);
        const Shape ts = chance(rng, 2) ? ps : partner(rng, ps);
        const Tensor pred = leaf(rng, ps);
        const Tensor target = leaf(rng, ts);
        INFO("pred " << shape_str(ps) << ", target " << shape_str(ts));
        // The same shapes, and at least one element to average over.
        const bool ok = ps == ts && shape_numel(ps) > 0;
        const auto y =
            check_op("mse", ok ? gives({}) : shape_error, {pred, target}, [&] { return mse(pred, target); });
        if (!y) return;
        double total = 0.0;
        for (std::size_t i = 0; i < shape_numel(ps); ++i)
            total += std::pow(at(pred.value(), i) - at(target.value(), i), 2.0);
        check_values(
            "mse", y->value(), [&](std::size_t) { return total / static_cast<double>(shape_numel(ps)); },
            1e-5);
    });

    sweep("additive_scores", 6'500'000, [](Rng& rng) {
        // q (B, A), k (B, S, A), v (A); now and then one of them any shape at all.
        const std::size_t B = random_dim(rng), S = random_dim(rng), A = random_dim(rng);
        const Shape qs = chance(rng, 6) ? random_shape(rng) : Shape{B, A};
        const Shape ks = chance(rng, 6) ? random_shape(rng) : Shape{B, S, A};
        const Shape vs = chance(rng, 6) ? random_shape(rng) : Shape{A};
        const Tensor q = leaf(rng, qs), k = leaf(rng, ks), v = leaf(rng, vs);
        INFO("q " << shape_str(qs) << ", k " << shape_str(ks) << ", v " << shape_str(vs));
        const bool ok = qs.size() == 2 && ks.size() == 3 && vs.size() == 1 && ks[0] == qs[0] &&
                        ks[2] == qs[1] && vs[0] == qs[1];
        const auto y = check_op("additive_scores", ok ? gives(Shape{ks[0], ks[1]}) : shape_error, {q, k, v},
                                [&] { return additive_scores(q, k, v); });
        if (!y) return;
        check_values(
            "additive_scores", y->value(),
            [&](std::size_t i) {  // e[b, j] = sum_a v[a] tanh(q[b, a] + k[b, j, a]), with i = b S + j
                const std::size_t n = ks[2], b = i / ks[1];
                double e = 0.0;
                for (std::size_t a = 0; a < n; ++a)
                    e += at(v.value(), a) * std::tanh(at(q.value(), b * n + a) + at(k.value(), i * n + a));
                return e;
            },
            1e-5);
    });
}
