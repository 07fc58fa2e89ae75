// dikkat_datasets — makes every data file in datasets/ from a seed.
//
//   ./build/datasets/dikkat_datasets all                  # rewrite datasets/ in place
//   ./build/datasets/dikkat_datasets translation --out /tmp/x
//   ./build/datasets/dikkat_datasets images               # lesson 07's images, into build/datasets/
//
// `all` is the shipped sets. The images are not shipped: the build draws them into
// build/datasets/images/ (target dikkat_images), so `images` writes there unless --out says
// otherwise. Each set has its own seed, --seed plus an offset: translation S, text S + 1,
// reviews S + 2, images S + 3 (2024, 2025, 2026 and 2027 by default).
//
// Same seed, same bytes, on every compiler: all randomness goes through dikkat::Rng, which
// turns raw mt19937 words into choices itself (the standard library's distributions differ
// between implementations). The statistics each README quotes are printed as it goes.
#include <iostream>

#include <CLI/CLI.hpp>

#include <dikkat/error.hpp>

#include "common.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Make the Dikkat datasets (deterministic from a seed)"};
    std::string what = "all";
    std::string out;  // datasets, or build/datasets for the images
    std::uint64_t seed = dikkat::gen::default_seed;
    app.add_option("set", what,
                   "translation | text | reviews | all (the shipped sets) | images (lesson 07's)")
        ->check(CLI::IsMember({"translation", "text", "reviews", "all", "images"}));
    app.add_option("--out", out,
                   "folder that receives translation/, text/ or images/ "
                   "[default: datasets; for images build/datasets, where the build draws them]");
    app.add_option("--seed", seed,
                   "random seed: translation uses it, text +1, reviews +2, images +3 "
                   "(the default makes the shipped files and the build's images)")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    if (out.empty()) out = what == "images" ? "build/datasets" : "datasets";
    try {
        using namespace dikkat::gen;
        if (what == "translation" || what == "all") make_translation(out + "/translation", seed, std::cout);
        if (what == "text" || what == "all") make_general_text(out + "/text/general", seed + 1, std::cout);
        if (what == "reviews" || what == "all") make_reviews(out + "/text", seed + 2, std::cout);
        if (what == "images") make_images(out + "/images", seed + images_seed_offset, std::cout);
        // Once both text sets are in the folder (made now or before): how many review words the
        // general text already taught.
        if (what == "text" || what == "reviews" || what == "all")
            print_review_coverage(out + "/text", std::cout);
    } catch (const dikkat::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
