#include <dikkat/viz/progress.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include <dikkat/data/tokenizer.hpp>

namespace dikkat::viz {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const auto s = static_cast<long long>(std::llround(seconds));
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

namespace {
bool is_terminal(const std::ostream& out) {
    if (&out == &std::cerr || &out == &std::clog) return isatty(fileno(stderr)) != 0;
    if (&out == &std::cout) return isatty(fileno(stdout)) != 0;
    return false;
}
}  // namespace

ProgressBar::ProgressBar(std::size_t total, std::string label, Mode mode)
    : ProgressBar(total, std::move(label), std::cerr, mode) {}

ProgressBar::ProgressBar(std::size_t total, std::string label, std::ostream& out, Mode mode)
    : total_(total),
      label_(std::move(label)),
      out_(out),
      in_place_(mode == Mode::in_place || (mode == Mode::automatic && is_terminal(out))),
      start_(Clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
    try {
        finish();
    } catch (...) {  // a destructor must not throw; a lost progress line is harmless
    }
}

ProgressBar& ProgressBar::unit(std::string name, double per_step) {
    unit_ = std::move(name);
    per_step_ = per_step;
    return *this;
}

ProgressBar& ProgressBar::from(std::size_t done) {
    step_ = first_ = done;
    while (total_ && next_percent_ <= done * 100 / total_) next_percent_ += 10;
    return *this;
}

double ProgressBar::elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string ProgressBar::line() const {
    const double frac = total_ ? std::min(1.0, double(step_) / double(total_)) : 1.0;
    const double secs = elapsed();
    const double run = step_ > first_ ? double(step_ - first_) : 0.0;  // steps since the bar began
    const double rate = secs > 0 ? run * per_step_ / secs : 0.0;
    const double eta =
        run > 0 ? secs * (double(total_) - double(step_)) / run : std::numeric_limits<double>::quiet_NaN();
    char buf[64];
    std::string s = label_.empty() ? "" : label_ + " ";
    if (in_place_) {  // a bar of 20 cells, eighths of a cell drawn with partial blocks
        static const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
        const auto filled = static_cast<std::size_t>(frac * 160.0);
        std::string bar;
        for (std::size_t i = 0; i < filled / 8; ++i) bar += "█";
        bar += eighths[filled % 8];
        const std::size_t cells = filled / 8 + (filled % 8 ? 1 : 0);
        bar += std::string(20 - std::min<std::size_t>(20, cells), ' ');
        s += "[" + bar + "] ";
    }
    std::snprintf(buf, sizeof buf, "%zu/%zu %3.0f%%", step_, total_, 100.0 * frac);
    s += buf;
    for (const auto& [name, value] : metrics_) {
        std::snprintf(buf, sizeof buf, "  %s %.4g", name.c_str(), value);
        s += buf;
    }
    if (rate >= 100)
        std::snprintf(buf, sizeof buf, "  %.0f %s/s", rate, unit_.c_str());
    else
        std::snprintf(buf, sizeof buf, "  %.3g %s/s", rate, unit_.c_str());
    s += buf;
    if (finished_)
        s += "  took " + format_duration(secs);
    else if (step_ < total_)
        s += "  eta " + format_duration(eta);
    return s;
}

void ProgressBar::draw() {
    const std::string s = line();
    if (in_place_) {
        const std::size_t width = data::utf8_chars(s).size();
        // Spaces wipe out the end of a longer previous line.
        out_ << '\r' << s << std::string(last_width_ > width ? last_width_ - width : 0, ' ') << std::flush;
        last_width_ = width;
    } else {
        out_ << s << '\n' << std::flush;
    }
    last_draw_ = Clock::now();
}

void ProgressBar::update(std::size_t step, const std::vector<std::pair<std::string, double>>& metrics) {
    if (finished_) return;
    step_ = step;
    if (!metrics.empty()) metrics_ = metrics;
    const double since = std::chrono::duration<double>(Clock::now() - last_draw_).count();
    if (in_place_) {
        if (since >= 0.1 || step_ >= total_) draw();
        return;
    }
    const std::size_t percent = total_ ? step_ * 100 / total_ : 100;
    // The 100% line is left to finish(), which adds the total time.
    if (percent < 100 && (percent >= next_percent_ || since >= 30.0)) {
        draw();
        while (next_percent_ <= percent) next_percent_ += 10;
    }
}

void ProgressBar::finish() {
    if (finished_) return;
    finished_ = true;
    draw();
    if (in_place_) out_ << '\n' << std::flush;
}

}  // namespace dikkat::viz
