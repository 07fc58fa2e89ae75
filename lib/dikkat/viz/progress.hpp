// A progress bar for training loops:
//
//   train [██████████▍         ] 520/1000  52%  loss 2.314  38.1 it/s  eta 0:12
//
// On a terminal it redraws itself in place (with '\r', at most ten times a second). When the
// output is a file or a pipe (CI logs, `| tee`), it prints a plain line every 10% of the way
// and at least every 30 seconds instead, so logs stay readable.
//
//     viz::ProgressBar bar(steps, "train");
//     for (std::size_t step = 1; step <= steps; ++step) {
//         ...
//         bar.update(step, {{"loss", loss.item()}});
//     }
//     bar.finish();
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace dikkat::viz {

class ProgressBar {
  public:
    enum class Mode {
        automatic,  ///< in place if the stream is `std::cout` or `std::cerr` on a terminal, else lines
        in_place,
        lines,
    };

    /// `total` steps; writes to `out` (default std::cerr, so that results on std::cout stay
    /// clean when they are redirected).
    ProgressBar(std::size_t total, std::string label = "", Mode mode = Mode::automatic);
    ProgressBar(std::size_t total, std::string label, std::ostream& out, Mode mode = Mode::automatic);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    /// Rate unit and how many of them one step is (e.g. 32 "ex" per step for a batch of 32).
    ProgressBar& unit(std::string name, double per_step = 1.0);
    /// A resumed run: `done` steps were done before it began. The bar starts there; its rate and
    /// the time left count only the steps from here.
    ProgressBar& from(std::size_t done);

    /// Reports that `step` steps (of total) are done, with the latest metrics to show.
    void update(std::size_t step, const std::vector<std::pair<std::string, double>>& metrics = {});
    /// Draws the final state and ends the line. Called by the destructor if you don't.
    void finish();

    /// The line as it would be drawn now (for tests and custom loggers).
    std::string line() const;
    bool in_place() const { return in_place_; }

  private:
    using Clock = std::chrono::steady_clock;
    double elapsed() const;
    void draw();

    std::size_t total_, step_ = 0, first_ = 0;
    std::string label_, unit_ = "it";
    double per_step_ = 1.0;
    std::ostream& out_;
    bool in_place_ = false, finished_ = false;
    std::vector<std::pair<std::string, double>> metrics_;
    Clock::time_point start_, last_draw_;
    std::size_t next_percent_ = 10;
    std::size_t last_width_ = 0;
};

/// "1:05:03", "4:07" or "0:09".
std::string format_duration(double seconds);

}  // namespace dikkat::viz
