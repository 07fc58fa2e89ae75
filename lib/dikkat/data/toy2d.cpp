#include <dikkat/data/toy2d.hpp>

#include <cmath>
#include <numeric>

namespace dikkat::data {

Points2D two_spirals(std::size_t per_class, Rng& rng, float noise, float turns) {
    const std::size_t n = 2 * per_class;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    rng.shuffle(order);
    Points2D p{Array(Shape{n, 2}), IndexArray(IndexArray::shape_type{n})};
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t cls = i % 2;
        // Radius grows from 0.1 to 1 along the arm; class 1 is class 0 turned by half a circle.
        const float t = static_cast<float>(i / 2) / static_cast<float>(per_class);
        const float r = 0.1f + 0.9f * t;
        const float angle = 2.0f * 3.14159265f * turns * t + 3.14159265f * static_cast<float>(cls);
        const std::size_t row = order[i];
        p.xy(row, 0) = r * std::cos(angle) + rng.normal(0.0f, noise);
        p.xy(row, 1) = r * std::sin(angle) + rng.normal(0.0f, noise);
        p.label(row) = static_cast<Index>(cls);
    }
    return p;
}

}  // namespace dikkat::data
