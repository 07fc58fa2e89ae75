// dikkat_draw_images — draws lesson 07's images into FOLDER/images/, as `dikkat_datasets images
// --out FOLDER` does at the default seed. The build runs it (target dikkat_images); it compiles
// only the image generator, so a build that needs the images need not compile every generator.
//
//   ./build/datasets/dikkat_draw_images build/datasets
#include <iostream>
#include <string>

#include <dikkat/error.hpp>

#include "common.hpp"

int main(int argc, char** argv) {
    if (argc != 2 || std::string(argv[1]).empty() || argv[1][0] == '-') {
        std::cerr << "usage: dikkat_draw_images FOLDER   (draws FOLDER/images/; other seeds: dikkat_datasets "
                     "images --help)\n";
        return 2;
    }
    try {
        namespace gen = dikkat::gen;
        gen::make_images(std::string(argv[1]) + "/images", gen::default_seed + gen::images_seed_offset,
                         std::cout);
    } catch (const dikkat::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
