// dikkat_datasets — makes every data file in datasets/ from a seed.
//
//   ./build/datasets/dikkat_datasets all                  # rewrite datasets/ in place
//   ./build/datasets/dikkat_datasets translation --out /tmp/x
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
    std::string out = "datasets";
    std::uint64_t seed = 2024;
    app.add_option("set", what, "translation | text | reviews | all")
        ->check(CLI::IsMember({"translation", "text", "reviews", "all"}));
    app.add_option("--out", out, "folder that receives translation/ and text/")->capture_default_str();
    app.add_option("--seed", seed, "random seed (the shipped files use the default)")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        using namespace dikkat::gen;
        if (what == "translation" || what == "all") make_translation(out + "/translation", seed, std::cout);
        if (what == "text" || what == "all") make_general_text(out + "/text/general", seed + 1, std::cout);
        if (what == "reviews" || what == "all") make_reviews(out + "/text", seed + 2, std::cout);
        // Once both text sets are in the folder (made now or before): how many review words the
        // general text already taught.
        if (what != "translation") print_review_coverage(out + "/text", std::cout);
    } catch (const dikkat::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
