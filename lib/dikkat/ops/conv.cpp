#include <dikkat/ops/conv.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <dikkat/ops/matmul.hpp>
#include <dikkat/parallel.hpp>

namespace dikkat {

// Legend: N batch, C channels in, O channels out, H W height width, KH KW kernel, Ho Wo output
// size, P = Ho*Wo output pixels per image (or H*W per plane), K = C*KH*KW rows of cols.

namespace {

// The output positions o in [0, out) whose kernel tap i reads inside the image, that is
// 0 <= o*s + i - p < size: the half-open range [first, last). The rest read padding (zeros).
struct Span {
    std::size_t first, last;
};
Span inside(std::size_t out, std::size_t size, std::size_t i, std::size_t s, std::size_t p) {
    const std::size_t first = i >= p ? 0 : (p - i + s - 1) / s;             // o*s + i >= p
    const std::size_t end = size + p > i ? (size + p - i + s - 1) / s : 0;  // o*s + i < size + p
    const std::size_t last = std::min(end, out);
    return {std::min(first, last), last};
}

void require_nchw(const char* op, const Shape& xs) {
    if (xs.size() != 4)
        throw ShapeError(std::string(op) +
                         ": x must be 4-D (N, C, H, W) — images are NCHW: batch, channels, " +
                         "height, width — got " + shape_str(xs) + " (" + std::to_string(xs.size()) + "-D)");
}

// Ho and Wo of a (KH, KW) window over x (N, C, H, W); a ShapeError names x and `kernel`.
struct OutSize {
    std::size_t h, w;
};
OutSize window_out_hw(const char* op, const Shape& xs, std::size_t KH, std::size_t KW, std::size_t stride,
                      std::size_t padding, const std::string& kernel) {
    try {
        return {window_out_size(op, xs[2], KH, stride, padding),
                window_out_size(op, xs[3], KW, stride, padding)};
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(e.what()) + "; x is " + shape_str(xs) + ", " + kernel);
    }
}

}  // namespace

std::size_t window_out_size(const char* op, std::size_t size, std::size_t kernel, std::size_t stride,
                            std::size_t padding) {
    if (stride == 0) throw ShapeError(std::string(op) + ": stride must be at least 1, got 0");
    if (kernel == 0) throw ShapeError(std::string(op) + ": kernel size must be at least 1, got 0");
    if (kernel > size + 2 * padding)
        throw ShapeError(std::string(op) + ": kernel " + std::to_string(kernel) +
                         " is larger than the padded input (size " + std::to_string(size) +
                         " + 2 * padding " + std::to_string(padding) + " = " +
                         std::to_string(size + 2 * padding) + ")");
    return (size + 2 * padding - kernel) / stride + 1;
}

// cols[(c, i, j), (n, ho, wo)] = x[n, c, ho*s - p + i, wo*s - p + j]   (0 in the padding)
Array im2col(const Array& x, std::size_t KH, std::size_t KW, std::size_t stride, std::size_t padding) {
    require_nchw("im2col", x.shape());
    const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    const OutSize out_size = window_out_hw("im2col", x.shape(), KH, KW, stride, padding,
                                           "kernel (" + std::to_string(KH) + ", " + std::to_string(KW) + ")");
    const std::size_t Ho = out_size.h, Wo = out_size.w;
    const std::size_t P = Ho * Wo, NP = N * P;
    Array cols(Shape{C * KH * KW, NP});  // (C*KH*KW, N*Ho*Wo)
    const float* px = x.data();
    float* pc = cols.data();
    // One row (c, i, j) per item: each writes its own N*Ho*Wo numbers.
    parallel_for(C * KH * KW, NP, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const std::size_t c = r / (KH * KW), i = r / KW % KH, j = r % KW;
            const Span hs = inside(Ho, H, i, stride, padding), ws = inside(Wo, W, j, stride, padding);
            for (std::size_t n = 0; n < N; ++n) {
                const float* plane = px + (n * C + c) * H * W;
                float* out = pc + r * NP + n * P;  // (Ho, Wo)
                std::fill(out, out + hs.first * Wo, 0.0f);
                for (std::size_t ho = hs.first; ho < hs.last; ++ho) {
                    const float* xrow = plane + (ho * stride + i - padding) * W;
                    float* orow = out + ho * Wo;
                    std::fill(orow, orow + ws.first, 0.0f);
                    if (stride == 1 && ws.first < ws.last)  // (an empty span: no pointer outside the row)
                        std::copy(xrow + ws.first + j - padding, xrow + ws.last + j - padding,
                                  orow + ws.first);
                    else if (stride != 1)
                        for (std::size_t wo = ws.first; wo < ws.last; ++wo)
                            orow[wo] = xrow[wo * stride + j - padding];
                    std::fill(orow + ws.last, orow + Wo, 0.0f);
                }
                std::fill(out + hs.last * Wo, out + P, 0.0f);
            }
        }
    });
    return cols;
}

// dx[n, c, ho*s - p + i, wo*s - p + j] += cols[(c, i, j), (n, ho, wo)]   (padding dropped)
void col2im(const Array& cols, Array& dx, std::size_t KH, std::size_t KW, std::size_t stride,
            std::size_t padding) {
    if (dx.dimension() != 4)
        throw ShapeError("col2im: dx must be 4-D (N, C, H, W), got " + shape_str(dx.shape()));
    const std::size_t N = dx.shape()[0], C = dx.shape()[1], H = dx.shape()[2], W = dx.shape()[3];
    const OutSize out_size = window_out_hw("col2im", dx.shape(), KH, KW, stride, padding,
                                           "kernel (" + std::to_string(KH) + ", " + std::to_string(KW) + ")");
    const std::size_t Ho = out_size.h, Wo = out_size.w;
    const std::size_t P = Ho * Wo, NP = N * P;
    if (cols.shape() != Shape{C * KH * KW, NP})
        throw ShapeError("col2im: cols " + shape_str(cols.shape()) + " must be (C*KH*KW, N*Ho*Wo) = " +
                         shape_str(Shape{C * KH * KW, NP}) + " for dx " + shape_str(dx.shape()) +
                         " and kernel (" + std::to_string(KH) + ", " + std::to_string(KW) + ")");
    const float* pc = cols.data();
    float* pd = dx.data();
    // One image plane (n, c) per item: every column that reads it adds into it, nothing else does.
    parallel_for(N * C, KH * KW * P, [&](std::size_t first, std::size_t last) {
        for (std::size_t q = first; q < last; ++q) {
            const std::size_t n = q / C, c = q % C;
            float* plane = pd + q * H * W;
            for (std::size_t i = 0; i < KH; ++i)
                for (std::size_t j = 0; j < KW; ++j) {
                    const float* row = pc + ((c * KH + i) * KW + j) * NP + n * P;  // (Ho, Wo)
                    const Span hs = inside(Ho, H, i, stride, padding), ws = inside(Wo, W, j, stride, padding);
                    for (std::size_t ho = hs.first; ho < hs.last; ++ho) {
                        float* xrow = plane + (ho * stride + i - padding) * W;
                        const float* crow = row + ho * Wo;
                        if (stride == 1) {  // contiguous: vectorises
                            for (std::size_t wo = ws.first; wo < ws.last; ++wo)
                                xrow[wo + j - padding] += crow[wo];  // an index, not a pointer before the row
                        } else {
                            for (std::size_t wo = ws.first; wo < ws.last; ++wo)
                                xrow[wo * stride + j - padding] += crow[wo];
                        }
                    }
                }
        }
    });
}

// Y (O, N*Ho*Wo) = W (O, K) cols (K, N*Ho*Wo), then y[n, o] = Y[o, n] + b[o]
// dW += dY cols^T      dcols = W^T dY -> col2im -> dx      db[o] += sum dY[o, :]
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, std::size_t stride,
              std::size_t padding) {
    const Shape& xs = x.shape();
    const Shape& ws = weight.shape();
    require_nchw("conv2d", xs);
    if (ws.size() != 4)
        throw ShapeError("conv2d: weight must be 4-D (out, in, KH, KW), got " + shape_str(ws) + " (" +
                         std::to_string(ws.size()) + "-D)");
    const std::size_t N = xs[0], C = xs[1], O = ws[0], KH = ws[2], KW = ws[3];
    if (ws[1] != C)
        throw ShapeError("conv2d: x " + shape_str(xs) + " has " + std::to_string(C) +
                         " channels but weight " + shape_str(ws) + " expects " + std::to_string(ws[1]) +
                         " (weight is (out, in, KH, KW))");
    if (bias.defined() && bias.shape() != Shape{O})
        throw ShapeError("conv2d: bias " + shape_str(bias.shape()) + " must have shape " +
                         shape_str(Shape{O}) + ", one per output channel of weight " + shape_str(ws));
    const OutSize out_size =
        window_out_hw("conv2d", xs, KH, KW, stride, padding, "weight is " + shape_str(ws));
    const std::size_t Ho = out_size.h, Wo = out_size.w;
    const std::size_t K = C * KH * KW, P = Ho * Wo, NP = N * P;

    // [conv2d_forward]
    Array cols = im2col(x.value(), KH, KW, stride, padding);  // (K, N*Ho*Wo)
    Array Y(Shape{O, NP});                                    // (O, N*Ho*Wo)
    gemm(false, false, O, NP, K, weight.value().data(), cols.data(), Y.data(), 0.0f);
    // [conv2d_forward]
    Array out(Shape{N, O, Ho, Wo});  // (N, O, Ho, Wo)
    const float* pb = bias.defined() ? bias.value().data() : nullptr;
    parallel_for(N * O, P, [&](std::size_t first, std::size_t last) {
        for (std::size_t q = first; q < last; ++q) {
            const std::size_t n = q / O, o = q % O;
            const float b = pb ? pb[o] : 0.0f;
            const float* src = Y.data() + o * NP + n * P;
            float* dst = out.data() + q * P;
            for (std::size_t p = 0; p < P; ++p) dst[p] = src[p] + b;
        }
    });

    Tensor y =
        make_result("conv2d", std::move(out),
                    bias.defined() ? std::vector<Tensor>{x, weight, bias} : std::vector<Tensor>{x, weight});
    if (y.requires_grad()) {
        const bool keep_cols = weight.requires_grad();  // only dW needs cols
        if (!keep_cols) cols = Array();
        y.node().backward = [cols = std::move(cols), keep_cols, N, O, K, P, NP, KH, KW, stride,
                             padding](Node& self) {
            const float* g = self.grad.data();
            Array dY(Shape{O, NP});  // (N, O, Ho, Wo) -> (O, N*Ho*Wo)
            parallel_for(O * N, P, [&](std::size_t first, std::size_t last) {
                for (std::size_t q = first; q < last; ++q) {
                    const std::size_t o = q / N, n = q % N;
                    std::copy_n(g + (n * O + o) * P, P, dY.data() + o * NP + n * P);
                }
            });
            if (self.inputs.size() == 3)  // db[o] += sum over (n, ho, wo) of dY[o, :]
                self.inputs[2]->accumulate_in_place([&](Array& db) {
                    parallel_for(O, NP, [&](std::size_t first, std::size_t last) {
                        for (std::size_t o = first; o < last; ++o) {
                            double s = 0.0;
                            for (std::size_t k = 0; k < NP; ++k)
                                s += static_cast<double>(dY.data()[o * NP + k]);
                            db.data()[o] += static_cast<float>(s);
                        }
                    });
                });
            // dW (O, K) += dY (O, NP) cols^T (NP, K), computed as its transpose cols dY^T (K, O): a GEMM
            // with K rows instead of O splits better across threads (each reads only its rows of
            // cols) and on one thread measured as fast or faster (up to 1.9x for O = 16, K = 144).
            if (keep_cols) {
                Array dWt(Shape{K, O});
                gemm(false, true, K, O, NP, cols.data(), dY.data(), dWt.data(), 0.0f);
                self.inputs[1]->accumulate_in_place([&](Array& dW) {
                    for (std::size_t o = 0; o < O; ++o)
                        for (std::size_t k = 0; k < K; ++k) dW.data()[o * K + k] += dWt.data()[k * O + o];
                });
            }
            // dcols (K, NP) = W^T (K, O) dY (O, NP);  dx += col2im(dcols)
            if (self.inputs[0]->requires_grad) {
                Array dcols(Shape{K, NP});
                gemm(true, false, K, NP, O, self.inputs[1]->value.data(), dY.data(), dcols.data(), 0.0f);
                self.inputs[0]->accumulate_in_place(
                    [&](Array& dx) { col2im(dcols, dx, KH, KW, stride, padding); });
            }
        };
    }
    return y;
}

// y[n, c, ho, wo] = max over the window of x        dx[argmax] += dy
Tensor max_pool2d(const Tensor& x, std::size_t kernel, std::size_t stride) {
    require_nchw("max_pool2d", x.shape());
    const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    const OutSize out_size = window_out_hw("max_pool2d", x.shape(), kernel, kernel, stride, 0,
                                           "kernel " + std::to_string(kernel) + " (no padding)");
    const std::size_t Ho = out_size.h, Wo = out_size.w;
    const std::size_t P = Ho * Wo;
    Array out(Shape{N, C, Ho, Wo});
    std::vector<std::size_t> argmax(N * C * P);  // position of each window's max in its (H, W) plane
    const float* px = x.value().data();
    parallel_for(N * C, kernel * kernel * P, [&](std::size_t first, std::size_t last) {
        for (std::size_t q = first; q < last; ++q) {
            const float* plane = px + q * H * W;
            for (std::size_t ho = 0; ho < Ho; ++ho)
                for (std::size_t wo = 0; wo < Wo; ++wo) {
                    std::size_t best = ho * stride * W + wo * stride;
                    for (std::size_t i = 0; i < kernel; ++i)
                        for (std::size_t j = 0; j < kernel; ++j) {
                            const std::size_t at = (ho * stride + i) * W + wo * stride + j;
                            if (plane[at] > plane[best]) best = at;  // strict: the first max wins
                        }
                    out.data()[q * P + ho * Wo + wo] = plane[best];
                    argmax[q * P + ho * Wo + wo] = best;
                }
        }
    });
    Tensor y = make_result("max_pool2d", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [argmax = std::move(argmax), planes = N * C, P, HW = H * W](Node& self) {
            const float* dy = self.grad.data();
            self.inputs[0]->accumulate_in_place([&](Array& dx) {
                parallel_for(planes, P, [&](std::size_t first, std::size_t last) {
                    for (std::size_t q = first; q < last; ++q)  // windows may overlap: one plane per item
                        for (std::size_t k = q * P; k < (q + 1) * P; ++k)
                            dx.data()[q * HW + argmax[k]] += dy[k];
                });
            });
        };
    return y;
}

// y[n, c, ho, wo] = mean over the window of x        dx[window] += dy / k^2
Tensor avg_pool2d(const Tensor& x, std::size_t kernel, std::size_t stride) {
    require_nchw("avg_pool2d", x.shape());
    const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    const OutSize out_size = window_out_hw("avg_pool2d", x.shape(), kernel, kernel, stride, 0,
                                           "kernel " + std::to_string(kernel) + " (no padding)");
    const std::size_t Ho = out_size.h, Wo = out_size.w;
    const std::size_t P = Ho * Wo;
    const float scale = 1.0f / static_cast<float>(kernel * kernel);
    Array out(Shape{N, C, Ho, Wo});
    const float* px = x.value().data();
    parallel_for(N * C, kernel * kernel * P, [&](std::size_t first, std::size_t last) {
        for (std::size_t q = first; q < last; ++q) {
            const float* plane = px + q * H * W;
            for (std::size_t ho = 0; ho < Ho; ++ho)
                for (std::size_t wo = 0; wo < Wo; ++wo) {
                    float s = 0.0f;
                    for (std::size_t i = 0; i < kernel; ++i)
                        for (std::size_t j = 0; j < kernel; ++j)
                            s += plane[(ho * stride + i) * W + wo * stride + j];
                    out.data()[q * P + ho * Wo + wo] = s * scale;
                }
        }
    });
    Tensor y = make_result("avg_pool2d", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [planes = N * C, kernel, stride, H, W, Ho, Wo, scale](Node& self) {
            const float* dy = self.grad.data();
            self.inputs[0]->accumulate_in_place([&](Array& dx) {
                parallel_for(planes, kernel * kernel * Ho * Wo, [&](std::size_t first, std::size_t last) {
                    for (std::size_t q = first; q < last; ++q) {
                        float* plane = dx.data() + q * H * W;
                        for (std::size_t ho = 0; ho < Ho; ++ho)
                            for (std::size_t wo = 0; wo < Wo; ++wo) {
                                const float d = dy[(q * Ho + ho) * Wo + wo] * scale;
                                for (std::size_t i = 0; i < kernel; ++i)
                                    for (std::size_t j = 0; j < kernel; ++j)
                                        plane[(ho * stride + i) * W + wo * stride + j] += d;
                            }
                    }
                });
            });
        };
    return y;
}

// y[n, c] = mean over (h, w) of x[n, c]        dx[n, c, h, w] += dy[n, c] / (H*W)
Tensor global_avg_pool(const Tensor& x) {
    require_nchw("global_avg_pool", x.shape());
    const std::size_t N = x.shape()[0], C = x.shape()[1], HW = x.shape()[2] * x.shape()[3];
    if (HW == 0)
        throw ShapeError("global_avg_pool: x " + shape_str(x.shape()) +
                         " has no pixels to average (H*W = 0)");
    Array out(Shape{N, C});  // (N, C)
    const float* px = x.value().data();
    parallel_for(N * C, HW, [&](std::size_t first, std::size_t last) {
        for (std::size_t q = first; q < last; ++q) {
            double s = 0.0;
            for (std::size_t k = 0; k < HW; ++k) s += static_cast<double>(px[q * HW + k]);
            out.data()[q] = static_cast<float>(s / static_cast<double>(HW));
        }
    });
    Tensor y = make_result("global_avg_pool", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [planes = N * C, HW](Node& self) {
            const float* dy = self.grad.data();
            const float scale = 1.0f / static_cast<float>(HW);
            self.inputs[0]->accumulate_in_place([&](Array& dx) {
                parallel_for(planes, HW, [&](std::size_t first, std::size_t last) {
                    for (std::size_t q = first; q < last; ++q)
                        for (std::size_t k = 0; k < HW; ++k) dx.data()[q * HW + k] += dy[q] * scale;
                });
            });
        };
    return y;
}

// y = gamma * (x - mean) / sqrt(var + eps) + beta, per channel c over the m = N*H*W values
// x[n, c, p] (p a pixel, P = H*W, or P = 1 for x (N, C)). Statistics summed in double, as in
// layer_norm.
Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Array& running_mean,
                  Array& running_var, bool training, float momentum, float eps) {
    const Shape& xs = x.shape();
    if (xs.size() != 2 && xs.size() != 4)
        throw ShapeError("batch_norm: x must be 2-D (N, C) or 4-D (N, C, H, W), got " + shape_str(xs) + " (" +
                         std::to_string(xs.size()) + "-D)");
    const std::size_t N = xs[0], C = xs[1], P = xs.size() == 4 ? xs[2] * xs[3] : 1, m = N * P;
    const Shape per_channel{C};
    if (gamma.shape() != per_channel || beta.shape() != per_channel)
        throw ShapeError("batch_norm: gamma " + shape_str(gamma.shape()) + " and beta " +
                         shape_str(beta.shape()) + " must both have shape " + shape_str(per_channel) +
                         ", one per channel (axis 1) of x " + shape_str(xs));
    if (running_mean.shape() != per_channel || running_var.shape() != per_channel)
        throw ShapeError("batch_norm: running_mean " + shape_str(running_mean.shape()) + " and running_var " +
                         shape_str(running_var.shape()) + " must both have shape " + shape_str(per_channel) +
                         ", one per channel (axis 1) of x " + shape_str(xs));
    if (training && m < 2)
        throw ShapeError(
            "batch_norm: training needs more than one value per channel to estimate a variance; x " +
            shape_str(xs) + " has " + std::to_string(m) + (xs.size() == 4 ? " (N*H*W)" : " (N)"));
    Array out(xs);
    Array xhat(xs);
    Array rstd(per_channel);  // 1 / sqrt(var + eps) of each channel
    const float* px = x.value().data();
    const float* pg = gamma.value().data();
    const float* pb = beta.value().data();
    const double md = static_cast<double>(m), mom = static_cast<double>(momentum);
    parallel_for(C, m, [&](std::size_t first, std::size_t last) {
        for (std::size_t c = first; c < last; ++c) {
            double mu = static_cast<double>(running_mean(c)), var = static_cast<double>(running_var(c));
            if (training) {
                mu = 0.0;
                for (std::size_t n = 0; n < N; ++n)
                    for (std::size_t p = 0; p < P; ++p) mu += static_cast<double>(px[(n * C + c) * P + p]);
                mu /= md;
                var = 0.0;
                for (std::size_t n = 0; n < N; ++n)
                    for (std::size_t p = 0; p < P; ++p) {
                        const double d = static_cast<double>(px[(n * C + c) * P + p]) - mu;
                        var += d * d;
                    }
                var /= md;  // biased: the batch is normalised with it
                // PyTorch's running update, with the unbiased variance
                running_mean(c) =
                    static_cast<float>((1.0 - mom) * static_cast<double>(running_mean(c)) + mom * mu);
                running_var(c) = static_cast<float>((1.0 - mom) * static_cast<double>(running_var(c)) +
                                                    mom * var * md / (md - 1.0));
            }
            const double rs = 1.0 / std::sqrt(var + static_cast<double>(eps));
            rstd(c) = static_cast<float>(rs);
            for (std::size_t n = 0; n < N; ++n)
                for (std::size_t p = 0; p < P; ++p) {
                    const std::size_t at = (n * C + c) * P + p;
                    const auto h = static_cast<float>((static_cast<double>(px[at]) - mu) * rs);
                    xhat.data()[at] = h;
                    out.data()[at] = pg[c] * h + pb[c];
                }
        }
    });
    Tensor y = make_result("batch_norm", std::move(out), {x, gamma, beta});
    if (y.requires_grad())
        y.node().backward = [xhat = std::move(xhat), rstd = std::move(rstd), training, N, C, P, m,
                             md](Node& self) {
            const float* dy = self.grad.data();
            const float* h = xhat.data();
            const float* g = self.inputs[1]->value.data();
            // Per channel: sum_dy = sum dy,  sum_dyh = sum dy * xhat
            std::vector<double> sum_dy(C, 0.0), sum_dyh(C, 0.0);
            parallel_for(C, m, [&](std::size_t first, std::size_t last) {
                for (std::size_t c = first; c < last; ++c)
                    for (std::size_t n = 0; n < N; ++n)
                        for (std::size_t p = 0; p < P; ++p) {
                            const std::size_t at = (n * C + c) * P + p;
                            sum_dy[c] += static_cast<double>(dy[at]);
                            sum_dyh[c] += static_cast<double>(dy[at]) * static_cast<double>(h[at]);
                        }
            });
            // dgamma[c] += sum_dyh[c]        dbeta[c] += sum_dy[c]
            self.inputs[1]->accumulate_in_place([&](Array& dgamma) {
                for (std::size_t c = 0; c < C; ++c) dgamma.data()[c] += static_cast<float>(sum_dyh[c]);
            });
            self.inputs[2]->accumulate_in_place([&](Array& dbeta) {
                for (std::size_t c = 0; c < C; ++c) dbeta.data()[c] += static_cast<float>(sum_dy[c]);
            });
            // training: dx = gamma * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
            // evaluation: dx = gamma * rstd * dy  (the statistics are constants)
            self.inputs[0]->accumulate_in_place([&](Array& dx_array) {
                float* dx = dx_array.data();
                parallel_for(C, m, [&](std::size_t first, std::size_t last) {
                    for (std::size_t c = first; c < last; ++c) {
                        const float k = g[c] * rstd(c);
                        const auto mean_dy = training ? static_cast<float>(sum_dy[c] / md) : 0.0f;
                        const auto mean_dyh = training ? static_cast<float>(sum_dyh[c] / md) : 0.0f;
                        for (std::size_t n = 0; n < N; ++n)
                            for (std::size_t p = 0; p < P; ++p) {
                                const std::size_t at = (n * C + c) * P + p;
                                dx[at] += k * (dy[at] - mean_dy - h[at] * mean_dyh);
                            }
                    }
                });
            });
        };
    return y;
}

}  // namespace dikkat
