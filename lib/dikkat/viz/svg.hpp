// A tiny SVG writer shared by the line plots and heatmaps: shapes and text in pixel
// coordinates, every string XML-escaped (labels such as "<eos>" are common here), and a
// file written completely or not at all.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dikkat::viz {

/// "&", "<", ">", '"' and "'" as XML entities.
std::string xml_escape(const std::string& text);

/// Writes `text` to `path` atomically (write_file_atomic: a reader never sees half a
/// file). Throws IoError naming the path.
void write_text_file(const std::string& path, const std::string& text);

/// A number as a short label: "0.5", "1e-04", "250". `step` (if > 0) is the spacing of
/// neighbouring labels and fixes the number of decimals so that they line up.
std::string format_number(double value, double step = 0.0);

/// Approximate width in pixels of `text` at `font_size` in a sans-serif font (for layout).
double text_width(const std::string& text, double font_size);

/// Several complete SVG documents (as Svg::str() or a figure's to_svg() returns them) laid out
/// in a grid of `columns` panels, left to right then down, as one document: the heads of an
/// attention side by side. Throws ValueError for an empty list or a document without a
/// width and height.
std::string panels(const std::vector<std::string>& documents, std::size_t columns);

/// An SVG document being drawn. Colours are any CSS colour ("#1f77b4", "none").
class Svg {
  public:
    Svg(double width, double height);

    void rect(double x, double y, double w, double h, const std::string& fill,
              const std::string& stroke = "none", double stroke_width = 1.0);
    /// A rectangle drawn with crisp edges, so neighbouring cells of a heatmap show no seams.
    void cell(double x, double y, double w, double h, const std::string& fill);
    void line(double x1, double y1, double x2, double y2, const std::string& stroke, double width = 1.0,
              const std::string& dash = "");
    void polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke,
                  double width = 1.5, const std::string& dash = "");
    void circle(double cx, double cy, double r, const std::string& fill, const std::string& stroke = "none",
                double stroke_width = 1.0);
    /// anchor: "start", "middle" or "end"; `rotate` in degrees, about (x, y).
    void text(double x, double y, const std::string& text, double size = 12.0,
              const std::string& anchor = "start", double rotate = 0.0, const std::string& fill = "#222",
              bool bold = false);
    /// A picture (`href`: a URL or a data URI, see png.hpp) stretched over the rectangle, its
    /// pixels kept sharp when enlarged.
    void image(double x, double y, double w, double h, const std::string& href);
    /// A vertical gradient (top colour first) filling the rectangle, e.g. a colour bar.
    void gradient_rect(double x, double y, double w, double h, const std::vector<std::string>& colors);
    /// Everything inside until end_group() is clipped to the rectangle.
    void begin_clip(double x, double y, double w, double h);
    void end_group();

    std::string str() const;
    void write(const std::string& path) const { write_text_file(path, str()); }

  private:
    double width_, height_;
    std::string defs_, body_;
    int next_id_ = 0;
};

}  // namespace dikkat::viz
