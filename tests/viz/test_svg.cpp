#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <dikkat/error.hpp>
#include <dikkat/viz/heatmap.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/svg.hpp>

#include "xml_check.hpp"

using namespace dikkat;
namespace fs = std::filesystem;

namespace {
std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
fs::path scratch_dir() {
    fs::path dir = fs::temp_directory_path() / "dikkat_test_viz";
    fs::create_directories(dir);
    return dir;
}
}  // namespace

TEST_CASE("the XML checker itself rejects broken documents") {
    CHECK(xml_problem("<svg><g></g></svg>").empty());
    CHECK(xml_problem("<svg a=\"1\"/>").empty());
    CHECK_FALSE(xml_problem("<svg><g></svg>").empty());
    CHECK_FALSE(xml_problem("<svg><text><eos></text></svg>").empty());
    CHECK_FALSE(xml_problem("<svg><text>a & b</text></svg>").empty());
    CHECK_FALSE(xml_problem("<svg a=1></svg>").empty());
}

TEST_CASE("xml_escape turns markup characters into entities") {
    CHECK(viz::xml_escape("<eos> & \"x\"") == "&lt;eos&gt; &amp; &quot;x&quot;");
}

TEST_CASE("nice ticks are multiples of 1, 2 or 5 and cover the range") {
    const auto t = viz::nice_ticks(0.0, 97.0);
    REQUIRE(t.size() >= 3);
    CHECK(t.front() == doctest::Approx(0.0));
    const double step = t[1] - t[0];
    CHECK(step == doctest::Approx(20.0));
    const auto log_t = viz::nice_ticks(0.1, 5.0, /*log_scale=*/true);
    CHECK(log_t.front() == doctest::Approx(0.1));
    CHECK(std::find_if(log_t.begin(), log_t.end(), [](double v) { return std::fabs(v - 1.0) < 1e-12; }) !=
          log_t.end());
}

TEST_CASE("a line plot with several series, log scale and awkward names is well-formed SVG") {
    viz::LinePlot plot("Loss <train> & <valid>");
    std::vector<float> steps, train, valid;
    for (int i = 1; i <= 200; ++i) {
        steps.push_back(float(i));
        train.push_back(4.0f * std::exp(-0.02f * float(i)) + 0.05f);
        valid.push_back(4.2f * std::exp(-0.015f * float(i)) + 0.2f);
    }
    valid[50] = NAN;  // a gap, not a broken path
    plot.x_label("step").y_label("loss").log_y();
    plot.add_series("train", steps, train).add_series("valid <eos>", steps, valid, /*dashed=*/true);
    const fs::path path = scratch_dir() / "loss.svg";
    plot.write_svg(path.string());
    const std::string svg = read_file(path);
    CHECK(xml_problem(svg) == "");
    CHECK(svg.find("valid &lt;eos&gt;") != std::string::npos);
    CHECK(svg.find("Loss &lt;train&gt; &amp; &lt;valid&gt;") != std::string::npos);
    for (const auto& entry : fs::directory_iterator(path.parent_path()))  // no temporary left behind
        CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("a line plot with no data or a single point still draws") {
    CHECK(xml_problem(viz::LinePlot("empty").to_svg()) == "");
    viz::LinePlot one;
    one.add_series("one", {3.0}, {7.0});
    CHECK(xml_problem(one.to_svg()) == "");
}

TEST_CASE("a line plot of a nearly flat series finishes (one tick, not an endless loop)") {
    viz::LinePlot flat;
    flat.add_series("flat", {1.0, 2.0}, {1.0, std::nextafter(1.0, 2.0)});
    CHECK(xml_problem(flat.to_svg()) == "");
    CHECK(viz::nice_ticks(1.0, std::nextafter(1.0, 2.0)).size() == 1);
}

TEST_CASE("add_series names the series when xs and ys differ in length") {
    viz::LinePlot plot;
    CHECK_THROWS_WITH_AS(plot.add_series("acc", {1, 2, 3}, {1, 2}), doctest::Contains("acc"), ValueError);
}

TEST_CASE("a heatmap with token labels is well-formed SVG") {
    Array w = {{0.9f, 0.05f, 0.05f}, {0.1f, 0.2f, 0.7f}};
    viz::Heatmap map(w);
    map.title("Attention").row_labels({"le", "<eos>"}).col_labels({"the", "cat", "<eos>"});
    map.x_label("source").y_label("target").show_values();
    const std::string svg = map.to_svg();
    CHECK(xml_problem(svg) == "");
    CHECK(svg.find("&lt;eos&gt;") != std::string::npos);
    CHECK(svg.find("<eos>") == std::string::npos);
}

TEST_CASE("a heatmap with an extent and points on top is well-formed SVG") {
    Array grid = xt::zeros<float>({20, 30});
    for (std::size_t r = 0; r < 20; ++r)
        for (std::size_t c = 0; c < 30; ++c) grid(r, c) = 1.0f / (1.0f + std::exp(float(c) - float(r)));
    viz::Heatmap map(grid);
    map.colormap(viz::Colormap::red_blue).range(0, 1).extent(-3, 3, -2, 2);
    map.add_points({-1.0, 0.5, 2.0}, {0.0, 1.0, -1.5}, {0, 1, 1});
    CHECK(xml_problem(map.to_svg()) == "");
}

TEST_CASE("a heatmap refuses a matrix that is not 2-D and labels that do not fit") {
    CHECK_THROWS_AS(viz::Heatmap(Array{1.0f, 2.0f}), ShapeError);
    viz::Heatmap map(Array{{1.0f, 2.0f}});
    CHECK_THROWS_WITH_AS(map.col_labels({"a"}), doctest::Contains("1 labels for 2 columns"), ValueError);
}

TEST_CASE("writing an SVG into a missing folder throws IoError naming the path") {
    viz::LinePlot plot;
    CHECK_THROWS_WITH_AS(plot.write_svg("/nonexistent-dikkat-dir/loss.svg"),
                         doctest::Contains("/nonexistent-dikkat-dir/loss.svg"), IoError);
}

TEST_CASE("colour maps run from their first to their last colour") {
    CHECK(viz::colormap_color(viz::Colormap::viridis, 0.0) == "#440154");
    CHECK(viz::colormap_color(viz::Colormap::viridis, 1.0) == "#fde725");
    CHECK(viz::colormap_color(viz::Colormap::viridis, 7.0) == "#fde725");  // clamped
}

TEST_CASE("y_range widens the y axis to a fixed span, so two plots of scores compare at a glance") {
    viz::LinePlot narrow, fixed;
    narrow.add_series("bleu", {1.0, 2.0, 3.0}, {0.6, 0.8, 0.9});
    fixed.add_series("bleu", {1.0, 2.0, 3.0}, {0.6, 0.8, 0.9}).y_range(0.0, 1.0);
    CHECK(narrow.to_svg().find(">0.2<") == std::string::npos);  // the data's own range: 0.6 to 0.9
    const std::string svg = fixed.to_svg();
    CHECK(xml_problem(svg) == "");
    CHECK(svg.find(">0.2<") != std::string::npos);  // ticks now run from 0 to 1
    CHECK(svg.find(">1.0<") != std::string::npos);
}

TEST_CASE("moving_average is the trailing mean, shorter at the start") {
    const std::vector<double> avg = viz::moving_average({1.0, 3.0, 5.0, 7.0}, 2);
    CHECK(avg == std::vector<double>{1.0, 2.0, 4.0, 6.0});
    CHECK(viz::moving_average({}, 3).empty());
}

// ---- panels -------------------------------------------------------------------------------------

namespace {
// The value of attribute `name` in the tag that starts at `at`, or "(none)".
std::string attribute_at(const std::string& xml, std::size_t at, const std::string& name) {
    const std::string tag = xml.substr(at, xml.find('>', at) - at);
    const std::size_t a = tag.find(" " + name + "=\"");
    if (a == std::string::npos) return "(none)";
    const std::size_t from = a + name.size() + 3;
    return tag.substr(from, tag.find('"', from) - from);
}
// Where every <svg tag starts, the root first.
std::vector<std::size_t> svg_tags(const std::string& xml) {
    std::vector<std::size_t> at;
    for (std::size_t p = xml.find("<svg"); p != std::string::npos; p = xml.find("<svg", p + 1))
        at.push_back(p);
    return at;
}
std::string labelled_svg(double width, double height, const std::string& label) {
    viz::Svg svg(width, height);
    svg.text(10, 20, label);
    return svg.str();
}
}  // namespace

TEST_CASE("panels lays out 3 documents in 2 columns: a grid of the largest width and height") {
    const std::string doc = viz::panels(
        {labelled_svg(100, 50, "panel A"), labelled_svg(80, 60, "panel B"), labelled_svg(120, 40, "panel C")},
        2);
    CHECK(xml_problem(doc) == "");
    const std::vector<std::size_t> tags = svg_tags(doc);
    REQUIRE(tags.size() == 4);                             // the root and one nested document per panel
    CHECK(attribute_at(doc, tags[0], "width") == "240");   // 2 columns x 120
    CHECK(attribute_at(doc, tags[0], "height") == "120");  // 2 rows x 60
    const char* expected[3][5] = {{"0", "0", "100", "50", "panel A"},
                                  {"120", "0", "80", "60", "panel B"},
                                  {"0", "60", "120", "40", "panel C"}};
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t at = tags[i + 1];
        CHECK(attribute_at(doc, at, "x") == expected[i][0]);
        CHECK(attribute_at(doc, at, "y") == expected[i][1]);
        CHECK(attribute_at(doc, at, "width") == expected[i][2]);  // each keeps its own size
        CHECK(attribute_at(doc, at, "height") == expected[i][3]);
        // Its drawing is inside it: after its tag, before the next panel's.
        const std::size_t label = doc.find(expected[i][4]);
        CHECK(label > at);
        CHECK(label < (i + 2 < tags.size() ? tags[i + 2] : doc.size()));
    }
    CHECK(doc.find("<?xml") == 0);
    CHECK(doc.find("<?xml", 1) == std::string::npos);  // the panels' declarations are dropped
}

TEST_CASE("panels in one column stacks the documents, each at the height of the tallest") {
    const std::string doc = viz::panels({labelled_svg(30, 20, "a"), labelled_svg(50, 25.5, "b")}, 1);
    CHECK(xml_problem(doc) == "");
    const std::vector<std::size_t> tags = svg_tags(doc);
    REQUIRE(tags.size() == 3);
    CHECK(attribute_at(doc, tags[0], "width") == "50");
    CHECK(attribute_at(doc, tags[0], "height") == "51");
    CHECK(attribute_at(doc, tags[2], "x") == "0");
    CHECK(attribute_at(doc, tags[2], "y") == "25.5");
}

TEST_CASE("panels refuses an empty list, zero columns and a document without a width") {
    CHECK_THROWS_AS(viz::panels({}, 2), ValueError);
    CHECK_THROWS_AS(viz::panels({labelled_svg(10, 10, "a")}, 0), ValueError);
    CHECK_THROWS_WITH_AS(viz::panels({labelled_svg(10, 10, "a"), "<svg height=\"10\"><g/></svg>"}, 2),
                         doctest::Contains("width"), ValueError);
    CHECK_THROWS_WITH_AS(viz::panels({"<svg width=\"10\"><g/></svg>"}, 1), doctest::Contains("height"),
                         ValueError);
    CHECK_THROWS_AS(viz::panels({"not a picture"}, 1), ValueError);
}

TEST_CASE("panels of two heatmaps keeps each colour bar's gradient its own") {
    // Every Svg numbers its gradients and clip paths from 0, so two panels would both define id
    // "g0"; an id must be unique in a document, and viewers take the first: both colour bars
    // would show the first panel's colour map. Each panel's ids get a prefix of their own.
    const std::string doc =
        viz::panels({viz::Heatmap(Array{{0.0f, 1.0f}}).colormap(viz::Colormap::viridis).to_svg(),
                     viz::Heatmap(Array{{0.0f, 1.0f}}).colormap(viz::Colormap::red_blue).to_svg()},
                    2);
    std::size_t g0 = 0;
    for (std::size_t p = doc.find("id=\"g0\""); p != std::string::npos; p = doc.find("id=\"g0\"", p + 1))
        ++g0;
    CHECK(g0 <= 1);
    CHECK(doc.find("id=\"p0_g0\"") != std::string::npos);
    CHECK(doc.find("id=\"p1_g0\"") != std::string::npos);
    CHECK(doc.find("url(#p1_g0)") != std::string::npos);
    CHECK(doc.find("url(#g0)") == std::string::npos);
}

// ---- head_panels --------------------------------------------------------------------------------

namespace {
// Attention weights (B, H, rows, cols) that sum to 1 along each row.
Array uniform_weights(std::size_t B, std::size_t H, std::size_t rows, std::size_t cols) {
    return Array(xt::ones<float>({B, H, rows, cols}) / float(cols));
}
std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE("head_panels draws one panel per head of each layer, titled by layer and head") {
    const std::vector<std::string> rows = {"the", "film", "<mask>"};
    const std::vector<std::string> cols = {"the", "film", "<mask>", "&"};
    const std::vector<Array> weights = {uniform_weights(2, 3, 3, 4), uniform_weights(2, 3, 3, 4)};
    const std::string doc =
        viz::head_panels(weights, /*first_layer=*/1, rows, cols, "self-attention", "query", "key");
    CHECK(xml_problem(doc) == "");
    CHECK(svg_tags(doc).size() == 1 + 2 * 3);  // the root and 6 panels
    for (const char* title : {"Layer 1 self-attention, head 1", "Layer 1 self-attention, head 3",
                              "Layer 2 self-attention, head 1", "Layer 2 self-attention, head 3"})
        CHECK_MESSAGE(doc.find(title) != std::string::npos, title);
    CHECK(doc.find("Layer 0 ") == std::string::npos);
    CHECK(doc.find("head 4") == std::string::npos);
    CHECK(occurrences(doc, "&lt;mask&gt;") >= 6);  // the tokens, escaped, in every panel
    // A row of panels per layer: the root is 3 panels wide and 2 high.
    const std::vector<std::size_t> tags = svg_tags(doc);
    const double panel_width = std::stod(attribute_at(doc, tags[1], "width"));
    const double panel_height = std::stod(attribute_at(doc, tags[1], "height"));
    CHECK(std::stod(attribute_at(doc, tags[0], "width")) == doctest::Approx(3 * panel_width));
    CHECK(std::stod(attribute_at(doc, tags[0], "height")) == doctest::Approx(2 * panel_height));
}

TEST_CASE("head_panels names the layer whose weights do not fit the labels") {
    const std::vector<std::string> rows = {"a", "b", "c"}, cols = {"a", "b", "c", "d"};
    CHECK_THROWS_WITH_AS(viz::head_panels({uniform_weights(1, 2, 3, 4), uniform_weights(1, 2, 3, 5)}, 0, rows,
                                          cols, "attention", "query", "key"),
                         doctest::Contains("layer 1's weights are (1, 2, 3, 5); expected (B, H, 3, 4)"),
                         ShapeError);
    CHECK_THROWS_WITH_AS(
        viz::head_panels({uniform_weights(1, 2, 4, 4)}, 5, rows, cols, "attention", "query", "key"),
        doctest::Contains("layer 5's weights are (1, 2, 4, 4)"), ShapeError);
    CHECK_THROWS_WITH_AS(
        viz::head_panels({Array(xt::ones<float>({2, 3, 4}))}, 0, rows, cols, "attention", "query", "key"),
        doctest::Contains("layer 0's weights are (2, 3, 4)"), ShapeError);
    CHECK_THROWS_AS(viz::head_panels({Array(Shape{0, 2, 3, 4})}, 0, rows, cols, "attention", "query", "key"),
                    ShapeError);
}
