// The op sweep (test_op_sweep.cpp says what it checks): broadcasting, elementwise ops, matrix
// products, and the ops that move values around.

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

// ---- broadcasting ---------------------------------------------------------------------------

TEST_CASE("op sweep: broadcast_shapes, broadcast_to, sum_to and normalize_axis follow NumPy's rules") {
    sweep("broadcast_shapes", 900'000, [](Rng& rng) {
        const Shape as = random_shape(rng);
        const Shape bs = partner(rng, as);
        const std::ptrdiff_t axis = random_axis(rng, as.size());
        INFO("a " << shape_str(as) << ", b " << shape_str(bs) << ", axis " << axis);
        const auto n = axis_in(axis, as.size());
        const auto got_axis = outcome("normalize_axis", n ? gives({}) : shape_error,
                                      [&] { return normalize_axis("normalize_axis", axis, as.size()); });
        if (got_axis) CHECK(*got_axis == *n);
        const std::optional<Shape> ys = numpy_broadcast(as, bs);
        const auto got = outcome("broadcast_shapes", ys ? gives(*ys) : shape_error,
                                 [&] { return broadcast_shapes("broadcast_shapes", as, bs); });
        if (!got) return;
        check_shape("broadcast_shapes", *got, *ys);
        // a spread over the joint shape, and a gradient of that shape summed back to a's
        const Array a = rng.uniform_array(as, -2.0f, 2.0f);
        if (const auto big = outcome("broadcast_to", gives(*ys), [&] { return broadcast_to(a, *ys); })) {
            check_shape("broadcast_to", big->shape(), *ys);
            check_values("broadcast_to", *big,
                         [&](std::size_t i) { return at(a, source(as, unravel(*ys, i))); });
        }
        const Array g = rng.uniform_array(*ys, -2.0f, 2.0f);
        if (const auto back = outcome("sum_to", gives(as), [&] { return sum_to(g, as); })) {
            check_shape("sum_to", back->shape(), as);
            std::vector<double> sums(shape_numel(as), 0.0);
            for (std::size_t i = 0; i < g.size(); ++i) sums[source(as, unravel(*ys, i))] += at(g, i);
            check_values(
                "sum_to", *back, [&](std::size_t i) { return sums[i]; }, 1e-5);
        }
    });
}

// ---- elementwise --------------------------------------------------------------------------

TEST_CASE("op sweep: elementwise ops broadcast as NumPy does or throw ShapeError") {
    using Binary = Tensor (*)(const Tensor&, const Tensor&);
    using Ref = double (*)(double, double);
    struct Op {
        const char* name;
        Binary op;
        Ref ref;
    };
    // Each reference rounds to float, as the op does.
    const Op binary[] = {
        {"add", [](const Tensor& a, const Tensor& b) { return add(a, b); },
         [](double a, double b) { return double(float(a) + float(b)); }},
        {"sub", [](const Tensor& a, const Tensor& b) { return sub(a, b); },
         [](double a, double b) { return double(float(a) - float(b)); }},
        {"mul", [](const Tensor& a, const Tensor& b) { return mul(a, b); },
         [](double a, double b) { return double(float(a) * float(b)); }},
        {"div", [](const Tensor& a, const Tensor& b) { return div(a, b); },
         [](double a, double b) { return double(float(a) / float(b)); }},
    };
    std::uint64_t base = 1'000'000;
    for (const Op& f : binary)
        sweep(f.name, base += 10'000, [&](Rng& rng) {
            const Shape as = random_shape(rng);
            const Shape bs = partner(rng, as);
            const Tensor a = leaf(rng, as);
            const Tensor b = leaf(rng, bs, 0.5f, 2.0f);  // no division by 0
            INFO("a " << shape_str(as) << ", b " << shape_str(bs));
            const std::optional<Shape> ys = numpy_broadcast(as, bs);
            const auto y =
                check_op(f.name, ys ? gives(*ys) : shape_error, {a, b}, [&] { return f.op(a, b); });
            if (y)
                check_values(f.name, y->value(), [&](std::size_t i) {
                    const Idx idx = unravel(*ys, i);
                    return f.ref(at(a.value(), source(as, idx)), at(b.value(), source(bs, idx)));
                });
        });

    using Unary = Tensor (*)(const Tensor&);
    using Ref1 = double (*)(double);
    struct Op1 {
        const char* name;
        Unary op;
        Ref1 ref;
        float lo;  // inputs in [lo, 2): positive where the op needs it
    };
    const Op1 unary[] = {
        {"neg", [](const Tensor& x) { return neg(x); }, [](double x) { return -x; }, -2.0f},
        {"exp", [](const Tensor& x) { return exp(x); }, [](double x) { return std::exp(x); }, -2.0f},
        {"log", [](const Tensor& x) { return log(x); }, [](double x) { return std::log(x); }, 0.25f},
        {"sqrt", [](const Tensor& x) { return sqrt(x); }, [](double x) { return std::sqrt(x); }, 0.25f},
        {"pow", [](const Tensor& x) { return pow(x, 2.5f); }, [](double x) { return std::pow(x, 2.5); },
         0.25f},
        {"tanh", [](const Tensor& x) { return tanh(x); }, [](double x) { return std::tanh(x); }, -2.0f},
        {"sigmoid", [](const Tensor& x) { return sigmoid(x); },
         [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, -2.0f},
        {"relu", [](const Tensor& x) { return relu(x); }, [](double x) { return std::max(x, 0.0); }, -2.0f},
        {"gelu", [](const Tensor& x) { return gelu(x); },
         [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }, -2.0f},
        {"add_scalar", [](const Tensor& x) { return x + 1.5f; }, [](double x) { return x + 1.5; }, -2.0f},
        {"mul_scalar", [](const Tensor& x) { return x * -3.0f; }, [](double x) { return x * -3.0; }, -2.0f},
        {"rdiv_scalar", [](const Tensor& x) { return 2.0f / x; }, [](double x) { return 2.0 / x; }, 0.25f},
    };
    for (const Op1& f : unary)
        sweep(f.name, base += 10'000, [&](Rng& rng) {
            const Shape xs = random_shape(rng);
            const Tensor x = leaf(rng, xs, f.lo, 2.0f);
            INFO("x " << shape_str(xs));
            const auto y = check_op(f.name, gives(xs), {x}, [&] { return f.op(x); });
            if (y)
                check_values(
                    f.name, y->value(), [&](std::size_t i) { return f.ref(at(x.value(), i)); }, 1e-5);
        });
}

// ---- matrix products ------------------------------------------------------------------------

TEST_CASE("op sweep: matmul and affine, batched, broadcast and transposed") {
    sweep("matmul", 2'000'000, [](Rng& rng) {
        // a (..., n, k) and b (..., k, m) — or (..., m, k) with transpose_b — usually fitting
        // (batch axes that broadcast, the same k); one time in five any two shapes.
        const bool tb = chance(rng, 2);
        Shape as, bs;
        if (chance(rng, 5)) {
            as = random_shape(rng);
            bs = random_shape(rng);
        } else {
            const Shape batch_a = random_shape(rng, 0, 2);
            const Shape batch_b = chance(rng, 3) ? Shape{} : partner(rng, batch_a);
            const std::size_t n = random_dim(rng), k = random_dim(rng), m = random_dim(rng);
            const std::size_t k2 = chance(rng, 6) ? random_dim(rng) : k;
            as = joined(batch_a, Shape{n, k});
            bs = joined(batch_b, tb ? Shape{m, k2} : Shape{k2, m});
        }
        const Tensor a = leaf(rng, as);
        const Tensor b = leaf(rng, bs);
        INFO("a " << shape_str(as) << ", b " << shape_str(bs) << ", transpose_b " << tb);
        Expect want = shape_error;
        Shape ys;
        const std::size_t ra = as.size(), rb = bs.size();
        if (ra >= 2 && rb >= 2) {
            const std::size_t n = as[ra - 2], k = as[ra - 1];
            const std::size_t k2 = tb ? bs[rb - 1] : bs[rb - 2], m = tb ? bs[rb - 2] : bs[rb - 1];
            const Shape batch_a(as.begin(), as.end() - 2), batch_b(bs.begin(), bs.end() - 2);
            const std::optional<Shape> batch = numpy_broadcast(batch_a, batch_b);
            if (k == k2 && batch) {
                ys = joined(*batch, Shape{n, m});
                want = gives(ys);
            }
        }
        const auto y = check_op("matmul", want, {a, b}, [&] { return matmul(a, b, tb); });
        if (!y) return;
        const std::size_t nb = ys.size() - 2, k = as[ra - 1];
        const Shape batch_a(as.begin(), as.end() - 2), batch_b(bs.begin(), bs.end() - 2);
        check_values(
            "matmul", y->value(),
            [&](std::size_t flat) {
                const Idx idx = unravel(ys, flat);
                const Idx batch(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(nb));
                const std::size_t i = idx[nb], j = idx[nb + 1];
                const std::size_t a0 = source(batch_a, batch) * as[ra - 2] * k;
                const std::size_t b0 = source(batch_b, batch) * bs[rb - 2] * bs[rb - 1];
                double s = 0.0;
                for (std::size_t kk = 0; kk < k; ++kk)
                    s += at(a.value(), a0 + i * k + kk) *
                         at(b.value(), b0 + (tb ? j * k + kk : kk * bs[rb - 1] + j));
                return s;
            },
            1e-5);
    });

    sweep("affine", 2'100'000, [](Rng& rng) {
        // x (..., in), W (in, out), b (out) or none: usually so, sometimes with one of them off.
        const Shape xs = random_shape(rng);
        const std::size_t in = xs.empty() || chance(rng, 6) ? random_dim(rng) : xs.back();
        const std::size_t out = random_dim(rng);
        const Shape ws = chance(rng, 8) ? random_shape(rng) : Shape{in, out};
        const std::size_t bias_kind = pick(rng, 6);  // 0, 1: none; 2: any shape; else (out)
        const bool with_relu = chance(rng, 2);
        const Tensor x = leaf(rng, xs);
        const Tensor W = leaf(rng, ws);
        const Tensor b =
            bias_kind < 2 ? Tensor() : leaf(rng, bias_kind == 2 ? random_shape(rng) : Shape{out});
        INFO("x " << shape_str(xs) << ", W " << shape_str(ws) << ", b "
                  << (b.defined() ? shape_str(b.shape()) : "none") << ", relu " << with_relu);
        Expect want = shape_error;
        Shape ys;
        if (!xs.empty() && ws.size() == 2 && xs.back() == ws[0] &&
            (!b.defined() || b.shape() == Shape{ws[1]})) {
            ys = joined(Shape(xs.begin(), xs.end() - 1), Shape{ws[1]});
            want = gives(ys);
        }
        const auto y =
            check_op("affine", want, defined({x, W, b}), [&] { return affine(x, W, b, with_relu); });
        if (!y) return;
        const std::size_t K = ws[0], O = ws[1];
        check_values(
            "affine", y->value(),
            [&](std::size_t flat) {
                const std::size_t r = flat / O, o = flat % O;
                double s = b.defined() ? at(b.value(), o) : 0.0;
                for (std::size_t k = 0; k < K; ++k) s += at(x.value(), r * K + k) * at(W.value(), k * O + o);
                return with_relu ? std::max(s, 0.0) : s;
            },
            1e-5);
    });
}

// ---- moving values around ---------------------------------------------------------------------

TEST_CASE("op sweep: reshape, permute, transpose, slice, select, concat and stack") {
    sweep("reshape", 3'000'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        std::vector<std::ptrdiff_t> t;
        for (std::size_t d : same_count_shape(rng, xs)) t.push_back(static_cast<std::ptrdiff_t>(d));
        if (!t.empty() && chance(rng, 3)) t[pick(rng, t.size())] = -1;
        if (!t.empty() && chance(rng, 12)) t[pick(rng, t.size())] = chance(rng, 2) ? -1 : -2;
        const Tensor x = leaf(rng, xs);
        std::string ts;
        for (std::ptrdiff_t d : t) ts += std::to_string(d) + " ";
        INFO("x " << shape_str(xs) << ", to (" << ts << ")");
        // At most one -1, no other negative size; the -1 is what makes the counts match.
        Expect want = shape_error;
        Shape ys(t.size());
        std::size_t known = 1, minus_ones = 0, infer = 0;
        bool negative = false;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == -1) {
                ++minus_ones;
                infer = i;
            } else if (t[i] < 0) {
                negative = true;
            } else {
                ys[i] = static_cast<std::size_t>(t[i]);
                known *= ys[i];
            }
        }
        const std::size_t n = shape_numel(xs);
        if (!negative && minus_ones == 0 && known == n) want = gives(ys);
        if (!negative && minus_ones == 1 && known != 0 && n % known == 0) {
            ys[infer] = n / known;
            want = gives(ys);
        }
        const auto y = check_op("reshape", want, {x}, [&] { return reshape(x, t); });
        if (y) check_values("reshape", y->value(), [&](std::size_t i) { return at(x.value(), i); });
    });

    sweep("permute", 3'100'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::vector<std::size_t> perm = random_perm(rng, xs.size());
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", perm (" << perm_str(perm) << ")");
        const bool ok = is_permutation_of(perm, xs.size());
        const Shape ys = ok ? permuted(xs, perm) : Shape(perm.size());
        const auto y =
            check_op("permute", ok ? gives(ys) : shape_error, {x}, [&] { return permute(x, perm); });
        if (y)
            check_values("permute", y->value(), [&](std::size_t i) {
                return at(x.value(), ravel(xs, unpermuted(unravel(ys, i), perm)));
            });
    });

    sweep("permute (view, perm, shape)", 3'200'000, [](Rng& rng) {
        // x read as `view`, its axes reordered, given `shape` ({} for the reordered view's own).
        const Shape xs = random_shape(rng);
        const Shape view = same_count_shape(rng, xs);
        const std::vector<std::size_t> perm = random_perm(rng, view.size());
        const bool ok = is_permutation_of(perm, view.size());
        const Shape pv = ok ? permuted(view, perm) : Shape(view.size());
        const Shape shape = chance(rng, 2) ? Shape{} : same_count_shape(rng, pv);
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", view " << shape_str(view) << ", perm (" << perm_str(perm)
                  << "), shape " << shape_str(shape));
        const Shape ys = shape.empty() ? pv : shape;
        const std::size_t n = shape_numel(xs);
        const bool fits = ok && shape_numel(view) == n && shape_numel(ys) == n;
        const auto y = check_op("permute", fits ? gives(ys) : shape_error, {x},
                                [&] { return permute(x, view, perm, shape); });
        if (y)
            check_values("permute", y->value(), [&](std::size_t i) {
                return at(x.value(), ravel(view, unpermuted(unravel(pv, i), perm)));
            });
    });

    sweep("transpose", 3'300'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const bool defaults = chance(rng, 4);  // axes -2 and -1
        const std::ptrdiff_t a0 = defaults ? -2 : random_axis(rng, xs.size());
        const std::ptrdiff_t a1 = defaults ? -1 : random_axis(rng, xs.size());
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", axes " << a0 << " and " << a1);
        const auto i = axis_in(a0, xs.size()), j = axis_in(a1, xs.size());
        Shape ys = xs;
        if (i && j) std::swap(ys[*i], ys[*j]);
        const auto y = check_op("transpose", i && j ? gives(ys) : shape_error, {x},
                                [&] { return defaults ? transpose(x) : transpose(x, a0, a1); });
        if (y)
            check_values("transpose", y->value(), [&](std::size_t flat) {
                Idx in = unravel(ys, flat);
                std::swap(in[*i], in[*j]);
                return at(x.value(), ravel(xs, in));
            });
    });

    sweep("slice", 3'400'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, xs.size());
        const auto a = axis_in(axis, xs.size());
        const std::size_t n = a ? xs[*a] : 2;
        const std::size_t stop = chance(rng, 6) ? n + 1 : pick(rng, n + 1);         // or one past the end
        const std::size_t start = chance(rng, 6) ? stop + 1 : pick(rng, stop + 1);  // or after stop
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", axis " << axis << ", [" << start << ", " << stop << ")");
        Shape ys = xs;
        const bool ok = a && start <= stop && stop <= xs[*a];
        if (ok) ys[*a] = stop - start;
        const auto y =
            check_op("slice", ok ? gives(ys) : shape_error, {x}, [&] { return slice(x, axis, start, stop); });
        if (y)
            check_values("slice", y->value(), [&](std::size_t flat) {
                Idx in = unravel(ys, flat);
                in[*a] += start;
                return at(x.value(), ravel(xs, in));
            });
    });

    sweep("select", 3'500'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, xs.size());
        const auto a = axis_in(axis, xs.size());
        const std::size_t index = pick(rng, (a ? xs[*a] : 2) + 1);  // now and then one past the end
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs) << ", axis " << axis << ", index " << index);
        const bool ok = a && index < xs[*a];
        const Shape ys = ok ? without(xs, *a) : Shape{};
        const auto y =
            check_op("select", ok ? gives(ys) : shape_error, {x}, [&] { return select(x, axis, index); });
        if (y)
            check_values("select", y->value(), [&](std::size_t flat) {
                Idx in = unravel(ys, flat);
                in.insert(in.begin() + static_cast<std::ptrdiff_t>(*a), index);
                return at(x.value(), ravel(xs, in));
            });
    });

    sweep("concat", 3'600'000, [](Rng& rng) {
        // 0 to 3 tensors whose sizes differ along the axis; one time in six a tensor differs elsewhere.
        const std::size_t count = pick(rng, 4);
        const Shape base = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, base.size());
        const auto base_axis = axis_in(axis, base.size());
        std::vector<Tensor> xs;
        std::string shapes;
        for (std::size_t i = 0; i < count; ++i) {
            Shape s = base;
            if (base_axis) s[*base_axis] = random_dim(rng);
            if (chance(rng, 6)) s = chance(rng, 2) || s.empty() ? random_shape(rng) : partner(rng, s);
            xs.push_back(leaf(rng, s));
            shapes += shape_str(s) + " ";
        }
        INFO("tensors " << shapes << ", axis " << axis);
        // tensor 0 sets the rank
        const auto valid_axis = count > 0 ? axis_in(axis, xs[0].dim()) : std::nullopt;
        bool ok = valid_axis.has_value();
        const std::size_t a = valid_axis.value_or(0);  // (a size_t: GCC -O2 misreads optionals here)
        Shape ys = ok ? xs[0].shape() : Shape{};
        if (ok) ys[a] = 0;
        for (std::size_t i = 0; ok && i < count; ++i) {
            const Shape& s = xs[i].shape();
            ok = s.size() == ys.size();
            for (std::size_t d = 0; ok && d < s.size(); ++d) ok = d == a || s[d] == ys[d];
            if (ok) ys[a] += s[a];
        }
        const auto y = check_op("concat", ok ? gives(ys) : shape_error, xs, [&] { return concat(xs, axis); });
        if (y)
            check_values("concat", y->value(), [&](std::size_t flat) {
                Idx idx = unravel(ys, flat);
                std::size_t i = 0;
                while (idx[a] >= xs[i].shape()[a]) idx[a] -= xs[i++].shape()[a];
                return at(xs[i].value(), ravel(xs[i].shape(), idx));
            });
    });

    sweep("stack", 3'700'000, [](Rng& rng) {
        const std::size_t count = pick(rng, 4);
        const Shape base = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, base.size() + 1);
        std::vector<Tensor> xs;
        std::string shapes;
        for (std::size_t i = 0; i < count; ++i) {
            const Shape s = chance(rng, 6) ? partner(rng, base) : base;
            xs.push_back(leaf(rng, s));
            shapes += shape_str(s) + " ";
        }
        INFO("tensors " << shapes << ", axis " << axis);
        const auto valid_axis = count > 0 ? axis_in(axis, xs[0].dim() + 1) : std::nullopt;
        bool ok = valid_axis.has_value();
        const std::size_t a = valid_axis.value_or(0);  // (a size_t: GCC -O2 misreads optionals here)
        for (std::size_t i = 0; ok && i < count; ++i) ok = xs[i].shape() == xs[0].shape();
        Shape ys(ok ? xs[0].dim() + 1 : 0);  // tensor 0's shape with `count` at the new axis
        for (std::size_t d = 0, from = 0; d < ys.size(); ++d) ys[d] = d == a ? count : xs[0].shape()[from++];
        const auto y = check_op("stack", ok ? gives(ys) : shape_error, xs, [&] { return stack(xs, axis); });
        if (y)
            check_values("stack", y->value(), [&](std::size_t flat) {
                Idx idx = unravel(ys, flat);
                const std::size_t i = idx[a];
                idx.erase(idx.begin() + static_cast<std::ptrdiff_t>(a));
                return at(xs[i].value(), ravel(xs[i].shape(), idx));
            });
    });
}
