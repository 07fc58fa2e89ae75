#include <dikkat/ops/matmul.hpp>

#include <algorithm>
#include <atomic>

#include <cblas.h>

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/vector_math.hpp>
#include <dikkat/parallel.hpp>

namespace dikkat {

namespace {
std::atomic<std::uint64_t> g_gemm_flops{0};
}  // namespace

std::uint64_t gemm_flops() { return g_gemm_flops.load(std::memory_order_relaxed); }

// [gemm]
void gemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, const float* A,
          const float* B, float* C, float beta) {
    if (M == 0 || N == 0) return;
    g_gemm_flops.fetch_add(2 * M * N * K, std::memory_order_relaxed);
    if (K == 0) {  // BLAS may leave C untouched; the product of empty sums is zero
        if (beta == 0.0f)
            std::fill(C, C + M * N, beta);
        else
            for (std::size_t i = 0; i < M * N; ++i) C[i] *= beta;
        return;
    }
    const auto lda = static_cast<blasint>(trans_a ? M : K), ldb = static_cast<blasint>(trans_b ? K : N);
    // Rows [r0, r1) and columns [c0, c1) of C, with OpenBLAS on one thread.
    auto block = [&](std::size_t r0, std::size_t r1, std::size_t c0, std::size_t c1) {
        cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
                    static_cast<blasint>(r1 - r0), static_cast<blasint>(c1 - c0), static_cast<blasint>(K),
                    1.0f, trans_a ? A + r0 : A + r0 * K, lda, trans_b ? B + c0 * K : B + c0, ldb, beta,
                    C + r0 * N + c0, static_cast<blasint>(N));
    };
    // A product of at least 2^20 multiply-adds is worth splitting across Dikkat's threads. It is
    // cut into blocks of rows that do not depend on the thread count — one per 64 rows begun, at
    // most 4 — and each thread takes whole blocks: some of OpenBLAS's kernels (Haswell's, Zen's)
    // round a row differently in a block of another height, so blocks cut per thread would give
    // other bits at another --threads. Each block packs B again, which costs most where a block
    // has few rows and B many: a weight gradient (128 x 512, summed over 1024 rows) ran at 61
    // GFLOP/s in four blocks of 32 rows and 86 whole (SkylakeX, one thread; Haswell 55 and 69),
    // while a product of 1024 rows loses 2-4 % in four blocks. With one block per 16 rows,
    // gpt_small's one-thread step was 6 % longer than with one per 64 (bench, both alternately).
    const std::size_t mnk = M * N * K;
    // A product of at most 64 rows would be one block, on one thread: an LSTM's step (32 x 1,024
    // x 256 in lesson 6) or a convolution's filters times its patches (16 x 65,536 x 75 in lesson
    // 7). It is cut by columns instead, into at most 4 blocks of at least 128 columns and 2^21
    // multiply-adds each. Each block packs its own columns of B and all of A, which is small; on
    // one thread, blocks half that size made lesson 1's step (32 x 256 x 256) a few % longer.
    const bool by_columns = M <= 64 && N >= 256 && mnk >= (std::size_t{1} << 22);
    std::size_t blocks = 1;
    if (by_columns)
        blocks = std::min<std::size_t>({4, N / 128, mnk >> 21});
    else if (mnk >= (std::size_t{1} << 20))
        blocks = std::min<std::size_t>(4, (M + 63) / 64);
    parallel_for(blocks, blocks > 1 ? mnk / blocks : 0, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i)
            if (by_columns)
                block(0, M, i * N / blocks, (i + 1) * N / blocks);
            else
                block(i * M / blocks, (i + 1) * M / blocks, 0, N);
    });
}
// [gemm]

namespace {

std::string matmul_shapes(const Shape& a, const Shape& b) {
    return "a is " + shape_str(a) + ", b is " + shape_str(b);
}

// Where each batch of the output reads its a and b matrices: the batch axes of a and b are
// broadcast against each other; a size-1 axis repeats the same matrix (offset step 0).
struct BatchPlan {
    std::vector<std::size_t> a_off, b_off;  // element offsets of each batch's a and b matrix
};

BatchPlan plan_batches(const Shape& as, const Shape& bs, const Shape& batch) {
    const std::size_t nb = batch.size();
    const std::size_t count = shape_numel(batch);
    const std::size_t a_mat = as[as.size() - 2] * as[as.size() - 1];
    const std::size_t b_mat = bs[bs.size() - 2] * bs[bs.size() - 1];
    // Offset step of each output batch axis in a and in b (0 where broadcast).
    std::vector<std::size_t> a_step(nb, 0), b_step(nb, 0);
    std::size_t sa = a_mat, sb = b_mat;
    for (std::size_t i = nb; i-- > 0;) {
        const std::size_t ra = nb - 1 - i;  // axis counted from the right of the batch dims
        const std::size_t a_nb = as.size() - 2, b_nb = bs.size() - 2;
        if (ra < a_nb) {
            std::size_t d = as[a_nb - 1 - ra];
            a_step[i] = d == 1 ? 0 : sa;
            sa *= d;
        }
        if (ra < b_nb) {
            std::size_t d = bs[b_nb - 1 - ra];
            b_step[i] = d == 1 ? 0 : sb;
            sb *= d;
        }
    }
    BatchPlan plan{std::vector<std::size_t>(count), std::vector<std::size_t>(count)};
    std::vector<std::size_t> idx(nb, 0);
    std::size_t oa = 0, ob = 0;
    for (std::size_t n = 0; n < count; ++n) {
        plan.a_off[n] = oa;
        plan.b_off[n] = ob;
        for (std::size_t i = nb; i-- > 0;) {  // odometer increment
            oa += a_step[i];
            ob += b_step[i];
            if (++idx[i] < batch[i]) break;
            oa -= a_step[i] * batch[i];
            ob -= b_step[i] * batch[i];
            idx[i] = 0;
        }
    }
    return plan;
}

}  // namespace

// Y = A B                   dA += dY B^T,   dB += A^T dY     (per batch, summed where broadcast)
// Y = A B^T (transpose_b)   dA += dY B,     dB += dY^T A
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_b) {
    const Shape& as = a.shape();
    const Shape& bs = b.shape();
    if (as.size() < 2 || bs.size() < 2)
        throw ShapeError("matmul: both inputs need at least 2 dimensions (..., rows, cols); " +
                         matmul_shapes(as, bs) + ". Reshape a vector to (1, n) or (n, 1) first");
    // b is (..., k, m), or (..., m, k) read transposed.
    const std::size_t n = as[as.size() - 2], k = as[as.size() - 1];
    const std::size_t k2 = bs[bs.size() - (transpose_b ? 1 : 2)], m = bs[bs.size() - (transpose_b ? 2 : 1)];
    if (k != k2)
        throw ShapeError("matmul: inner dimensions differ: " + matmul_shapes(as, bs) +
                         (transpose_b ? "; with transpose_b, a.shape[-1] must equal b.shape[-1] ("
                                      : "; a.shape[-1] must equal b.shape[-2] (") +
                         std::to_string(k) + " vs " + std::to_string(k2) + ")");
    const Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
    Shape batch;
    try {
        batch = broadcast_shapes("matmul", a_batch, b_batch);
    } catch (const ShapeError&) {
        throw ShapeError("matmul: batch dimensions do not broadcast: " + matmul_shapes(as, bs) +
                         "; the leading axes " + shape_str(a_batch) + " and " + shape_str(b_batch) +
                         " must be equal or 1");
    }

    Shape out_shape = batch;
    out_shape.push_back(n);
    out_shape.push_back(m);
    Array out(out_shape);

    // (..., n, k) @ (k, m): every batch shares b, so the batch folds into the rows of one GEMM.
    const bool fold = b_batch.empty();
    const std::size_t rows = fold ? shape_numel(a_batch) * n : n;  // rows of each GEMM
    // One GEMM at offset 0 when folded — the common case (every Linear): shared, not rebuilt.
    static const auto one_gemm = std::make_shared<const BatchPlan>(BatchPlan{{0}, {0}});
    const auto plan = fold ? one_gemm : std::make_shared<const BatchPlan>(plan_batches(as, bs, batch));
    const float* pa = a.value().data();
    const float* pb = b.value().data();
    // Many small products (attention's B·H heads) split across Dikkat's threads; a large one is
    // split by OpenBLAS itself, so those stay on this thread (OpenBLAS does not split a product
    // of fewer than 65,536 · 4 multiply-adds, which is what `split` allows here).
    const std::size_t work = rows * m * k, batches = plan->a_off.size();
    const std::size_t split = batches > 1 && work <= (std::size_t{1} << 18) ? work : 0;  // 0: not split
    parallel_for(batches, split, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i)  // Y_i (rows, m) = A_i op(B_i)
            gemm(false, transpose_b, rows, m, k, pa + plan->a_off[i], pb + plan->b_off[i],
                 out.data() + i * rows * m, 0.0f);
    });
    Tensor y = make_result("matmul", std::move(out), {a, b});
    // A gradient can be split by batch only if no two batches add into the same block: when
    // the input was not broadcast along the batch.
    // Such an input's gradient blocks are each written by one GEMM, so the first gradient can
    // be written (beta = 0) instead of added to zeros.
    const bool a_whole = shape_numel(a_batch) == batches || batches == 1;
    const bool b_whole = shape_numel(b_batch) == batches || batches == 1;
    if (y.requires_grad())
        y.node().backward = [plan, rows, k, m, transpose_b, split, a_whole, b_whole](Node& self) {
            const Node& lhs = *self.inputs[0];
            const Node& rhs = *self.inputs[1];
            const float* dy = self.grad.data();
            const std::size_t n_batches = plan->a_off.size();
            // dA_i (rows, k) += dY_i (rows, m) op(B_i)^T
            const auto into_a = [&](Array& da, float beta) {
                parallel_for(n_batches, a_whole ? split : 0, [&](std::size_t first, std::size_t last) {
                    for (std::size_t i = first; i < last; ++i)
                        gemm(false, !transpose_b, rows, k, m, dy + i * rows * m,
                             rhs.value.data() + plan->b_off[i], da.data() + plan->a_off[i], beta);
                });
            };
            // dB_i += A_i^T dY_i (k, m), or dY_i^T A_i (m, k) when b is read transposed
            const auto into_b = [&](Array& db, float beta) {
                parallel_for(n_batches, b_whole ? split : 0, [&](std::size_t first, std::size_t last) {
                    for (std::size_t i = first; i < last; ++i) {
                        const float* ai = lhs.value.data() + plan->a_off[i];
                        const float* dyi = dy + i * rows * m;
                        if (transpose_b)
                            gemm(true, false, m, k, rows, dyi, ai, db.data() + plan->b_off[i], beta);
                        else
                            gemm(true, false, k, m, rows, ai, dyi, db.data() + plan->b_off[i], beta);
                    }
                });
            };
            if (a_whole)
                self.inputs[0]->accumulate_or_write(into_a);
            else
                self.inputs[0]->accumulate_in_place([&](Array& da) { into_a(da, 1.0f); });
            if (b_whole)
                self.inputs[1]->accumulate_or_write(into_b);
            else
                self.inputs[1]->accumulate_in_place([&](Array& db) { into_b(db, 1.0f); });
        };
    return y;
}

// y = x W + b             dx += dy W^T,   dW += x^T dy,   db += sum_rows(dy)
// The same floats as matmul(x, W) + b: the product is rounded, then the bias added.
// With relu: y = max(0, x W + b), and dy is first zeroed where y is 0 (relu's backward).
Tensor affine(const Tensor& x, const Tensor& W, const Tensor& b, bool relu) {
    const Shape& xs = x.shape();
    const Shape& ws = W.shape();
    if (xs.empty() || ws.size() != 2 || xs.back() != ws[0] || (b.defined() && b.shape() != Shape{ws[1]}))
        throw ShapeError("affine: x is " + shape_str(xs) + ", W is " + shape_str(ws) +
                         (b.defined() ? ", b is " + shape_str(b.shape()) : std::string()) +
                         "; expected x (..., in), W (in, out) and b (out,) or none, with x's last axis "
                         "equal to W.shape[0]");
    Shape out_shape(x.shape().begin(), x.shape().end() - 1);
    const std::size_t in = W.shape()[0], out = W.shape()[1], rows = shape_numel(out_shape);
    out_shape.push_back(out);
    Array y_value(out_shape);
    float* py = y_value.data();
    gemm(false, false, rows, out, in, x.value().data(), W.value().data(), py, 0.0f);
    const float* pb = b.defined() ? b.value().data() : nullptr;
    if (pb || relu)  // the bias, then the ReLU, row by row in one pass
        parallel_for(rows, out, [&](std::size_t first, std::size_t last) {
            for (std::size_t r = first; r < last; ++r) {
                float* yr = py + r * out;
                if (pb)
                    for (std::size_t j = 0; j < out; ++j) yr[j] += pb[j];
                if (relu) vec::relu(yr, yr, out);
            }
        });
    Tensor y = b.defined() ? make_result("affine", std::move(y_value), {x, W, b})
                           : make_result("affine", std::move(y_value), {x, W});
    if (y.requires_grad())
        y.node().backward = [rows, in, out, relu](Node& self) {
            Array through_relu;  // with relu: dy where y > 0, else 0 (a select, not a branch)
            if (relu) {
                through_relu = self.take_grad();
                const float* value = self.value.data();
                float* pg = through_relu.data();
                parallel_for(through_relu.size(), 1, [&](std::size_t first, std::size_t last) {
                    vec::relu_backward(pg + first, value + first, last - first);
                });
            }
            const Array& grad = relu ? through_relu : self.grad;
            const float* dy = grad.data();
            const float* px = self.inputs[0]->value.data();
            const float* pw = self.inputs[1]->value.data();
            if (self.inputs.size() == 3)  // db: dy summed over every leading axis
                self.inputs[2]->accumulate(sum_to(grad, self.inputs[2]->value.shape()));
            self.inputs[0]->accumulate_or_write(
                [&](Array& dx, float beta) { gemm(false, true, rows, in, out, dy, pw, dx.data(), beta); });
            self.inputs[1]->accumulate_or_write(
                [&](Array& dW, float beta) { gemm(true, false, in, out, rows, px, dy, dW.data(), beta); });
        };
    return y;
}

}  // namespace dikkat
