// Exercise 7.1 — reference solution.
#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

Array exercises::my_im2col(const Array& x, std::size_t KH, std::size_t KW, std::size_t stride,
                           std::size_t padding) {
    const std::size_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
    const std::size_t Ho = (H + 2 * padding - KH) / stride + 1, Wo = (W + 2 * padding - KW) / stride + 1;
    Array cols = xt::zeros<float>({C * KH * KW, N * Ho * Wo});
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t i = 0; i < KH; ++i)
                for (std::size_t j = 0; j < KW; ++j)
                    for (std::size_t ho = 0; ho < Ho; ++ho)
                        for (std::size_t wo = 0; wo < Wo; ++wo) {
                            const auto y = std::ptrdiff_t(ho * stride + i) - std::ptrdiff_t(padding);
                            const auto xx = std::ptrdiff_t(wo * stride + j) - std::ptrdiff_t(padding);
                            if (y < 0 || xx < 0 || y >= std::ptrdiff_t(H) || xx >= std::ptrdiff_t(W))
                                continue;
                            cols((c * KH + i) * KW + j, (n * Ho + ho) * Wo + wo) =
                                x(n, c, std::size_t(y), std::size_t(xx));
                        }
    return cols;
}
