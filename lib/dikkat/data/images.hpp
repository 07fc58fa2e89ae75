// Lesson 07's images (datasets/images/README.md): 32×32 colour pictures, stored as a sheet of
// tiles in a binary PPM that any image viewer opens, with one class name per tile in a text file.
//
//   ImageSet train = read_image_set(find_dataset("images/target"), "train");
//   train.images                        (3000, 3, 32, 32), values in [0, 1]
//   train.classes[train.labels[0]]      "star"
//
// The images are drawn by the build (target dikkat_images), not shipped; find_dataset looks in
// the build tree's datasets/ for them.
#pragma once

#include <string>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat::data {

/// A split of an image task: N images, their labels and the names of the labels.
struct ImageSet {
    Array images;                      ///< (N, 3, 32, 32), float, values in [0, 1]
    std::vector<Index> labels;         ///< N labels in [0, classes.size())
    std::vector<std::string> classes;  ///< classes[k] is the name of label k
    std::size_t size() const { return labels.size(); }
};

/// Reads `dir/classes.txt`, `dir/SPLIT.ppm` and `dir/SPLIT.labels.txt` (see
/// datasets/images/README.md): the sheet's tiles in row-major order, tile i labelled by line i of
/// the labels file; tiles past the last label are unused. Throws IoError naming the file (and
/// path:line in the text files) for: a missing file (and which build target makes it), a PPM
/// that is not binary (P6) or has a malformed header or a maxval other than 255, a sheet whose
/// sides are not multiples of 32, a pixel section shorter than the header promises, a header
/// comment `# dikkat-images tile 32 count <n>` whose tile is not 32 or whose count differs from
/// the number of labels, an empty or duplicate class name, a label naming an unknown class, more
/// labels than tiles, and an empty labels file.
ImageSet read_image_set(const std::string& dir, const std::string& split);

}  // namespace dikkat::data
