// Fuzz target: lesson 7's image sets (data/images.hpp). The input is three files cut at its first
// two NUL bytes: classes.txt, train.labels.txt, then train.ppm (which may hold NULs itself).
// Promises checked: N images of (N, 3, 32, 32) for N labels, every label a class, values in [0, 1].
#include <dikkat/data/images.hpp>

#include "fuzz.hpp"

using namespace dikkat;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input = fuzz::bytes(data, size);
    const std::size_t a = input.find('\0');
    const std::size_t b = a == std::string::npos ? a : input.find('\0', a + 1);
    if (b == std::string::npos) return 0;
    fuzz::scratch_file("classes.txt", input.substr(0, a));
    fuzz::scratch_file("train.labels.txt", input.substr(a + 1, b - a - 1));
    fuzz::scratch_file("train.ppm", input.substr(b + 1));
    fuzz::refused_or_accepted([&] {
        const data::ImageSet set = data::read_image_set(fuzz::scratch_dir(), "train");
        fuzz::require(set.images.shape() == Shape({set.size(), 3, 32, 32}), "(N, 3, 32, 32) images");
        for (Index label : set.labels)
            fuzz::require(label >= 0 && static_cast<std::size_t>(label) < set.classes.size(),
                          "labels are classes");
        for (float v : set.images) fuzz::require(v >= 0.0f && v <= 1.0f, "pixel values in [0, 1]");
    });
    return 0;
}
