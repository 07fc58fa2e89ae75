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

namespace json_object_test {
// A value with a JSON form, as the library's configurations and scores have.
struct Sizes {
    int width = 0, depth = 0;
};
void to_json(nlohmann::json& j, const Sizes& s) { j = {{"width", s.width}, {"depth", s.depth}}; }
}  // namespace json_object_test

TEST_CASE("JsonObject holds each kind of value as the JSON library would: integers stay integers") {
    io::JsonObject group;
    group.set("pretrain", 1.5).set("heads", 2);
    io::JsonObject o;
    o.set("steps", 3)
        .set("windows", std::size_t{5})
        .set("accuracy", 0.1f)
        .set("loss", 2.25)
        .set("memory", true)
        .set("cell", std::string("lstm"))
        .set("data", "corpus.txt")
        .set("curve", std::vector<double>{1.0, 0.5})
        .set("seconds", group)
        .set("errors", std::vector<io::JsonObject>{group, io::JsonObject().set("n", -1)});
    const nlohmann::json expected = {{"steps", 3},
                                     {"windows", std::size_t{5}},
                                     {"accuracy", 0.1f},
                                     {"loss", 2.25},
                                     {"memory", true},
                                     {"cell", "lstm"},
                                     {"data", "corpus.txt"},
                                     {"curve", {1.0, 0.5}},
                                     {"seconds", {{"pretrain", 1.5}, {"heads", 2}}},
                                     {"errors", {{{"pretrain", 1.5}, {"heads", 2}}, {{"n", -1}}}}};
    CHECK(o.json() == expected);
    CHECK(o.json().dump() == expected.dump());  // 3, not 3.0; 0.1f as the same double
    o.set("steps", 4);                          // replaces
    CHECK(o.json()["steps"] == 4);
}

TEST_CASE("JsonObject takes a value through its to_json: set, the constructor and merge") {
    const json_object_test::Sizes sizes{64, 2};
    io::JsonObject o;
    o.set("config", sizes);
    CHECK(o.json()["config"] == nlohmann::json{{"width", 64}, {"depth", 2}});
    const io::JsonObject direct(sizes);
    CHECK(direct.json() == nlohmann::json{{"width", 64}, {"depth", 2}});
    io::JsonObject merged;
    merged.set("width", 1).set("seed", 7).merge(sizes);
    CHECK(merged.json() == nlohmann::json{{"width", 64}, {"depth", 2}, {"seed", 7}});
}

TEST_CASE("JsonObject reads back what it holds, and names a key that is not there") {
    io::JsonObject o(nlohmann::json{{"bleu_by_length", {{"1-10", 0.5}}}, {"text", "a"}});
    CHECK(o.contains("bleu_by_length"));
    CHECK(o.at("bleu_by_length").number("1-10") == 0.5);
    CHECK_THROWS_WITH_AS(o.at("bleu"), doctest::Contains("'bleu'"), ValueError);
    CHECK_THROWS_WITH_AS(o.number("text"), doctest::Contains("'text'"), ValueError);
    o.erase("text").erase("not there");
    CHECK(o.json() == nlohmann::json{{"bleu_by_length", {{"1-10", 0.5}}}});
    io::JsonObject copy = o, moved = std::move(o);
    copy.set("x", 1);
    CHECK(moved.contains("bleu_by_length"));
    CHECK(!moved.contains("x"));
}

TEST_CASE("mean_std gives the mean, the sample spread and the number of seeds") {
    const io::JsonObject two = io::mean_std({1.0, 3.0});
    CHECK(two.json() == nlohmann::json{{"mean", 2.0}, {"std", std::sqrt(2.0)}, {"seeds", 2}});
    CHECK(io::mean_std({0.5}).number("std") == 0.0);
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
    io::write_summary_json(dir.file("same.json"), io::JsonObject(s));  // what a lesson writes
    CHECK(io_test::read_bytes(dir.file("same.json")) == io_test::read_bytes(path));
}

TEST_CASE("read_summary_json names the file that is missing or is not JSON") {
    TempDir dir;
    CHECK_THROWS_WITH_AS(io::read_summary_json(dir.file("none.json")),
                         doctest::Contains("none.json: cannot open"), IoError);
    io_test::write_bytes(dir.file("cut.json"), "{\"bleu_by_length\": {\"3-10\": 0.9");
    CHECK_THROWS_WITH_AS(io::read_summary_json(dir.file("cut.json")),
                         doctest::Contains("cut.json is not JSON"), IoError);
}
