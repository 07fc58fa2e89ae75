// Lesson 7's implementation exercise. Write it in my_im2col.cpp, then
//     ./build/lessons/07_vision_transfer_check            compares it with the library's im2col
//     ./build/lessons/07_vision_transfer --use-my-code    draws the stem's feature maps with it
#pragma once

#include <cstddef>

#include <dikkat/tensor.hpp>

namespace exercises {

/// Exercise 7.1: im2col, the step that turns a convolution into one matrix product. x (N, C, H, W)
/// -> cols (C·KH·KW, N·Ho·Wo): column (n, ho, wo) holds the window the filter covers at output pixel
/// (ho, wo) of image n — row (c, i, j) is pixel (ho·stride + i − padding, wo·stride + j − padding) of
/// channel c, or 0 where the window hangs over the border.
dikkat::Array my_im2col(const dikkat::Array& x, std::size_t KH, std::size_t KW, std::size_t stride,
                        std::size_t padding);

}  // namespace exercises
