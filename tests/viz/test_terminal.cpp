#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include <dikkat/error.hpp>
#include <dikkat/viz/progress.hpp>
#include <dikkat/viz/terminal.hpp>

using namespace dikkat;

TEST_CASE("a sparkline has one bar per value, lowest to highest") {
    CHECK(viz::sparkline({0, 1, 2, 3, 4, 5, 6, 7}) == "▁▂▃▄▅▆▇█");
    CHECK(viz::sparkline({1, NAN, 1}) == "▄ ▄");
    CHECK(viz::sparkline({}).empty());
}

TEST_CASE("a long sparkline is averaged down to the width asked for") {
    std::vector<float> v(100);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(i);
    const std::string s = viz::sparkline(v, 10);
    CHECK(s == "▁▂▃▃▄▅▆▆▇█");
}

TEST_CASE("a terminal heatmap shades cells and labels rows and columns") {
    Array m = {{0.0f, 1.0f}, {0.5f, 0.0f}};
    const std::string s = viz::terminal_heatmap(m, {"le", "chat"}, {"ab", "c"});
    // column labels downwards, then one row per matrix row
    CHECK(s ==
          "     a c\n"
          "     b\n"
          "le     ██\n"
          "chat ▒▒  \n");
}

TEST_CASE("a terminal heatmap checks its input") {
    CHECK_THROWS_AS(viz::terminal_heatmap(Array{1.0f}), ShapeError);
    const Array one_by_one = xt::ones<float>({1, 1});
    CHECK_THROWS_AS(viz::terminal_heatmap(one_by_one, {"a", "b"}), ValueError);
}

TEST_CASE("a progress bar writing to a file prints a plain line every 10% and a final one") {
    std::ostringstream out;
    {
        viz::ProgressBar bar(100, "train", out);
        CHECK_FALSE(bar.in_place());
        for (std::size_t step = 1; step <= 100; ++step) bar.update(step, {{"loss", 2.5}});
        bar.finish();
    }
    const std::string s = out.str();
    std::size_t lines = 0;
    for (char c : s) lines += c == '\n';
    CHECK(lines == 10);  // 10%, 20%, ... 90% and the final line with the time taken
    CHECK(s.find("train 10/100  10%  loss 2.5") != std::string::npos);
    CHECK(s.find("100/100 100%") != std::string::npos);
    CHECK(s.find("took") != std::string::npos);
    CHECK(s.find('\r') == std::string::npos);
}

TEST_CASE("a progress bar in place redraws with a carriage return and ends the line") {
    std::ostringstream out;
    viz::ProgressBar bar(4, "fit", out, viz::ProgressBar::Mode::in_place);
    bar.update(4, {{"loss", 0.25}});
    bar.finish();
    const std::string s = out.str();
    CHECK(s.front() == '\r');
    CHECK(s.back() == '\n');
    CHECK(s.find("[████████████████████]") != std::string::npos);
}

TEST_CASE("durations print as minutes and seconds") {
    CHECK(viz::format_duration(9.4) == "0:09");
    CHECK(viz::format_duration(247) == "4:07");
    CHECK(viz::format_duration(3903) == "1:05:03");
}
