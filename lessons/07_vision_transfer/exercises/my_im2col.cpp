// Exercise 7.1 — im2col: every window a filter visits, laid out as the columns of one matrix.
//
//     Ho = (H + 2·padding − KH) / stride + 1        Wo likewise
//     cols (C·KH·KW, N·Ho·Wo)
//     cols[(c·KH + i)·KW + j][(n·Ho + ho)·Wo + wo] = x[n][c][ho·stride + i − padding][wo·stride + j − padding]
//                                                    (0 when that row or column is outside the image)
//
// Then a convolution with weights W (O, C, KH, KW) is W reshaped to (O, C·KH·KW) times cols: one GEMM.
// Loop over n, c, i, j, ho, wo; compute the source row and column as signed numbers (std::ptrdiff_t)
// before comparing them with 0 and H/W. Arrays index as x(n, c, y, x); cols(row, col).
// Check: ./build/lessons/07_vision_transfer_check   Use it: ./build/lessons/07_vision_transfer --use-my-code
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Array exercises::my_im2col(const Array& x, std::size_t KH, std::size_t KW, std::size_t stride,
                           std::size_t padding) {
    (void)x, (void)KH, (void)KW, (void)stride, (void)padding;
    throw NotImplemented(
        "Exercise 7.1: write im2col in lessons/07_vision_transfer/exercises/my_im2col.cpp (chapter §8)");
}
