// Images as SVG: a grid of small pictures with a caption under each — a dataset's examples, a
// convolution's filters, the feature maps one image makes.
//
//     viz::image_grid(images, /*columns=*/8, /*scale=*/4, captions, "Examples")   images (K, 3, h, w)
//
// Each image is embedded as a small PNG (viz/png.hpp), drawn `scale` times its size with its
// pixels kept sharp.
#pragma once

#include <string>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat::viz {

/// How an image's numbers become colours.
enum class ImageScale {
    unit,       ///< values in [0, 1] (clamped): pixels as they are
    each,       ///< each image stretched to its own range: a learned filter's pattern
    each_zero,  ///< each image divided by its largest |value|, 0 drawn mid-grey: a filter's sign
};

/// One SVG document: images (K, 3, h, w) in colour or (K, 1, h, w) in grey, `columns` per row,
/// each caption (if given, one per image) under its image, the title on top.
/// Throws ShapeError unless images is 4-D with 1 or 3 channels, ValueError if the captions do
/// not match the images or columns or scale is 0.
std::string image_grid(const Array& images, std::size_t columns, double scale,
                       const std::vector<std::string>& captions = {}, const std::string& title = "",
                       ImageScale how = ImageScale::unit);

}  // namespace dikkat::viz
