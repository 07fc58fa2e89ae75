// What a training run writes besides its checkpoint: metrics.csv, one row per logged step,
//
//     step,loss,lr
//     0,4.17,0.0001
//     10,3.02,0.001
//
// and summary.json, the numbers a chapter's claim rests on. Both are plain text that a
// spreadsheet, pandas or a plotting script reads as it is. A lesson fills its summary with an
// io::JsonObject, which needs no JSON library where it is used:
//
//     io::JsonObject summary;
//     summary.set("test_accuracy", acc).set("steps", opt.steps).set("config", config);
//     io::write_summary_json(run.file("summary.json", "the numbers above"), summary);
#pragma once

#include <fstream>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

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

/// A JSON object that a file without the JSON library can fill and pass on: summary.json's numbers,
/// a model's configuration read from its checkpoint. It takes numbers, flags, text, lists of
/// numbers, objects (a JsonObject inside a JsonObject, for "seconds": {"pretrain": …}), lists of
/// objects, and anything of the library with a JSON form (a model's configuration, test scores, a
/// BLEU curve: whatever has a `to_json(nlohmann::json&, const T&)`). Names come out sorted.
///
/// The JSON library's own header costs every file that includes it most of a second of compiling,
/// used or not (docs/speed.md, Building), and a lesson's main.cpp is the file a learner edits and
/// rebuilds: this header declares JSON only. Code that includes <nlohmann/json.hpp> reads and writes the
/// value itself with json().
class JsonObject {
  public:
    JsonObject();
    /// A library value in its JSON form: what `to_json(json, value)` (found next to the value's
    /// type) makes of it — a model's configuration, test scores.
    template <class T, class = decltype(to_json(std::declval<nlohmann::json&>(), std::declval<const T&>()))>
    JsonObject(const T& value) : JsonObject() {
        to_json(json(), value);
    }
    /// For code that includes <nlohmann/json.hpp>.
    JsonObject(nlohmann::json value);
    ~JsonObject();
    JsonObject(const JsonObject& other);
    /// Leaves `other` an empty object (allocating it: out of memory there ends the program).
    JsonObject(JsonObject&& other) noexcept;
    JsonObject& operator=(const JsonObject& other);
    JsonObject& operator=(JsonObject&& other) noexcept;

    /// A number or a flag under `key` (replacing what was there): an integer stays an integer
    /// (3, not 3.0), a float or a double becomes a double.
    template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
    JsonObject& set(const std::string& key, T value) {
        if constexpr (std::is_same_v<T, bool>)
            return set_flag(key, value);
        else if constexpr (std::is_floating_point_v<T>)
            return set_number(key, static_cast<double>(value));
        else if constexpr (std::is_signed_v<T>)
            return set_integer(key, static_cast<long long>(value));
        else
            return set_count(key, static_cast<unsigned long long>(value));
    }
    JsonObject& set(const std::string& key, const std::string& text);
    JsonObject& set(const std::string& key, const char* text);
    JsonObject& set(const std::string& key, const std::vector<double>& numbers);
    JsonObject& set(const std::string& key, const JsonObject& group);
    JsonObject& set(const std::string& key, const std::vector<JsonObject>& groups);
    /// A library value in its JSON form: `set("config", config)` writes what `to_json(json,
    /// config)` makes of it.
    template <class T, class = decltype(to_json(std::declval<nlohmann::json&>(), std::declval<const T&>()))>
    JsonObject& set(const std::string& key, const T& value) {
        to_json(slot(key), value);
        return *this;
    }

    /// Every name of `other` (a JsonObject, or a library value's JSON object), replacing those
    /// already here.
    JsonObject& merge(const JsonObject& other);

    bool contains(const std::string& key) const;
    /// Removes `key`, if it is there.
    JsonObject& erase(const std::string& key);
    /// The value under `key` (a copy): an object, such as "bleu_by_length". Throws ValueError
    /// naming the key if there is none.
    JsonObject at(const std::string& key) const;
    /// The number under `key`. Throws ValueError naming the key if there is none.
    double number(const std::string& key) const;

    /// The JSON object itself, for code that includes <nlohmann/json.hpp>.
    nlohmann::json& json() { return *doc_; }
    const nlohmann::json& json() const { return *doc_; }

  private:
    JsonObject& set_flag(const std::string& key, bool value);
    JsonObject& set_number(const std::string& key, double value);
    JsonObject& set_integer(const std::string& key, long long value);
    JsonObject& set_count(const std::string& key, unsigned long long value);
    /// The value under `key`, made null if absent, for a to_json to write into.
    nlohmann::json& slot(const std::string& key);

    std::unique_ptr<nlohmann::json> doc_;  ///< an object, unless json() made it something else
};

/// Writes `summary` as indented JSON, atomically, adding a `blas` object (blas::to_json: the
/// library, version, core and threads the numbers were measured with) unless it has one.
/// Throws IoError naming the path.
void write_summary_json(const std::string& path, const nlohmann::json& summary);
void write_summary_json(const std::string& path, const JsonObject& summary);

/// Reads a summary.json (another lesson's, to compare with). Throws IoError naming the path when
/// it cannot be read or is not JSON.
nlohmann::json read_summary_json(const std::string& path);

/// {"mean": …, "std": …, "seeds": n} of repeated runs (the sample standard deviation, n - 1;
/// 0 for one run): how a lesson reports a number measured over several seeds.
JsonObject mean_std(const std::vector<double>& runs);

}  // namespace dikkat::io
