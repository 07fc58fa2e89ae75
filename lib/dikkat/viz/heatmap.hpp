// Heatmaps as SVG: a matrix drawn as coloured cells, with labels on both axes and a colour
// bar. Lesson 3 draws attention weights with it (target words down the side, source words
// along the bottom); lesson 0 draws a classifier's decision surface with the training points
// on top.
//
//     viz::Heatmap map(weights);                          // (rows, cols)
//     map.title("Attention").row_labels(target_words).col_labels(source_words);
//     map.write_svg(out + "/attention.svg");
#pragma once

#include <string>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat::viz {

enum class Colormap {
    viridis,   ///< dark blue -> green -> yellow; perceptually even (the default)
    blues,     ///< white -> dark blue; good for weights in [0, 1]
    red_blue,  ///< blue -> white -> red; for values around a midpoint (probabilities of two classes)
};

/// The colour for t in [0, 1] as "#rrggbb" (t is clamped).
std::string colormap_color(Colormap map, double t);

class Heatmap {
  public:
    /// `values` must be 2-D (rows, cols); throws ShapeError otherwise.
    explicit Heatmap(Array values);

    Heatmap& title(std::string text) {
        title_ = std::move(text);
        return *this;
    }
    /// One label per row (drawn on the left) / per column (drawn below, slanted if long).
    /// Throws ValueError if the count does not match.
    Heatmap& row_labels(std::vector<std::string> labels);
    Heatmap& col_labels(std::vector<std::string> labels);
    Heatmap& x_label(std::string text) {
        x_label_ = std::move(text);
        return *this;
    }
    Heatmap& y_label(std::string text) {
        y_label_ = std::move(text);
        return *this;
    }
    Heatmap& colormap(Colormap map) {
        map_ = map;
        return *this;
    }
    /// Fixes the colour range (default: the matrix's min and max).
    Heatmap& range(float lo, float hi);
    /// Writes each cell's value inside it (for small matrices, e.g. a confusion matrix).
    Heatmap& show_values(bool on = true) {
        show_values_ = on;
        return *this;
    }
    /// Turns the axes numeric: columns span x in [x0, x1], rows span y in [y0, y1] with row 0
    /// at the bottom (as a function's value over a grid of points).
    Heatmap& extent(double x0, double x1, double y0, double y1);
    /// Points drawn on top, in the extent's coordinates (needs extent()): class k is filled with
    /// series_color(k) and outlined in black.
    Heatmap& add_points(const std::vector<double>& xs, const std::vector<double>& ys,
                        const std::vector<int>& classes);

    std::string to_svg() const;
    /// Throws IoError naming the path if the file cannot be written.
    void write_svg(const std::string& path) const;

  private:
    Array values_;
    std::string title_, x_label_, y_label_;
    std::vector<std::string> row_labels_, col_labels_;
    Colormap map_ = Colormap::viridis;
    bool has_range_ = false, show_values_ = false, has_extent_ = false;
    float lo_ = 0, hi_ = 1;
    double x0_ = 0, x1_ = 1, y0_ = 0, y1_ = 1;
    std::vector<double> px_, py_;
    std::vector<int> pclass_;
};

/// Attention heads as panels, one SVG document: one heatmap per head of each layer's weights
/// (B, H, rows, cols) — the batch's first item — in a row of panels per layer, weights drawn
/// on [0, 1] in blues. Panel titles read "Layer <first_layer + l> <title>, head <h>".
/// Throws ShapeError unless every layer's weights are 4-D with `rows` and `cols` labels' sizes.
std::string head_panels(const std::vector<Array>& layer_weights, std::size_t first_layer,
                        const std::vector<std::string>& rows, const std::vector<std::string>& cols,
                        const std::string& title, const std::string& y_label, const std::string& x_label);

}  // namespace dikkat::viz
