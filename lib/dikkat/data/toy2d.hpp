// Small 2-D classification sets, generated from a seed (nothing to download), for watching a
// network draw a decision boundary.
#pragma once

#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/random.hpp>

namespace dikkat::data {

/// Points in the plane with a class each.
struct Points2D {
    Array xy;          ///< (N, 2)
    IndexArray label;  ///< (N) class ids
};

/// Two interleaved spirals, class 0 and class 1, `per_class` points each, each arm turning
/// `turns` times around the origin; `noise` is the standard deviation of Gaussian jitter.
/// No straight line separates them: a network must bend its boundary to follow the arms.
/// The points come shuffled.
Points2D two_spirals(std::size_t per_class, Rng& rng, float noise = 0.05f, float turns = 1.5f);

}  // namespace dikkat::data
