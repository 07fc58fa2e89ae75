#include <dikkat/viz/terminal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <dikkat/data/tokenizer.hpp>
#include <dikkat/error.hpp>

namespace dikkat::viz {

namespace {

// The level (0 .. n-1) nearest to v's place between lo and hi; the middle one if lo == hi.
std::size_t level(double v, double lo, double hi, std::size_t n) {
    if (!(hi > lo)) return (n - 1) / 2;
    const double t = std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
    return static_cast<std::size_t>(std::lround(t * static_cast<double>(n - 1)));
}

std::string pad_right(const std::string& s, std::size_t width) {
    const std::size_t len = data::utf8_chars(s).size();
    return len >= width ? s : s + std::string(width - len, ' ');
}

}  // namespace

std::string terminal_heatmap(const Array& values, const std::vector<std::string>& row_labels,
                             const std::vector<std::string>& col_labels, float lo, float hi) {
    if (values.dimension() != 2)
        throw ShapeError("terminal_heatmap: expected a 2-D matrix (rows, cols), got shape " +
                         shape_str(values.shape()));
    const std::size_t rows = values.shape(0), cols = values.shape(1);
    if (!row_labels.empty() && row_labels.size() != rows)
        throw ValueError("terminal_heatmap: " + std::to_string(row_labels.size()) + " row labels for " +
                         std::to_string(rows) + " rows");
    if (!col_labels.empty() && col_labels.size() != cols)
        throw ValueError("terminal_heatmap: " + std::to_string(col_labels.size()) + " column labels for " +
                         std::to_string(cols) + " columns");

    double vlo = lo, vhi = hi;
    if (!(hi > lo)) {
        vlo = std::numeric_limits<double>::infinity(), vhi = -vlo;
        for (float v : values)
            if (std::isfinite(v)) vlo = std::min(vlo, double(v)), vhi = std::max(vhi, double(v));
    }
    static const char* shades[] = {"  ", "░░", "▒▒", "▓▓", "██"};

    std::size_t label_w = 0;
    for (const auto& l : row_labels) label_w = std::max(label_w, data::utf8_chars(l).size());
    const std::string margin(label_w + (label_w ? 1 : 0), ' ');

    std::string out;
    // Column labels, one character per line, each above the first of its two cells.
    std::vector<std::vector<std::string>> col_chars;
    std::size_t col_h = 0;
    for (const auto& l : col_labels) {
        auto chars = data::utf8_chars(l);
        if (chars.size() > 10) chars.resize(10);
        col_h = std::max(col_h, chars.size());
        col_chars.push_back(std::move(chars));
    }
    for (std::size_t k = 0; k < col_h; ++k) {
        std::string line = margin;
        for (const auto& chars : col_chars) line += (k < chars.size() ? chars[k] : " ") + std::string(" ");
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    for (std::size_t r = 0; r < rows; ++r) {
        std::string line = row_labels.empty() ? margin : pad_right(row_labels[r], label_w) + " ";
        for (std::size_t c = 0; c < cols; ++c) {
            const float v = values(r, c);
            line += std::isfinite(v) ? shades[level(double(v), vlo, vhi, 5)] : "??";
        }
        out += line + "\n";
    }
    return out;
}

std::string sparkline(const std::vector<float>& values, std::size_t max_width) {
    std::vector<double> v(values.begin(), values.end());
    if (max_width > 0 && v.size() > max_width) {  // average buckets of neighbouring values
        std::vector<double> avg(max_width);
        for (std::size_t i = 0; i < max_width; ++i) {
            const std::size_t a = i * v.size() / max_width, b = (i + 1) * v.size() / max_width;
            double sum = 0;
            std::size_t n = 0;
            for (std::size_t j = a; j < b; ++j)
                if (std::isfinite(v[j])) sum += v[j], ++n;
            avg[i] = n ? sum / double(n) : std::numeric_limits<double>::quiet_NaN();
        }
        v = std::move(avg);
    }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double x : v)
        if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    static const char* bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    std::string out;
    for (double x : v) out += std::isfinite(x) ? bars[level(x, lo, hi, 8)] : " ";
    return out;
}

}  // namespace dikkat::viz
