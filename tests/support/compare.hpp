// Comparing two arrays in a test.
#pragma once

#include <doctest/doctest.h>

#include <dikkat/tensor.hpp>

/// The largest |a - b| over two arrays of the same shape.
inline double max_difference(const dikkat::Array& a, const dikkat::Array& b) {
    REQUIRE(a.shape() == b.shape());
    return static_cast<double>(xt::amax(xt::abs(a - b))());
}
