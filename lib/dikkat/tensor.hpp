// Layer 1 — the array type. This is the one header that includes xtensor: every other file
// gets xtensor through here, so a change in xtensor's header layout is fixed in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <xtensor/xarray.hpp>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xview.hpp>
#include <xtensor/xstrided_view.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xsort.hpp>
#include <xtensor/xadapt.hpp>

namespace dikkat {

/// The engine's one array type: n-dimensional, row-major, float32. Values and gradients are
/// both `Array`s. (Keeping the engine float-only also sidesteps xtensor issue #2025, where
/// `xt::where` over mixed element types sums wrongly under xsimd.)
using Array = xt::xarray<float>;

/// A shape, as xtensor stores it (a small vector of sizes).
using Shape = Array::shape_type;

/// Integer ids — tokens, classes, positions — in arrays of any shape. They index into values;
/// they are never differentiated.
using Index = std::int32_t;
using IndexArray = xt::xarray<Index>;

/// Asks the C allocator (glibc's malloc) to keep freed memory for the next allocation instead of
/// handing it back to the operating system. A training step frees and allocates arrays of the
/// same sizes over and over; by default glibc returns every array above 128 kB with munmap and
/// maps it again on the next step — page faults that cost 10–20 % of a lesson's time. Memory
/// then stays at its peak, which is what a training run needs anyway. cli::Parser::parse calls
/// it; elsewhere a no-op.
void reuse_freed_memory();

/// "(2, 3, 4)" — how every error message and summary prints a shape.
std::string shape_str(const Shape& shape);

/// Number of elements a shape holds (1 for a scalar's empty shape).
std::size_t shape_numel(const Shape& shape);

/// "[1, 2]" — the multi-index of the element at row-major position `flat` (errors and checks
/// name the element they are talking about).
std::string index_str(const Shape& shape, std::size_t flat);

}  // namespace dikkat
