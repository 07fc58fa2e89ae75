#include <dikkat/io/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include <dikkat/atomic_file.hpp>
#include <dikkat/blas.hpp>
#include <dikkat/error.hpp>

namespace dikkat::io {

namespace {

// Shortest text that reads back as the same double, e.g. "0.1", "3.0625", "nan".
std::string number_text(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[40];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

}  // namespace

MetricsWriter::MetricsWriter(std::string path, std::vector<std::string> columns)
    : path_(std::move(path)), columns_(std::move(columns)) {
    std::set<std::string> seen{"step"};
    for (const std::string& c : columns_) {
        if (c.empty() || c.find_first_of(",\"\n\r") != std::string::npos)
            throw ValueError(
                "MetricsWriter: column names must be non-empty, without commas, quotes or newlines: '" + c +
                "'");
        if (!seen.insert(c).second)
            throw ValueError("MetricsWriter: the column '" + c + "' appears twice (or is 'step')");
    }
    out_.open(path_, std::ios::out | std::ios::trunc);
    if (!out_) throw IoError(path_ + ": cannot open it for writing");
    std::string header = "step";
    for (const std::string& c : columns_) header += ',' + c;
    write(header + '\n');
}

void MetricsWriter::log(std::size_t step, const std::vector<double>& values) {
    if (values.size() != columns_.size())
        throw ValueError("MetricsWriter " + path_ + ": got " + std::to_string(values.size()) +
                         " values for " + std::to_string(columns_.size()) + " columns");
    std::string row = std::to_string(step);
    for (double v : values) row += ',' + number_text(v);
    write(row + '\n');
}

void MetricsWriter::set_state(const std::string& text) {
    const std::string header = written_.substr(0, written_.find('\n') + 1);
    if (text.compare(0, header.size(), header) != 0)
        throw ValueError("MetricsWriter " + path_ + ": the saved rows have another header than \"" +
                         header.substr(0, header.size() - 1) + "\"");
    out_.close();
    out_.open(path_, std::ios::out | std::ios::trunc);
    if (!out_) throw IoError(path_ + ": cannot open it for writing");
    written_.clear();
    write(text);
}

// Appends `text` to the file, flushed (so a run that stops early leaves every row), and remembers it.
void MetricsWriter::write(const std::string& text) {
    out_ << text << std::flush;
    if (!out_) throw IoError(path_ + ": write failed");
    written_ += text;
}

JsonObject::JsonObject() : doc_(std::make_unique<nlohmann::json>(nlohmann::json::object())) {}
JsonObject::JsonObject(nlohmann::json value) : doc_(std::make_unique<nlohmann::json>(std::move(value))) {}
JsonObject::~JsonObject() = default;
JsonObject::JsonObject(const JsonObject& other) : doc_(std::make_unique<nlohmann::json>(*other.doc_)) {}
JsonObject::JsonObject(JsonObject&& other) noexcept : JsonObject() { doc_.swap(other.doc_); }
JsonObject& JsonObject::operator=(const JsonObject& other) {
    *doc_ = *other.doc_;
    return *this;
}
JsonObject& JsonObject::operator=(JsonObject&& other) noexcept {
    doc_.swap(other.doc_);
    return *this;
}

JsonObject& JsonObject::set_flag(const std::string& key, bool value) {
    (*doc_)[key] = value;
    return *this;
}
JsonObject& JsonObject::set_number(const std::string& key, double value) {
    (*doc_)[key] = value;
    return *this;
}
JsonObject& JsonObject::set_integer(const std::string& key, long long value) {
    (*doc_)[key] = value;
    return *this;
}
JsonObject& JsonObject::set_count(const std::string& key, unsigned long long value) {
    (*doc_)[key] = value;
    return *this;
}
JsonObject& JsonObject::set(const std::string& key, const std::string& text) {
    (*doc_)[key] = text;
    return *this;
}
JsonObject& JsonObject::set(const std::string& key, const char* text) {
    if (!text) {  // null, as the JSON library writes a null pointer
        (*doc_)[key] = nullptr;
        return *this;
    }
    return set(key, std::string(text));
}
JsonObject& JsonObject::set(const std::string& key, const std::vector<double>& numbers) {
    (*doc_)[key] = numbers;
    return *this;
}
JsonObject& JsonObject::set(const std::string& key, const JsonObject& group) {
    (*doc_)[key] = *group.doc_;
    return *this;
}
JsonObject& JsonObject::set(const std::string& key, const std::vector<JsonObject>& groups) {
    nlohmann::json list = nlohmann::json::array();
    for (const JsonObject& g : groups) list.push_back(*g.doc_);
    (*doc_)[key] = std::move(list);
    return *this;
}
JsonObject& JsonObject::merge(const JsonObject& other) {
    if (other.doc_->is_object()) doc_->update(*other.doc_);
    return *this;
}
bool JsonObject::contains(const std::string& key) const { return doc_->contains(key); }
JsonObject& JsonObject::erase(const std::string& key) {
    doc_->erase(key);
    return *this;
}
JsonObject JsonObject::at(const std::string& key) const {
    if (!doc_->contains(key)) throw ValueError("the JSON object has no '" + key + "'");
    return JsonObject(doc_->at(key));
}
double JsonObject::number(const std::string& key) const {
    if (!doc_->contains(key) || !doc_->at(key).is_number())
        throw ValueError("the JSON object has no number '" + key + "'");
    return doc_->at(key).get<double>();
}
nlohmann::json& JsonObject::slot(const std::string& key) { return (*doc_)[key]; }

void write_summary_json(const std::string& path, const JsonObject& summary) {
    write_summary_json(path, summary.json());
}

void write_summary_json(const std::string& path, const nlohmann::json& summary) {
    std::string text;
    try {
        nlohmann::json with_blas = summary;
        if (with_blas.is_object() && !with_blas.contains("blas"))
            with_blas["blas"] = blas::to_json(blas::info());
        text = with_blas.dump(2) + "\n";
    } catch (const nlohmann::json::exception& e) {
        throw IoError(path + ": cannot encode the summary as JSON: " + e.what());
    }
    write_file_atomic(path, text);
}

nlohmann::json read_summary_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw IoError(path + ": cannot open it");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw IoError(path + " is not JSON: " + e.what());
    }
}

JsonObject mean_std(const std::vector<double>& runs) {
    double mean = 0, var = 0;
    for (double r : runs) mean += r / double(runs.size());
    for (double r : runs) var += (r - mean) * (r - mean) / double(std::max<std::size_t>(runs.size() - 1, 1));
    JsonObject out;
    out.set("mean", mean).set("std", std::sqrt(var)).set("seeds", runs.size());
    return out;
}

}  // namespace dikkat::io
