#include <dikkat/viz/heatmap.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include <dikkat/error.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/svg.hpp>

namespace dikkat::viz {

namespace {

using Rgb = std::array<double, 3>;

// Anchor colours, evenly spaced in t; colours in between are interpolated linearly.
const std::vector<Rgb>& anchors(Colormap map) {
    static const std::vector<Rgb> viridis{{68, 1, 84},    {72, 40, 120},  {62, 74, 137},  {49, 104, 142},
                                          {38, 130, 142}, {31, 158, 137}, {53, 183, 121}, {109, 205, 89},
                                          {180, 222, 44}, {253, 231, 37}};
    static const std::vector<Rgb> blues{
        {247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}};
    static const std::vector<Rgb> red_blue{
        {33, 102, 172}, {146, 197, 222}, {247, 247, 247}, {244, 165, 130}, {178, 24, 43}};
    switch (map) {
        case Colormap::blues:
            return blues;
        case Colormap::red_blue:
            return red_blue;
        default:
            return viridis;
    }
}

Rgb color_at(Colormap map, double t) {
    const auto& a = anchors(map);
    t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.0;
    const double pos = t * static_cast<double>(a.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(pos), a.size() - 2);
    const double f = pos - static_cast<double>(i);
    Rgb c;
    for (std::size_t k = 0; k < 3; ++k) c[k] = a[i][k] + f * (a[i + 1][k] - a[i][k]);
    return c;
}

std::string hex(const Rgb& c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<unsigned>(std::lround(c[0])),
                  static_cast<unsigned>(std::lround(c[1])), static_cast<unsigned>(std::lround(c[2])));
    return buf;
}

}  // namespace

std::string colormap_color(Colormap map, double t) { return hex(color_at(map, t)); }

Heatmap::Heatmap(Array values) : values_(std::move(values)) {
    if (values_.dimension() != 2)
        throw ShapeError("Heatmap: expected a 2-D matrix (rows, cols), got shape " +
                         shape_str(values_.shape()));
}

Heatmap& Heatmap::row_labels(std::vector<std::string> labels) {
    if (labels.size() != values_.shape(0))
        throw ValueError("Heatmap::row_labels: " + std::to_string(labels.size()) + " labels for " +
                         std::to_string(values_.shape(0)) + " rows");
    row_labels_ = std::move(labels);
    return *this;
}

Heatmap& Heatmap::col_labels(std::vector<std::string> labels) {
    if (labels.size() != values_.shape(1))
        throw ValueError("Heatmap::col_labels: " + std::to_string(labels.size()) + " labels for " +
                         std::to_string(values_.shape(1)) + " columns");
    col_labels_ = std::move(labels);
    return *this;
}

Heatmap& Heatmap::range(float lo, float hi) {
    if (!(hi > lo))
        throw ValueError("Heatmap::range: need lo < hi, got " + std::to_string(lo) + " and " +
                         std::to_string(hi));
    lo_ = lo;
    hi_ = hi;
    has_range_ = true;
    return *this;
}

Heatmap& Heatmap::extent(double x0, double x1, double y0, double y1) {
    if (!(x1 > x0) || !(y1 > y0)) throw ValueError("Heatmap::extent: need x0 < x1 and y0 < y1");
    x0_ = x0, x1_ = x1, y0_ = y0, y1_ = y1;
    has_extent_ = true;
    return *this;
}

Heatmap& Heatmap::add_points(const std::vector<double>& xs, const std::vector<double>& ys,
                             const std::vector<int>& classes) {
    if (xs.size() != ys.size() || xs.size() != classes.size())
        throw ValueError("Heatmap::add_points: xs, ys and classes differ in length (" +
                         std::to_string(xs.size()) + ", " + std::to_string(ys.size()) + ", " +
                         std::to_string(classes.size()) + ")");
    px_.insert(px_.end(), xs.begin(), xs.end());
    py_.insert(py_.end(), ys.begin(), ys.end());
    pclass_.insert(pclass_.end(), classes.begin(), classes.end());
    return *this;
}

std::string Heatmap::to_svg() const {
    const std::size_t rows = values_.shape(0), cols = values_.shape(1);
    const auto R = static_cast<double>(rows), C = static_cast<double>(cols);

    // Colour range: the finite values' min and max unless range() fixed it.
    double lo = lo_, hi = hi_;
    if (!has_range_) {
        lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (float v : values_)
            if (std::isfinite(v)) lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
        if (!(lo <= hi)) lo = 0, hi = 1;
        if (lo == hi) hi = lo + 1;
    }

    // ---- layout -------------------------------------------------------------------------
    // Cells are square, 4..40 px, the grid at most about 560 px on its longer side.
    const double cell = std::clamp(560.0 / std::max(R, C), 4.0, 40.0);
    const double gw = cell * C, gh = cell * R;
    const double font = std::clamp(cell * 0.75, 8.0, 12.0);
    double row_w = 0, col_w = 0;
    for (const auto& l : row_labels_) row_w = std::max(row_w, text_width(l, font));
    for (const auto& l : col_labels_) col_w = std::max(col_w, text_width(l, font));
    // Column labels lie flat if they fit in a cell, otherwise slanted at 45 degrees.
    const bool slant = col_w > cell - 2;
    const double s45 = std::sqrt(0.5);
    std::vector<double> x_ticks, y_ticks;
    if (has_extent_) {
        x_ticks = nice_ticks(x0_, x1_);
        y_ticks = nice_ticks(y0_, y1_);
        for (double t : y_ticks) row_w = std::max(row_w, text_width(format_number(t), 11));
        col_w = 0;
    }
    const double top = title_.empty() ? 16 : 42;
    double left = 16 + (y_label_.empty() ? 0 : 22) + row_w + 8;
    if (slant) left = std::max(left, 16 + col_w * s45 - cell / 2);  // slanted labels reach left
    double below = has_extent_ ? 24 : (col_labels_.empty() ? 8 : slant ? col_w * s45 + 18 : font + 14);
    const double bottom = below + (x_label_.empty() ? 12 : 34);
    const double bar_x = left + gw + 24, bar_h = std::max(gh, 140.0);
    const double width = bar_x + 16 + 60, height = top + bar_h + bottom;

    Svg svg(width, height);
    if (!title_.empty()) svg.text(left + gw / 2, 26, title_, 15, "middle", 0, "#111", true);

    // ---- cells --------------------------------------------------------------------------
    for (std::size_t r = 0; r < rows; ++r) {
        // With an extent, row 0 is at the bottom (y grows upwards); otherwise at the top.
        const double y = has_extent_ ? top + gh - cell * double(r + 1) : top + cell * double(r);
        for (std::size_t c = 0; c < cols; ++c) {
            const float v = values_(r, c);
            const double t = (double(v) - lo) / (hi - lo);
            const Rgb rgb = color_at(map_, t);
            svg.cell(left + cell * double(c), y, cell, cell, std::isfinite(v) ? hex(rgb) : "#bbbbbb");
            if (show_values_ && cell >= 18) {
                const double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
                svg.text(left + cell * (double(c) + 0.5), y + cell / 2 + font * 0.35,
                         format_number(double(v)), std::min(font, cell * 0.35), "middle", 0,
                         luma < 128 ? "white" : "#111");
            }
        }
    }
    svg.rect(left, top, gw, gh, "none", "#444", 0.8);

    // ---- labels or numeric axes -----------------------------------------------------------
    if (has_extent_) {
        for (double t : x_ticks) {
            const double x = left + (t - x0_) / (x1_ - x0_) * gw;
            svg.line(x, top + gh, x, top + gh + 4, "#444");
            svg.text(x, top + gh + 17, format_number(t), 11, "middle");
        }
        for (double t : y_ticks) {
            const double y = top + gh - (t - y0_) / (y1_ - y0_) * gh;
            svg.line(left - 4, y, left, y, "#444");
            svg.text(left - 7, y + 4, format_number(t), 11, "end");
        }
        svg.begin_clip(left, top, gw, gh);
        for (std::size_t i = 0; i < px_.size(); ++i) {
            const double x = left + (px_[i] - x0_) / (x1_ - x0_) * gw;
            const double y = top + gh - (py_[i] - y0_) / (y1_ - y0_) * gh;
            svg.circle(x, y, 3.5, series_color(static_cast<std::size_t>(std::max(0, pclass_[i]))), "#111", 1);
        }
        svg.end_group();
    } else {
        for (std::size_t r = 0; r < row_labels_.size(); ++r)
            svg.text(left - 6, top + cell * (double(r) + 0.5) + font * 0.35, row_labels_[r], font, "end");
        for (std::size_t c = 0; c < col_labels_.size(); ++c) {
            const double x = left + cell * (double(c) + 0.5);
            if (slant)
                svg.text(x + font * 0.3, top + gh + 8, col_labels_[c], font, "end", -45);
            else
                svg.text(x, top + gh + font + 4, col_labels_[c], font, "middle");
        }
    }
    if (!x_label_.empty()) svg.text(left + gw / 2, top + gh + below + 22, x_label_, 12, "middle");
    if (!y_label_.empty()) svg.text(18, top + gh / 2, y_label_, 12, "middle", -90);

    // ---- colour bar: top is hi, bottom is lo ----------------------------------------------
    std::vector<std::string> stops;
    for (int i = 10; i >= 0; --i) stops.push_back(colormap_color(map_, i / 10.0));
    svg.gradient_rect(bar_x, top, 16, bar_h, stops);
    const double mid = (lo + hi) / 2;
    for (const auto& [v, y] :
         {std::pair{hi, top}, std::pair{mid, top + bar_h / 2}, std::pair{lo, top + bar_h}}) {
        svg.line(bar_x + 16, y, bar_x + 20, y, "#444");
        svg.text(bar_x + 23, y + 4, format_number(v), 11);
    }
    return svg.str();
}

void Heatmap::write_svg(const std::string& path) const { write_text_file(path, to_svg()); }

std::string head_panels(const std::vector<Array>& layer_weights, std::size_t first_layer,
                        const std::vector<std::string>& rows, const std::vector<std::string>& cols,
                        const std::string& title, const std::string& y_label, const std::string& x_label) {
    std::vector<std::string> documents;
    std::size_t heads = 1;
    for (std::size_t l = 0; l < layer_weights.size(); ++l) {
        const Array& w = layer_weights[l];  // (B, H, rows, cols)
        if (w.dimension() != 4 || w.shape()[0] == 0 || w.shape()[2] != rows.size() || w.shape()[3] != cols.size())
            throw ShapeError("head_panels: layer " + std::to_string(first_layer + l) + "'s weights are " +
                             shape_str(w.shape()) + "; expected (B, H, " + std::to_string(rows.size()) + ", " +
                             std::to_string(cols.size()) + ") for the labels given");
        heads = w.shape()[1];
        for (std::size_t h = 0; h < heads; ++h)
            documents.push_back(Heatmap(Array(xt::view(w, 0, h, xt::all(), xt::all())))
                                    .title("Layer " + std::to_string(first_layer + l) + " " + title + ", head " +
                                           std::to_string(h + 1))
                                    .row_labels(rows)
                                    .col_labels(cols)
                                    .colormap(Colormap::blues)
                                    .range(0.0f, 1.0f)
                                    .y_label(y_label)
                                    .x_label(x_label)
                                    .to_svg());
    }
    return panels(documents, heads);
}

}  // namespace dikkat::viz
