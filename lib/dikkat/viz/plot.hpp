// Line plots as SVG: loss curves, accuracy against sentence length, anything with an x and a y.
//
//     viz::LinePlot plot("Training loss");
//     plot.x_label("step").y_label("cross-entropy").log_y();
//     plot.add_series("train", steps, train_loss).add_series("valid", eval_steps, valid_loss);
//     plot.write_svg(out + "/loss.svg");
//
// Axes get "nice" ticks (1, 2, 5 times a power of ten); each series its own colour and a
// legend entry; short series (up to 40 points) are drawn with a dot at every point.
// NaN and infinite values (and values <= 0 on a log axis) are left out as gaps in the line.
#pragma once

#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat::viz {

/// The numbers of one axis of a series: from a vector of float or double, a 1-D Array, or
/// a braced list ({1, 2, 3}).
struct Values {
    std::vector<double> v;
    Values(const std::vector<double>& values) : v(values) {}
    Values(const std::vector<float>& values) : v(values.begin(), values.end()) {}
    Values(std::initializer_list<double> values) : v(values) {}
    Values(const Array& values);
};

/// Tick positions for the range [lo, hi]: about `target` multiples of 1, 2 or 5 x 10^k for a
/// linear axis; powers of ten (or 1-2-5 steps within few decades) for a log axis.
std::vector<double> nice_ticks(double lo, double hi, bool log_scale = false, int target = 6);

/// The trailing mean of `values` over up to `window` points: entry i is the mean of
/// values[i - window + 1 .. i] (fewer at the start). For a noisy training curve.
std::vector<double> moving_average(const std::vector<double>& values, std::size_t window);

/// A categorical palette (ten colours that stay apart, as in matplotlib's "tab10").
const std::string& series_color(std::size_t i);

/// 1, 2, ..., n: the x axis of a curve with one point per training step.
std::vector<double> one_to(std::size_t n);

class LinePlot {
  public:
    explicit LinePlot(std::string title = "") : title_(std::move(title)) {}

    LinePlot& title(std::string text) {
        title_ = std::move(text);
        return *this;
    }
    LinePlot& x_label(std::string text) {
        x_label_ = std::move(text);
        return *this;
    }
    LinePlot& y_label(std::string text) {
        y_label_ = std::move(text);
        return *this;
    }
    LinePlot& log_x(bool on = true) {
        log_x_ = on;
        return *this;
    }
    LinePlot& log_y(bool on = true) {
        log_y_ = on;
        return *this;
    }
    /// The y axis spans at least [lo, hi], wider if the data need it (e.g. 0 to 1 for scores,
    /// so that two plots of them compare at a glance).
    LinePlot& y_range(double lo, double hi) {
        y_lo_ = lo;
        y_hi_ = hi;
        return *this;
    }
    /// Size of the whole picture in pixels (default 720 x 440).
    LinePlot& size(double width, double height) {
        width_ = width;
        height_ = height;
        return *this;
    }
    /// A series of points (xs[i], ys[i]). Throws ValueError if the lengths differ.
    LinePlot& add_series(std::string name, const Values& xs, const Values& ys, bool dashed = false);

    std::string to_svg() const;
    /// Throws IoError naming the path if the file cannot be written.
    void write_svg(const std::string& path) const;

  private:
    struct Series {
        std::string name;
        std::vector<double> xs, ys;
        bool dashed;
    };
    std::string title_, x_label_, y_label_;
    bool log_x_ = false, log_y_ = false;
    double width_ = 720, height_ = 440;
    double y_lo_ = std::numeric_limits<double>::infinity(), y_hi_ = -std::numeric_limits<double>::infinity();
    std::vector<Series> series_;
};

}  // namespace dikkat::viz
