#include <dikkat/viz/image_grid.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <dikkat/error.hpp>
#include <dikkat/viz/png.hpp>
#include <dikkat/viz/svg.hpp>

namespace dikkat::viz {

namespace {
std::uint8_t byte_of(float v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(v * 255.0f), 0L, 255L));
}
}  // namespace

std::string image_grid(const Array& images, std::size_t columns, double scale,
                       const std::vector<std::string>& captions, const std::string& title, ImageScale how) {
    if (images.dimension() != 4 || (images.shape()[1] != 1 && images.shape()[1] != 3))
        throw ShapeError("image_grid: images must be (K, 3, h, w) or (K, 1, h, w), got " +
                         shape_str(images.shape()));
    const std::size_t K = images.shape()[0], C = images.shape()[1], h = images.shape()[2],
                      w = images.shape()[3];
    if (!captions.empty() && captions.size() != K)
        throw ValueError("image_grid: " + std::to_string(captions.size()) + " captions for " +
                         std::to_string(K) + " images");
    if (columns == 0 || !(scale > 0)) throw ValueError("image_grid: columns and scale must be positive");
    const double gap = 6, caption_h = captions.empty() ? 0 : 14, title_h = title.empty() ? 6 : 26;
    double tile_w = double(w) * scale, cell_w = tile_w;
    for (const std::string& c : captions) cell_w = std::max(cell_w, text_width(c, 10));
    const std::size_t cols = std::min(columns, std::max<std::size_t>(K, 1)), rows = (K + cols - 1) / cols;
    Svg svg(double(cols) * (cell_w + gap) + gap,
            title_h + double(rows) * (double(h) * scale + caption_h + gap) + gap);
    if (!title.empty()) svg.text(gap, 18, title, 14, "start", 0, "#222", true);
    const std::size_t plane = h * w;
    for (std::size_t k = 0; k < K; ++k) {
        const float* img = images.data() + k * C * plane;
        float lo = 0, hi = 1;  // the values drawn black and white
        if (how == ImageScale::each) {
            lo = *std::min_element(img, img + C * plane);
            hi = *std::max_element(img, img + C * plane);
            if (hi - lo < 1e-12f) hi = lo + 1;
        } else if (how == ImageScale::each_zero) {
            float m = 1e-12f;
            for (std::size_t i = 0; i < C * plane; ++i) m = std::max(m, std::abs(img[i]));
            lo = -m, hi = m;
        }
        // The image as bytes, row by row; a small one (a filter) with each pixel repeated r × r
        // times, since not every SVG viewer keeps enlarged pixels sharp.
        const std::size_t r = w <= 16 ? std::max<std::size_t>(1, std::size_t(scale)) : 1, W = r * w;
        std::vector<std::uint8_t> rgb(3 * plane * r * r);
        for (std::size_t y = 0; y < h * r; ++y)
            for (std::size_t x = 0; x < W; ++x)
                for (std::size_t c = 0; c < 3; ++c)
                    rgb[3 * (y * W + x) + c] =
                        byte_of((img[(C == 1 ? 0 : c) * plane + (y / r) * w + x / r] - lo) / (hi - lo));
        const double x0 = gap + double(k % cols) * (cell_w + gap) + (cell_w - tile_w) / 2,
                     y0 = title_h + double(k / cols) * (double(h) * scale + caption_h + gap);
        svg.image(x0, y0, tile_w, double(h) * scale, png_data_uri(rgb.data(), W, h * r, 3 * W));
        if (!captions.empty())
            svg.text(x0 + tile_w / 2, y0 + double(h) * scale + 11, captions[k], 10, "middle");
    }
    return svg.str();
}

}  // namespace dikkat::viz
