// Lesson 0's implementation exercises. Write them in my_sigmoid.cpp and my_linear.cpp, then
//     ./build/lessons/00_autograd_check          compares them with the library's versions
//     ./build/lessons/00_autograd --use-my-code --activation sigmoid     trains with them
#pragma once

#include <dikkat/autograd.hpp>

namespace exercises {

/// Exercise 0.1: y = 1 / (1 + e^{-x}), with its backward written by you.
dikkat::Tensor my_sigmoid(const dikkat::Tensor& x);

/// Exercise 0.2: y = x W + b for x (N, in), W (in, out), b (out), built from ops; the library's
/// version is nn::linear.
dikkat::Tensor my_linear(const dikkat::Tensor& x, const dikkat::Tensor& W, const dikkat::Tensor& b);

}  // namespace exercises
