// metrics.csv and summary.json.
#include <doctest/doctest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/io/metrics.hpp>

#include "io_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;

TEST_CASE("MetricsWriter writes a header and one flushed row per logged step") {
    TempDir dir;
    const std::string path = dir.file("metrics.csv");
    io::MetricsWriter m(path, {"loss", "lr"});
    m.log(0, {4.25, 1e-4});
    m.log(10, {0.1, std::nan("")});
    // Flushed already: readable while the writer is still open.
    CHECK(io_test::read_bytes(path) == "step,loss,lr\n0,4.25,0.0001\n10,0.1,nan\n");
    CHECK_THROWS_AS(m.log(20, {1.0}), ValueError);
}

TEST_CASE("MetricsWriter refuses column names that would break the CSV, and unwritable paths") {
    TempDir dir;
    CHECK_THROWS_AS(io::MetricsWriter(dir.file("a.csv"), {"a,b"}), ValueError);
    CHECK_THROWS_AS(io::MetricsWriter(dir.file("a.csv"), {"loss", "loss"}), ValueError);
    CHECK_THROWS_AS(io::MetricsWriter(dir.file("a.csv"), {"step"}), ValueError);
    CHECK_THROWS_WITH_AS(io::MetricsWriter(dir.file("no/dir/m.csv"), {"loss"}),
                         doctest::Contains("no/dir/m.csv"), IoError);
}

TEST_CASE("write_summary_json writes indented JSON that reads back the same, with the BLAS in use") {
    TempDir dir;
    const std::string path = dir.file("summary.json");
    nlohmann::json s = {{"lesson", "03"}, {"bleu", {{"with_attention", 31.5}, {"without", 12.25}}}};
    io::write_summary_json(path, s);
    nlohmann::json back = io::read_summary_json(path);
    REQUIRE(back.contains("blas"));
    CHECK(back["blas"]["library"] == "OpenBLAS");
    CHECK(back["blas"]["core"].get<std::string>() != "");
    back.erase("blas");
    CHECK(back == s);
    CHECK(io_test::read_bytes(path).find("\n  \"bleu\"") != std::string::npos);
}

TEST_CASE("read_summary_json names the file that is missing or is not JSON") {
    TempDir dir;
    CHECK_THROWS_WITH_AS(io::read_summary_json(dir.file("none.json")),
                         doctest::Contains("none.json: cannot open"), IoError);
    io_test::write_bytes(dir.file("cut.json"), "{\"bleu_by_length\": {\"3-10\": 0.9");
    CHECK_THROWS_WITH_AS(io::read_summary_json(dir.file("cut.json")),
                         doctest::Contains("cut.json is not JSON"), IoError);
}
