// Ops for images (lesson 07): 2-D convolution through im2col and one matrix product, pooling,
// and batch normalisation.
//
// Images are NCHW: x[n, c, h, w] is pixel (h, w) of channel c of image n, stored row-major.
// A convolution slides a KH x KW window over the image; unrolling every window position into a
// column (im2col) turns the whole convolution into one GEMM with the weight as a matrix:
//
//     x (N, C, H, W) --im2col--> cols (C*KH*KW, N*Ho*Wo)
//     W (O, C*KH*KW) x cols   =  Y    (O, N*Ho*Wo)  --reorder-->  y (N, O, Ho, Wo)
//
// Backward runs the same picture in reverse: dW = dY cols^T, dcols = W^T dY, and col2im (the
// adjoint of im2col) adds every column back onto the pixels it was read from.
#pragma once

#include <cstddef>

#include <dikkat/autograd.hpp>

namespace dikkat {

// Legend: N batch, C channels in, O channels out, H W height width, KH KW kernel, Ho Wo output size.

/// Output size of a sliding window: \f$ \lfloor (\mathrm{size} + 2p - k) / s \rfloor + 1 \f$.
/// Throws ShapeError (naming `op`) if kernel > size + 2*padding, kernel == 0 or stride == 0.
std::size_t window_out_size(const char* op, std::size_t size, std::size_t kernel, std::size_t stride,
                            std::size_t padding);

/// im2col: x (N, C, H, W) -> cols (C*KH*KW, N*Ho*Wo);
/// \f$ \mathrm{cols}[(c, i, j), (n, h_o, w_o)] = x[n, c, h_o s - p + i, w_o s - p + j] \f$,
/// row (c, i, j) in c-major order, column (n, ho, wo) in n-major order; zero where the window
/// hangs over the padding. Throws ShapeError if x is not 4-D or the kernel does not fit.
Array im2col(const Array& x, std::size_t KH, std::size_t KW, std::size_t stride, std::size_t padding);

/// The adjoint of im2col: adds cols (C*KH*KW, N*Ho*Wo) back into dx (N, C, H, W) (every pixel
/// gets the sum of the columns that read it), so that
/// \f$ \langle \mathrm{col2im}(c), x \rangle = \langle c, \mathrm{im2col}(x) \rangle \f$.
/// Adds, never assigns. Throws ShapeError if dx is not 4-D or cols does not match it.
void col2im(const Array& cols, Array& dx, std::size_t KH, std::size_t KW, std::size_t stride,
            std::size_t padding);

/// \f$ y[n, o, h, w] = b_o + \sum_{c, i, j} W[o, c, i, j]\; x[n, c, h s - p + i, w s - p + j] \f$
/// (cross-correlation, as PyTorch's F.conv2d; x is zero outside the image).
/// x (N, C, H, W), weight (O, C, KH, KW), bias (O) or an undefined Tensor (no bias)
/// -> y (N, O, Ho, Wo). Computed as im2col + one GEMM \f$ Y = W\,\mathrm{cols} \f$.
/// Backward, with \f$ \bar Y \f$ the gradient as an (O, N*Ho*Wo) matrix:
/// \f$ \bar W \mathrel{+}= \bar Y\,\mathrm{cols}^\top \f$,
/// \f$ \bar x \mathrel{+}= \mathrm{col2im}(W^\top \bar Y) \f$,
/// \f$ \bar b_o \mathrel{+}= \sum_{n, h, w} \bar y[n, o, h, w] \f$.
/// Throws ShapeError naming both shapes if they do not fit together.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, std::size_t stride = 1,
              std::size_t padding = 0);

/// Max over each kernel x kernel window (stride s, no padding): (N, C, H, W) -> (N, C, Ho, Wo).
/// \f$ y[n, c, h, w] = \max_{i, j} x[n, c, h s + i, w s + j] \f$.
/// Backward routes the gradient to the (first) argmax of each window.
Tensor max_pool2d(const Tensor& x, std::size_t kernel, std::size_t stride);

/// Mean over each kernel x kernel window (stride s, no padding): (N, C, H, W) -> (N, C, Ho, Wo).
/// \f$ y[n, c, h, w] = \frac{1}{k^2} \sum_{i, j} x[n, c, h s + i, w s + j] \f$; backward spreads
/// \f$ \bar y / k^2 \f$ over the window.
Tensor avg_pool2d(const Tensor& x, std::size_t kernel, std::size_t stride);

/// Mean over H and W: (N, C, H, W) -> (N, C). \f$ y[n, c] = \frac{1}{HW} \sum_{h, w} x[n, c, h, w] \f$.
Tensor global_avg_pool(const Tensor& x);

/// Batch normalisation over axis 1 of x (N, C) or (N, C, H, W): statistics per channel over N
/// (and H, W), m values each.
/// \f$ \hat x = (x - \mu_c)/\sqrt{\sigma_c^2 + \epsilon} \f$, \f$ y = \gamma_c \hat x + \beta_c \f$,
/// gamma, beta, running_mean, running_var all of shape (C).
///
/// training: \f$ \mu, \sigma^2 \f$ are the batch's mean and biased variance (m > 1 values per
/// channel are needed), and the running statistics are updated in place as PyTorch does:
/// \f$ r_\mu \leftarrow (1 - \mathrm{momentum})\, r_\mu + \mathrm{momentum}\, \mu \f$,
/// \f$ r_{\sigma^2} \leftarrow (1 - \mathrm{momentum})\, r_{\sigma^2} + \mathrm{momentum}\, \frac{m}{m-1} \sigma^2 \f$
/// (the unbiased variance). Backward goes through the batch statistics, per channel:
/// \f$ \bar x = \frac{\gamma}{\sqrt{\sigma^2+\epsilon}} \big(\bar y - \mathrm{mean}(\bar y) - \hat x\,\mathrm{mean}(\bar y \odot \hat x)\big) \f$.
///
/// evaluation: \f$ \mu, \sigma^2 \f$ are running_mean and running_var, which are not changed;
/// backward is then the per-channel affine map \f$ \bar x = \gamma \bar y / \sqrt{r_{\sigma^2} + \epsilon} \f$.
///
/// Both modes: \f$ \bar\gamma = \sum \bar y \odot \hat x \f$, \f$ \bar\beta = \sum \bar y \f$ per channel.
Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Array& running_mean,
                  Array& running_var, bool training, float momentum = 0.1f, float eps = 1e-5f);

}  // namespace dikkat
