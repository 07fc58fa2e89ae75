#include "figures.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <dikkat/dikkat.hpp>
#include <dikkat/viz/image_grid.hpp>
#include <dikkat/viz/svg.hpp>

#include "exercises/exercises.hpp"

using namespace dikkat;

namespace lesson7 {

// What the first layer learned: its filters (before and after pretraining), and the maps they make of
// one test image.
void draw_filters_and_maps(vision::ResNetBody& body, const Array& untrained_stem, const ImageSet& test,
                           bool use_my_code, io::RunFolder& run) {
    const std::size_t w = body.config().width;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < w; ++i) names.push_back(std::to_string(i));
    std::vector<std::string> panels = {viz::image_grid(body.stem.weight.value(), 8, 10, names,
                                                       "The stem's filters after pretraining",
                                                       viz::ImageScale::each)};
    if (untrained_stem.dimension() == 4)
        panels.push_back(viz::image_grid(untrained_stem, 8, 10, names, "The same filters at initialisation",
                                         viz::ImageScale::each));
    viz::write_text_file(run.file("filters.svg", "the first layer's filters as colour images"),
                         viz::panels(panels, 1));

    const ImageSet one = slice(test, 0, 1);
    body.eval();
    NoGrad no_grad;
    Array maps = body.stem_maps(Tensor(one.images)).value();  // (1, w, 32, 32)
    if (use_my_code) {  // the stem as im2col and one matrix product, with your im2col
        const std::size_t k = body.config().stem_kernel;
        const Array cols = exercises::my_im2col(one.images, k, k, 1, k / 2);  // (3·k·k, 32·32)
        const Tensor W = reshape(Tensor(body.stem.weight.value()), {std::ptrdiff_t(w), -1});
        const Tensor raw = reshape(matmul(W, Tensor(cols)), {1, std::ptrdiff_t(w), 32, 32});
        const Array mine = relu(body.stem_bn(raw)).value();
        std::printf("\n  Your im2col: the stem's maps differ from the library's by at most %.2g\n",
                    double(xt::amax(xt::abs(mine - maps))()));
        maps = mine;
    }
    const Array map_images = xt::reshape_view(maps, {w, std::size_t{1}, std::size_t{32}, std::size_t{32}});
    viz::write_text_file(
        run.file("feature_maps.svg", "one test image and the stem's maps of it"),
        viz::panels(
            {viz::image_grid(one.images, 1, 4, {test.classes[std::size_t(one.labels[0])]}, "A test image"),
             viz::image_grid(map_images, 8, 3, names, "What each stem filter finds in it (bright: strong)",
                             viz::ImageScale::each)},
            1));
}

}  // namespace lesson7
