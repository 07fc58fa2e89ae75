// What a training run writes besides its checkpoint: metrics.csv, one row per logged step,
// and summary.json, the numbers a chapter's claim rests on. Both are plain text that a
// spreadsheet, pandas or a plotting script reads as it is.
//
//     step,loss,lr
//     0,4.17,0.0001
//     10,3.02,0.001
#pragma once

#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dikkat::io {

/// Appends rows to a CSV file with a header. Each row is flushed as it is written, so a run
/// that stops early still leaves every row it logged.
class MetricsWriter {
  public:
    /// Creates (or truncates) `path` and writes the header "step,<columns...>".
    /// Throws IoError if it cannot, ValueError for an empty, duplicate or comma-holding column name.
    MetricsWriter(std::string path, std::vector<std::string> columns);

    /// One row: the step, then one value per column, in the order of the header. NaN and
    /// infinities are written as nan / inf / -inf (which pandas and numpy read).
    void log(std::size_t step, const std::vector<double>& values);
    void log(std::size_t step, std::initializer_list<double> values) {
        log(step, std::vector<double>(values));
    }

    const std::string& path() const { return path_; }
    const std::vector<std::string>& columns() const { return columns_; }

    /// Everything written so far (the header and every row), for a run that stops and resumes
    /// (io/resume.hpp).
    const std::string& state() const { return written_; }
    /// Writes the file again as a state() text had it, and goes on appending after its last row.
    /// Throws ValueError if the text does not start with this writer's header line.
    void set_state(const std::string& text);

  private:
    void write(const std::string& text);

    std::string path_;
    std::vector<std::string> columns_;
    std::ofstream out_;
    std::string written_;
};

/// Writes `summary` as indented JSON, atomically, adding a `blas` object (blas::to_json: the
/// library, version, core and threads the numbers were measured with) unless it has one.
/// Throws IoError naming the path.
void write_summary_json(const std::string& path, const nlohmann::json& summary);

/// Reads a summary.json (another lesson's, to compare with). Throws IoError naming the path when
/// it cannot be read or is not JSON.
nlohmann::json read_summary_json(const std::string& path);

/// {"mean": …, "std": …, "seeds": n} of repeated runs (the sample standard deviation, n - 1;
/// 0 for one run): how a lesson reports a number measured over several seeds.
nlohmann::json mean_std(const std::vector<double>& runs);

}  // namespace dikkat::io
