// Matrix products, through OpenBLAS's GEMM.
#pragma once

#include <cstdint>

#include <dikkat/autograd.hpp>

namespace dikkat {

/// \f$ Y = A B \f$ over the last two axes: a is (..., n, k), b is (..., k, m), y is (..., n, m).
/// Leading (batch) axes broadcast as NumPy does, so (B, T, C) @ (C, D) and
/// (B, H, T, d) @ (B, H, d, T) both work.
/// Backward: \f$ \bar A = \bar Y B^\top \f$, \f$ \bar B = A^\top \bar Y \f$, each summed over
/// the batch axes its input was broadcast along. Both are GEMMs that accumulate straight into
/// the inputs' gradients (beta = 1), so no temporary is allocated.
///
/// With `transpose_b`, \f$ Y = A B^\top \f$: b is (..., m, k) and is read transposed by GEMM
/// itself — no transposed copy is made. Attention scores \f$ Q K^\top \f$ (q and k both
/// (B, T, d)) and an output layer tied to an embedding (h (..., D) times W (V, D), see
/// nn::TiedLinear) are this product. Backward: \f$ \bar A = \bar Y B \f$,
/// \f$ \bar B = \bar Y^\top A \f$. (PyTorch: `a @ b.transpose(-2, -1)`.)
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_b = false);

/// \f$ Y = X W + b \f$ as one node: x (..., in), W (in, out), b (out) or undefined (no bias)
/// -> y (..., out); every row of x goes through the same W, so the whole batch is one GEMM.
/// The bias is added in the same pass, and in backward
/// \f$ \bar X = \bar Y W^\top \f$, \f$ \bar W = X^\top \bar Y \f$ (GEMMs straight into the
/// gradients) and \f$ \bar b = \sum_{rows} \bar Y \f$: what matmul(x, W) + b computes, in
/// one node instead of two, without the sum's copy of the output and of its gradient.
/// Throws ShapeError naming the shapes unless x is (..., in), W (in, out) and b (out).
/// nn::linear calls it. (PyTorch: `torch.nn.functional.linear`, with W stored transposed.)
/// With `relu`, \f$ Y = \max(0, X W + b) \f$ in the same node: the pre-activation is never
/// kept (a feed-forward layer's (B, T, F) array), and backward first zeroes \f$ \bar Y \f$ where
/// Y is 0 — the same floats as relu(affine(x, W, b)).
Tensor affine(const Tensor& x, const Tensor& W, const Tensor& b, bool relu = false);

/// C = op(A) op(B) + beta C on raw row-major buffers, op = transpose when the flag is set.
/// A is stored (M, K) — or (K, M) when trans_a — B (K, N) or (N, K), C (M, N).
/// The one place Dikkat calls BLAS (xt::blas::gemm on views of the buffers).
void gemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, const float* A,
          const float* B, float* C, float beta);

/// The floating-point operations gemm() has done in this process so far, 2·M·N·K per product:
/// what tests/perf/bench divides by the time of a step (its GFLOP/s).
std::uint64_t gemm_flops();

}  // namespace dikkat
