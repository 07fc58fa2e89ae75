#include <dikkat/viz/plot.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <dikkat/error.hpp>
#include <dikkat/viz/svg.hpp>

namespace dikkat::viz {

std::vector<double> one_to(std::size_t n) {
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = double(i + 1);
    return s;
}

Values::Values(const Array& values) {
    if (values.dimension() != 1)
        throw ShapeError("viz::Values: expected a 1-D array, got shape " + shape_str(values.shape()));
    v.assign(values.begin(), values.end());
}

const std::string& series_color(std::size_t i) {
    static const std::vector<std::string> palette{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    return palette[i % palette.size()];
}

namespace {

// The smallest of 1, 2, 5 x 10^k that is >= raw.
double nice_step(double raw) {
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw * (1 - 1e-9)) return m * p;
    return 10.0 * p;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, bool log_scale, int target) {
    std::vector<double> ticks;
    // A range too narrow for double to step through (say 1 and the next double after it)
    // is one value.
    if (!(hi - lo > 1e-12 * std::max(std::fabs(lo), std::fabs(hi)))) return {lo};
    if (!log_scale) {
        const double step = nice_step((hi - lo) / std::max(1, target - 1));
        const double first = std::ceil(lo / step - 1e-9);
        for (int k = 0; k <= 4 * target && (first + k) * step <= hi + step * 1e-9; ++k) {
            const double t = (first + k) * step;
            ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
        }
        return ticks;
    }
    // Log axis: whole decades; over a range of a few decades, also 2 and 5 x 10^k.
    const double d_lo = std::floor(std::log10(lo) + 1e-9), d_hi = std::ceil(std::log10(hi) - 1e-9);
    const bool fine = std::log10(hi / lo) < 2.5;
    const int every = std::max(1, static_cast<int>(std::ceil((d_hi - d_lo) / target)));
    for (double d = d_lo; d <= d_hi; d += 1.0) {
        if (!fine && static_cast<long long>(d - d_lo) % every != 0) continue;
        const double p = std::pow(10.0, d);
        for (double m : {1.0, 2.0, 5.0}) {
            if (m > 1.0 && !fine) break;
            const double t = m * p;
            if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);
        }
    }
    return ticks;
}

LinePlot& LinePlot::add_series(std::string name, const Values& xs, const Values& ys, bool dashed) {
    if (xs.v.size() != ys.v.size())
        throw ValueError("LinePlot::add_series '" + name + "': " + std::to_string(xs.v.size()) +
                         " x values but " + std::to_string(ys.v.size()) + " y values");
    series_.push_back({std::move(name), xs.v, ys.v, dashed});
    return *this;
}

namespace {

// One axis: the data range widened to the ticks around it, and the map to pixels.
struct Axis {
    bool log = false;
    double lo = 0, hi = 1;
    std::vector<double> ticks;

    bool usable(double v) const { return std::isfinite(v) && (!log || v > 0); }
    double t(double v) const { return log ? std::log10(v) : v; }
    // Position in [0, 1] along the axis.
    double frac(double v) const { return (t(v) - t(lo)) / (t(hi) - t(lo)); }

    void fit(double mn, double mx) {
        if (!(mn <= mx)) {
            mn = log ? 1 : 0;
            mx = log ? 10 : 1;
        }                // no data at all
        if (mn == mx) {  // one value: a small range around it
            const double pad = log ? 0.0 : (mn == 0 ? 1.0 : std::fabs(mn) * 0.1);
            mn = log ? mn / 2 : mn - pad;
            mx = log ? mx * 2 : mx + pad;
        }
        // Widen to the neighbouring ticks so the data sits inside labelled bounds.
        const std::vector<double> inner = nice_ticks(mn, mx, log);
        if (!log && inner.size() >= 2) {
            const double step = inner[1] - inner[0];
            lo = std::floor(mn / step + 1e-9) * step;
            hi = std::ceil(mx / step - 1e-9) * step;
        } else if (log) {
            lo = std::pow(10.0, std::floor(std::log10(mn) + 1e-9));
            hi = std::pow(10.0, std::ceil(std::log10(mx) - 1e-9));
            // Within a few decades (where nice_ticks labels 2 and 5 x 10^k too), stop at the
            // 1-2-5 ticks around the data rather than at whole decades.
            double l = lo, h = hi;
            for (double m : {5.0, 2.0})
                if (l * m <= mn * (1 + 1e-9)) {
                    l *= m;
                    break;
                }
            for (double m : {0.2, 0.5})
                if (h * m >= mx * (1 - 1e-9)) {
                    h *= m;
                    break;
                }
            if (std::log10(h / l) < 2.5) lo = l, hi = h;
        } else {
            lo = mn;
            hi = mx;
        }
        ticks = nice_ticks(lo, hi, log);
    }
};

}  // namespace

std::vector<double> moving_average(const std::vector<double>& values, std::size_t window) {
    window = std::max<std::size_t>(window, 1);  // a window of 0 is the series itself
    std::vector<double> out(values.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        sum += values[i];
        if (i >= window) sum -= values[i - window];
        out[i] = sum / double(std::min(i + 1, window));
    }
    return out;
}

std::string LinePlot::to_svg() const {
    Axis ax, ay;
    ax.log = log_x_;
    ay.log = log_y_;
    double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
    double y_min = x_min, y_max = -x_min;
    for (const Series& s : series_)
        for (std::size_t i = 0; i < s.xs.size(); ++i)
            if (ax.usable(s.xs[i]) && ay.usable(s.ys[i])) {
                x_min = std::min(x_min, s.xs[i]);
                x_max = std::max(x_max, s.xs[i]);
                y_min = std::min(y_min, s.ys[i]);
                y_max = std::max(y_max, s.ys[i]);
            }
    if (ay.usable(y_lo_)) y_min = std::min(y_min, y_lo_);  // y_range(): at least this much
    if (ay.usable(y_hi_)) y_max = std::max(y_max, y_hi_);
    ax.fit(x_min, x_max);
    ay.fit(y_min, y_max);

    // ---- layout: plot area in the middle, legend on the right, labels around ----------
    const double font = 12, tick_font = 11;
    double y_tick_w = 0;
    std::vector<std::string> y_tick_text;
    const double y_step = ay.ticks.size() > 1 ? ay.ticks[1] - ay.ticks[0] : 0;
    for (double t : ay.ticks) {
        y_tick_text.push_back(format_number(t, ay.log ? 0.0 : y_step));
        y_tick_w = std::max(y_tick_w, text_width(y_tick_text.back(), tick_font));
    }
    double legend_w = 0;
    for (const Series& s : series_) legend_w = std::max(legend_w, text_width(s.name, font));
    const double left = 24 + (y_label_.empty() ? 0 : 20) + y_tick_w;
    const double right = series_.empty() ? 20 : legend_w + 60;
    const double top = title_.empty() ? 20 : 44;
    const double bottom = x_label_.empty() ? 36 : 56;
    const double pw = std::max(50.0, width_ - left - right), ph = std::max(50.0, height_ - top - bottom);
    const auto px = [&](double v) { return left + ax.frac(v) * pw; };
    const auto py = [&](double v) { return top + (1 - ay.frac(v)) * ph; };

    Svg svg(width_, height_);
    if (!title_.empty()) svg.text(left + pw / 2, 26, title_, 15, "middle", 0, "#111", true);

    // ---- grid, ticks and tick labels ----------------------------------------------------
    const double x_step = ax.ticks.size() > 1 ? ax.ticks[1] - ax.ticks[0] : 0;
    for (double t : ax.ticks) {
        const double x = px(t);
        svg.line(x, top, x, top + ph, "#e4e4e4");
        svg.line(x, top + ph, x, top + ph + 5, "#444");
        svg.text(x, top + ph + 18, format_number(t, ax.log ? 0.0 : x_step), tick_font, "middle");
    }
    for (std::size_t i = 0; i < ay.ticks.size(); ++i) {
        const double y = py(ay.ticks[i]);
        svg.line(left, y, left + pw, y, "#e4e4e4");
        svg.line(left - 5, y, left, y, "#444");
        svg.text(left - 8, y + 4, y_tick_text[i], tick_font, "end");
    }
    svg.rect(left, top, pw, ph, "none", "#444", 1);
    if (!x_label_.empty()) svg.text(left + pw / 2, top + ph + 40, x_label_, font, "middle");
    if (!y_label_.empty()) svg.text(18, top + ph / 2, y_label_, font, "middle", -90);

    // ---- the series, clipped to the plot area -------------------------------------------
    svg.begin_clip(left, top, pw, ph);
    for (std::size_t k = 0; k < series_.size(); ++k) {
        const Series& s = series_[k];
        const std::string& color = series_color(k);
        std::vector<std::pair<double, double>> run;  // a stretch of usable points
        const auto flush = [&] {
            if (run.size() > 1) svg.polyline(run, color, 1.8, s.dashed ? "6 3" : "");
            run.clear();
        };
        for (std::size_t i = 0; i < s.xs.size(); ++i) {
            if (!ax.usable(s.xs[i]) || !ay.usable(s.ys[i])) {
                flush();
                continue;
            }
            run.emplace_back(px(s.xs[i]), py(s.ys[i]));
            if (s.xs.size() <= 40) svg.circle(run.back().first, run.back().second, 3, color);
        }
        flush();
    }
    svg.end_group();
    // ---- legend ---------------------------------------------------------------------------
    for (std::size_t k = 0; k < series_.size(); ++k) {
        const double x = left + pw + 16, y = top + 10 + 20 * static_cast<double>(k);
        svg.line(x, y, x + 22, y, series_color(k), 2.5, series_[k].dashed ? "6 3" : "");
        svg.text(x + 28, y + 4, series_[k].name, font);
    }
    return svg.str();
}

void LinePlot::write_svg(const std::string& path) const { write_text_file(path, to_svg()); }

}  // namespace dikkat::viz
