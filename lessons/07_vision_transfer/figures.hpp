// Lesson 7's figures of the first layer: its filters, and the maps they make of one test image.
#pragma once

#include <dikkat/io/run_folder.hpp>
#include <dikkat/vision/resnet.hpp>

#include "experiment.hpp"

namespace lesson7 {

/// filters.svg: the stem's filters after pretraining (and at initialisation, when
/// `untrained_stem` is the 4-d weight it started from); feature_maps.svg: the first image of
/// `test` and what each filter finds in it. With `use_my_code`, the maps come from the
/// exercise's im2col and one matrix product, and how far they are from the library's is printed.
void draw_filters_and_maps(dikkat::vision::ResNetBody& body, const Array& untrained_stem,
                           const ImageSet& test, bool use_my_code, dikkat::io::RunFolder& run);

}  // namespace lesson7
