// The run folder: made if needed, and refused before any work when the run could not save into it.
#include <doctest/doctest.h>

#include <filesystem>

#include <dikkat/error.hpp>
#include <dikkat/io/run_folder.hpp>

#include "io_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;

TEST_CASE("RunFolder makes the folder and its parents, and leaves nothing of its write test behind") {
    TempDir dir;
    io::RunFolder run(dir.file("runs/05_gpt_vs_bert"));
    CHECK(std::filesystem::is_directory(dir.file("runs/05_gpt_vs_bert")));
    CHECK(std::filesystem::is_empty(dir.file("runs/05_gpt_vs_bert")));
    CHECK(run.file("summary.json", "the numbers") == dir.file("runs/05_gpt_vs_bert/summary.json"));
    CHECK(run.written().find("summary.json") != std::string::npos);
}

TEST_CASE("RunFolder names a folder it cannot make or cannot write in, and says how to choose another") {
    TempDir dir;
    io_test::write_bytes(dir.file("a_file"), "x");
    const std::string made_of_a_file = "cannot create the run folder " + dir.file("a_file");
    CHECK_THROWS_WITH_AS(io::RunFolder(dir.file("a_file")), doctest::Contains(made_of_a_file.c_str()),
                         IoError);
    CHECK_THROWS_WITH_AS(io::RunFolder(dir.file("a_file/run")),
                         doctest::Contains("choose another with --out"), IoError);
    // /proc is a folder in which no one, not even root, can make a file.
    CHECK_THROWS_WITH_AS(io::RunFolder("/proc"), doctest::Contains("cannot write in the run folder /proc"),
                         IoError);
}
