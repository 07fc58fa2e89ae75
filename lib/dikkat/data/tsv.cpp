#include <dikkat/data/tsv.hpp>

#include <fstream>

#include <dikkat/error.hpp>

namespace dikkat::data {

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw IoError(path + ": cannot open file (does it exist? paths are relative to " +
                      "the folder you run from)");
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(f, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<std::string> split_fields(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t end = line.find(sep, start);
        if (end == std::string::npos) {
            out.push_back(line.substr(start));
            return out;
        }
        out.push_back(line.substr(start, end - start));
        start = end + 1;
    }
}

std::vector<TsvRow> read_tsv(const std::string& path, std::size_t fields) {
    return read_tsv(path, fields, fields);
}

std::vector<TsvRow> read_tsv(const std::string& path, std::size_t min_fields, std::size_t max_fields,
                             const std::string& what) {
    const std::string expected = std::to_string(min_fields) +
                                 (max_fields == min_fields ? "" : " or " + std::to_string(max_fields)) +
                                 " tab-separated fields" + (what.empty() ? "" : " (" + what + ")");
    std::vector<std::string> lines = read_lines(path);
    std::vector<TsvRow> rows;
    rows.reserve(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string where = path + ":" + std::to_string(i + 1) + ": ";
        if (lines[i].empty()) throw IoError(where + "empty line");
        TsvRow row{i + 1, split_fields(lines[i], '\t')};
        if (row.fields.size() < min_fields || row.fields.size() > max_fields)
            throw IoError(where + "expected " + expected + ", found " + std::to_string(row.fields.size()));
        for (std::size_t k = 0; k < row.fields.size(); ++k)
            if (row.fields[k].empty()) throw IoError(where + "field " + std::to_string(k + 1) + " is empty");
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace dikkat::data
