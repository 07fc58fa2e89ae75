// find_dataset works from any working directory: after $DIKKAT_DATASETS and the datasets/
// folders near the current one, it falls back to the source tree's datasets/. (Lessons run
// from build/lessons/ or an IDE's folder find their data.)
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <unistd.h>

#include <dikkat/data/datasets.hpp>
#include <dikkat/error.hpp>

#include "../support/error_of.hpp"

using namespace dikkat;
namespace fs = std::filesystem;

namespace {

// Runs the test from a fresh folder four levels deep in the temporary directory, so no
// datasets/ is in it or in the three folders above; DIKKAT_DATASETS is unset. The working
// directory and the variable are restored when the test ends.
struct RunElsewhere {
    fs::path previous_cwd = fs::current_path();
    std::optional<std::string> previous_env;
    fs::path root = fs::temp_directory_path() / ("dikkat-find-dataset-" + std::to_string(::getpid()));
    fs::path cwd = root / "a" / "b" / "c" / "d";

    RunElsewhere() {
        if (const char* env = std::getenv("DIKKAT_DATASETS")) previous_env = env;
        ::unsetenv("DIKKAT_DATASETS");
        fs::create_directories(cwd);
        fs::current_path(cwd);
    }
    ~RunElsewhere() {
        fs::current_path(previous_cwd);
        if (previous_env)
            ::setenv("DIKKAT_DATASETS", previous_env->c_str(), 1);
        else
            ::unsetenv("DIKKAT_DATASETS");
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }
};

}  // namespace

TEST_CASE("find_dataset finds a shipped file from a folder with no datasets/ nearby") {
    // tests/data/ -> the repository's datasets/, wherever the test is run from
    const fs::path shipped = fs::path(__FILE__).parent_path().parent_path().parent_path() / "datasets" /
                             "translation" / "test.tsv";
    REQUIRE(fs::exists(shipped));
    RunElsewhere elsewhere;
    REQUIRE_FALSE(fs::exists("datasets"));
    const std::string found = data::find_dataset("translation/test.tsv");
    CHECK(fs::equivalent(found, shipped));
}

TEST_CASE("DIKKAT_DATASETS wins over every other place when it holds the file") {
    RunElsewhere elsewhere;
    const fs::path mine = elsewhere.root / "my_data";
    fs::create_directories(mine / "translation");
    std::ofstream(mine / "translation" / "test.tsv") << "a\tb\t0-0\n";
    ::setenv("DIKKAT_DATASETS", mine.c_str(), 1);
    CHECK(data::find_dataset("translation/test.tsv") == mine.string() + "/translation/test.tsv");
}

TEST_CASE("find_dataset's error lists every place it looked, both trees' datasets/ included") {
    const std::string source_tree = (fs::current_path() / "datasets").string();
    const std::string build_tree = BUILD_DATASETS;  // tests/data/CMakeLists.txt
    RunElsewhere elsewhere;
    ::setenv("DIKKAT_DATASETS", "/nowhere", 1);
    const std::string msg = error_of<IoError>([] { data::find_dataset("nothing/here.tsv"); });
    for (const std::string& place :
         {std::string("/nowhere/nothing/here.tsv"), std::string(" datasets/nothing/here.tsv"),
          std::string(" ../../../datasets/nothing/here.tsv"), source_tree + "/nothing/here.tsv",
          build_tree + "/nothing/here.tsv"})
        CHECK_MESSAGE(msg.find(place) != std::string::npos, (place + " not in: " + msg));
}

TEST_CASE("find_dataset finds the images the build drew, folders included, from anywhere") {
    const fs::path drawn = fs::path(BUILD_DATASETS) / "images" / "target";
    REQUIRE(fs::is_directory(drawn));
    RunElsewhere elsewhere;
    CHECK(fs::equivalent(data::find_dataset("images/target"), drawn));
    CHECK(fs::equivalent(data::find_dataset("images/target/train.ppm"), drawn / "train.ppm"));
    const std::string msg = error_of<IoError>([] { data::find_dataset("images/nothing"); });
    CHECK_MESSAGE(msg.find("cmake --build build --target dikkat_images") != std::string::npos, msg);
}
