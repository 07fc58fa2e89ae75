// A sweep over every op with random shapes, valid and invalid: empty dimensions, rank 0 (a
// scalar), shapes that broadcast and shapes that do not, axes and indices out of range, bad
// arguments. Each call must either
//   - succeed with the shape the op's header predicts (worked out here, independently of the
//     library), with the right values, and then backward() through the sum of the result must
//     give every input that requires a gradient a gradient of that input's shape; or
//   - throw the ShapeError — or ValueError, where the header says so — whose message names the op.
// Anything else fails: another exception, xtensor's "Incompatible dimension" reaching the
// learner, a result of the wrong shape. Under the asan preset a crash, a read out of bounds or
// undefined behaviour fails as well.
//
// Every case draws from its own Rng(seed), and a failure prints the op, the shapes and that seed:
// Rng(seed) replays the case alone. Same seeds, same cases, on every run. How a case draws its
// shapes, the rules written out independently of the library, and the checks are in op_sweep.hpp;
// each op's cases, and the reference values they are held to, are here.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <dikkat/dikkat.hpp>

#include "op_sweep.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

using namespace dikkat;
using namespace op_sweep;

namespace {

// ---- naming the case that stopped the program ----------------------------------------------
// A failed check names its case through INFO. A crash or a sanitizer report ends the process
// before doctest prints that, so the case being run is also kept here and written to stderr:
// by ASan's death callback or UBSan's report hook (below the namespace), or, in other builds,
// after doctest's own report of a fatal signal.
void write_case() {
    const char before[] = "\nop sweep: stopped during ", after[] = " (Rng(seed) replays it)\n";
    ssize_t written = write(STDERR_FILENO, before, sizeof before - 1);
    written += write(STDERR_FILENO, g_case, std::strlen(g_case));
    written += write(STDERR_FILENO, after, sizeof after - 1);
    (void)written;
}

// Installed before main(); doctest's handlers, set up later, pass a fatal signal on to these.
// (Under the sanitizers, whose own handlers must stay, the sanitizers call write_case().)
#if defined(__SANITIZE_ADDRESS__)
const bool g_case_hooks = (__sanitizer_set_death_callback(write_case), true);
#else
void write_case_and_die(int sig) {
    write_case();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}
const bool g_case_hooks = [] {
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, write_case_and_die);
    return true;
}();
#endif

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// UBSan calls this before each report (and, halting on the first, never calls the death callback).
extern "C" void __ubsan_on_report() { write_case(); }
#endif

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
        std::string ps;
        for (std::size_t p : perm) ps += std::to_string(p) + " ";
        INFO("x " << shape_str(xs) << ", perm (" << ps << ")");
        Shape ys(perm.size());
        const bool ok = is_permutation_of(perm, xs.size());
        for (std::size_t i = 0; ok && i < perm.size(); ++i) ys[i] = xs[perm[i]];
        const auto y =
            check_op("permute", ok ? gives(ys) : shape_error, {x}, [&] { return permute(x, perm); });
        if (y)
            check_values("permute", y->value(), [&](std::size_t i) {
                const Idx out = unravel(ys, i);
                Idx in(out.size());
                for (std::size_t d = 0; d < out.size(); ++d) in[perm[d]] = out[d];
                return at(x.value(), ravel(xs, in));
            });
    });

    sweep("permute (view, perm, shape)", 3'200'000, [](Rng& rng) {
        // x read as `view`, its axes reordered, given `shape` ({} for the reordered view's own).
        const Shape xs = random_shape(rng);
        const Shape view = same_count_shape(rng, xs);
        const std::vector<std::size_t> perm = random_perm(rng, view.size());
        const bool ok = is_permutation_of(perm, view.size());
        Shape pv(view.size());
        for (std::size_t i = 0; ok && i < perm.size(); ++i) pv[i] = view[perm[i]];
        const Shape shape = chance(rng, 2) ? Shape{} : same_count_shape(rng, pv);
        const Tensor x = leaf(rng, xs);
        std::string ps;
        for (std::size_t p : perm) ps += std::to_string(p) + " ";
        INFO("x " << shape_str(xs) << ", view " << shape_str(view) << ", perm (" << ps << "), shape "
                  << shape_str(shape));
        const Shape ys = shape.empty() ? pv : shape;
        const std::size_t n = shape_numel(xs);
        const bool fits = ok && shape_numel(view) == n && shape_numel(ys) == n;
        const auto y = check_op("permute", fits ? gives(ys) : shape_error, {x},
                                [&] { return permute(x, view, perm, shape); });
        if (y)
            check_values("permute", y->value(), [&](std::size_t i) {
                const Idx out = unravel(pv, i);
                Idx in(out.size());
                for (std::size_t d = 0; d < out.size(); ++d) in[perm[d]] = out[d];
                return at(x.value(), ravel(view, in));
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

TEST_CASE("op sweep: embedding, layer_norm, dropout, cross_entropy and mse") {
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
}

// ---- images: convolution, pooling, batch normalisation -------------------------------------------

namespace {
// An image batch (N, C, H, W), or now and then a tensor of another rank.
Shape random_nchw(Rng& rng) { return chance(rng, 8) ? random_shape(rng) : random_shape(rng, 4, 4); }
}  // namespace

TEST_CASE("op sweep: conv2d, im2col, col2im, pooling and batch_norm") {
    sweep("conv2d", 7'000'000, [](Rng& rng) {
        const Shape xs = random_nchw(rng);
        const std::size_t C = xs.size() == 4 && !chance(rng, 8) ? xs[1] : random_dim(rng);
        const Shape ws =
            chance(rng, 8) ? random_shape(rng) : Shape{random_dim(rng), C, random_dim(rng), random_dim(rng)};
        const std::size_t O = ws.size() == 4 ? ws[0] : 2;
        const std::size_t bias_kind = pick(rng, 6);  // 0, 1: none; 2: any shape; else (O)
        const std::size_t stride = random_window(rng), padding = pick(rng, 3);
        const Tensor x = leaf(rng, xs);
        const Tensor W = leaf(rng, ws);
        const Tensor b = bias_kind < 2 ? Tensor() : leaf(rng, bias_kind == 2 ? random_shape(rng) : Shape{O});
        INFO("x " << shape_str(xs) << ", weight " << shape_str(ws) << ", bias "
                  << (b.defined() ? shape_str(b.shape()) : "none") << ", stride " << stride << ", padding "
                  << padding);
        Expect want = shape_error;
        Shape ys;
        if (xs.size() == 4 && ws.size() == 4 && ws[1] == xs[1] &&
            (!b.defined() || b.shape() == Shape{ws[0]})) {
            const auto ho = window(xs[2], ws[2], stride, padding), wo = window(xs[3], ws[3], stride, padding);
            if (ho && wo) {
                ys = {xs[0], ws[0], *ho, *wo};
                want = gives(ys);
            }
        }
        const auto y =
            check_op("conv2d", want, defined({x, W, b}), [&] { return conv2d(x, W, b, stride, padding); });
        if (!y) return;
        check_values(
            "conv2d", y->value(),
            [&](std::size_t flat) {
                const Idx o = unravel(ys, flat);  // n, o, ho, wo
                double s = b.defined() ? at(b.value(), o[1]) : 0.0;
                for (std::size_t c = 0; c < xs[1]; ++c)
                    for (std::size_t i = 0; i < ws[2]; ++i)
                        for (std::size_t j = 0; j < ws[3]; ++j) {
                            const std::size_t h = o[2] * stride + i, w = o[3] * stride + j;  // + padding
                            if (h < padding || w < padding || h - padding >= xs[2] || w - padding >= xs[3])
                                continue;
                            s += at(W.value(), ravel(ws, {o[1], c, i, j})) *
                                 at(x.value(), ravel(xs, {o[0], c, h - padding, w - padding}));
                        }
                return s;
            },
            1e-5);
    });

    sweep("window_out_size", 7'050'000, [](Rng& rng) {
        const std::size_t size = random_dim(rng), kernel = random_window(rng);
        const std::size_t stride = random_window(rng), padding = pick(rng, 3);
        INFO("size " << size << ", kernel " << kernel << ", stride " << stride << ", padding " << padding);
        const auto want = window(size, kernel, stride, padding);
        const auto got = outcome("window_out_size", want ? gives({}) : shape_error, [&] {
            return window_out_size("window_out_size", size, kernel, stride, padding);
        });
        if (got) CHECK(*got == *want);
    });

    sweep("im2col and col2im", 7'100'000, [](Rng& rng) {
        const Shape xs = random_nchw(rng);
        const std::size_t KH = random_window(rng), KW = random_window(rng);
        const std::size_t stride = random_window(rng), padding = pick(rng, 3);
        const Array x = rng.uniform_array(xs, -1.0f, 1.0f);
        INFO("x " << shape_str(xs) << ", kernel " << KH << "x" << KW << ", stride " << stride << ", padding "
                  << padding);
        std::optional<Shape> cs;
        if (xs.size() == 4) {
            const auto ho = window(xs[2], KH, stride, padding), wo = window(xs[3], KW, stride, padding);
            if (ho && wo) cs = Shape{xs[1] * KH * KW, xs[0] * *ho * *wo};
        }
        const auto cols = outcome("im2col", cs ? gives(*cs) : shape_error,
                                  [&] { return im2col(x, KH, KW, stride, padding); });
        if (cols) check_shape("im2col", cols->shape(), *cs);
        // col2im adds columns of the right shape back into dx; other shapes are a ShapeError.
        const Shape cols_shape = cs && !chance(rng, 5) ? *cs : random_shape(rng, 2, 2);
        const Array c = rng.uniform_array(cols_shape, -1.0f, 1.0f);
        Array dx = xt::zeros<float>(xs);
        INFO("cols " << shape_str(cols_shape));
        const bool ok = cs && cols_shape == *cs;
        const auto done = outcome("col2im", ok ? gives(xs) : shape_error, [&] {
            col2im(c, dx, KH, KW, stride, padding);
            return true;
        });
        if (done) check_shape("col2im", dx.shape(), xs);
    });

    for (const char* op : {"max_pool2d", "avg_pool2d"})
        sweep(op, op[0] == 'm' ? 7'200'000 : 7'300'000, [op](Rng& rng) {
            const bool is_max = op[0] == 'm';
            const Shape xs = random_nchw(rng);
            const std::size_t kernel = random_window(rng), stride = random_window(rng);
            const Tensor x = leaf(rng, xs);
            INFO("x " << shape_str(xs) << ", kernel " << kernel << ", stride " << stride);
            Expect want = shape_error;
            Shape ys;
            if (xs.size() == 4) {
                const auto ho = window(xs[2], kernel, stride, 0), wo = window(xs[3], kernel, stride, 0);
                if (ho && wo) {
                    ys = {xs[0], xs[1], *ho, *wo};
                    want = gives(ys);
                }
            }
            const auto y = check_op(op, want, {x}, [&] {
                return is_max ? max_pool2d(x, kernel, stride) : avg_pool2d(x, kernel, stride);
            });
            if (!y) return;
            check_values(
                op, y->value(),
                [&](std::size_t flat) {
                    const Idx o = unravel(ys, flat);
                    double m = -1e30, s = 0.0;
                    for (std::size_t i = 0; i < kernel; ++i)
                        for (std::size_t j = 0; j < kernel; ++j) {
                            const double v =
                                at(x.value(), ravel(xs, {o[0], o[1], o[2] * stride + i, o[3] * stride + j}));
                            m = std::max(m, v);
                            s += v;
                        }
                    return is_max ? m : s / static_cast<double>(kernel * kernel);
                },
                1e-5);
        });

    sweep("global_avg_pool", 7'400'000, [](Rng& rng) {
        const Shape xs = random_nchw(rng);
        const Tensor x = leaf(rng, xs);
        INFO("x " << shape_str(xs));
        const bool ok = xs.size() == 4 && xs[2] * xs[3] > 0;
        const Shape ys = ok ? Shape{xs[0], xs[1]} : Shape{};
        const auto y = check_op("global_avg_pool", ok ? gives(ys) : shape_error, {x},
                                [&] { return global_avg_pool(x); });
        if (!y) return;
        const std::size_t HW = xs[2] * xs[3];
        check_values(
            "global_avg_pool", y->value(),
            [&](std::size_t q) {
                double s = 0.0;
                for (std::size_t k = 0; k < HW; ++k) s += at(x.value(), q * HW + k);
                return s / static_cast<double>(HW);
            },
            1e-5);
    });

    sweep("batch_norm", 7'500'000, [](Rng& rng) {
        // x (N, C) or (N, C, H, W); gamma, beta and the running statistics (C).
        const Shape xs = chance(rng, 8)   ? random_shape(rng)
                         : chance(rng, 2) ? random_shape(rng, 2, 2)
                                          : random_shape(rng, 4, 4);
        const std::size_t C = xs.size() >= 2 ? xs[1] : 3;
        const auto per_channel = [&] { return chance(rng, 10) ? random_shape(rng, 0, 2) : Shape{C}; };
        const Shape gs = per_channel();
        const Shape bs = per_channel();
        const Shape ms = per_channel();
        const Shape vs = per_channel();
        const bool training = chance(rng, 2);
        const Tensor x = leaf(rng, xs);
        const Tensor gamma = leaf(rng, gs);
        const Tensor beta = leaf(rng, bs);
        Array running_mean = rng.uniform_array(ms, -1.0f, 1.0f);
        Array running_var = rng.uniform_array(vs, 0.5f, 2.0f);
        INFO("x " << shape_str(xs) << ", gamma " << shape_str(gs) << ", beta " << shape_str(bs)
                  << ", running " << shape_str(ms) << " and " << shape_str(vs) << ", training " << training);
        const bool rank_ok = xs.size() == 2 || xs.size() == 4;
        const std::size_t m = rank_ok ? xs[0] * (xs.size() == 4 ? xs[2] * xs[3] : 1) : 0;
        const Shape c{C};
        const bool ok = rank_ok && gs == c && bs == c && ms == c && vs == c && (!training || m > 1);
        check_op("batch_norm", ok ? gives(xs) : shape_error, {x, gamma, beta},
                 [&] { return batch_norm(x, gamma, beta, running_mean, running_var, training); });
        CHECK(running_mean.shape() == ms);
        CHECK(running_var.shape() == vs);
    });
}

// ---- picking positions ----------------------------------------------------------------------------

TEST_CASE("op sweep: argmax and topk") {
    sweep("argmax", 8'000'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, xs.size());
        const Array x = rng.uniform_array(xs, -2.0f, 2.0f);
        INFO("x " << shape_str(xs) << ", axis " << axis);
        const auto a = axis_in(axis, xs.size());
        const bool ok = a && xs[*a] > 0;
        const Shape ys = ok ? without(xs, *a) : Shape{};
        const auto y = outcome("argmax", ok ? gives(ys) : shape_error, [&] { return argmax(x, axis); });
        if (!y) return;
        check_shape("argmax", y->shape(), ys);
        for (std::size_t l = 0; l < y->size(); ++l) {  // the first position of the lane's largest value
            Idx idx = unravel(ys, l);
            idx.insert(idx.begin() + static_cast<std::ptrdiff_t>(*a), 0);
            std::size_t best = 0;
            for (std::size_t i = 0; i < xs[*a]; ++i) {
                idx[*a] = i;
                Idx b = idx;
                b[*a] = best;
                if (at(x, ravel(xs, idx)) > at(x, ravel(xs, b))) best = i;
            }
            CHECK_MESSAGE(static_cast<std::size_t>(y->data()[l]) == best, "argmax: lane " << l);
        }
    });

    sweep("topk", 8'100'000, [](Rng& rng) {
        const Shape xs = random_shape(rng);
        const std::ptrdiff_t axis = random_axis(rng, xs.size());
        const auto a = axis_in(axis, xs.size());
        const std::size_t k = pick(rng, (a ? xs[*a] : 2) + 2);  // now and then one more than there are
        const Array x = rng.uniform_array(xs, -2.0f, 2.0f);
        INFO("x " << shape_str(xs) << ", k " << k << ", axis " << axis);
        // An axis out of range is a ShapeError; k larger than the axis a ValueError.
        Shape ys = xs;
        if (a) ys[*a] = k;
        const Expect want = !a ? shape_error : k > xs[*a] ? value_error : gives(ys);
        const auto r = outcome("topk", want, [&] { return topk(x, k, axis); });
        if (!r) return;
        check_shape("topk values", r->values.shape(), ys);
        check_shape("topk indices", r->indices.shape(), ys);
        // values[..., i] is x at indices[..., i], sorted descending, and no value left out is larger.
        for (std::size_t i = 0; i < r->values.size(); ++i) {
            Idx idx = unravel(ys, i);
            const auto pos = static_cast<std::size_t>(r->indices.data()[i]);
            REQUIRE(pos < xs[*a]);
            idx[*a] = pos;
            CHECK(at(r->values, i) == at(x, ravel(xs, idx)));
            if (unravel(ys, i)[*a] + 1 == k) {  // the k-th largest: every element not taken is at most this
                std::size_t larger = 0;
                for (std::size_t j = 0; j < xs[*a]; ++j) {
                    idx[*a] = j;
                    if (at(x, ravel(xs, idx)) > at(r->values, i)) ++larger;
                }
                CHECK(larger < k);
            }
        }
    });
}
