// The op sweep (test_op_sweep.cpp says what it checks): convolution, pooling, batch normalisation,
// and picking positions (argmax, topk).

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
