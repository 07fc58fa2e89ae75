// Reading tab-separated files, with errors a learner can act on:
//
//   datasets/translation/train.tsv:1207: expected 3 tab-separated fields, found 2
//
// Every dataset reader in datasets.hpp is built on these two calls.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dikkat::data {

/// One line of a TSV file: its 1-based line number (for error messages) and its fields.
struct TsvRow {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

/// The lines of a text file without their `\n` (a `\r` before it is dropped too). A final
/// line without `\n` is kept. Throws IoError naming the file if it cannot be opened.
std::vector<std::string> read_lines(const std::string& path);

/// Splits on every `sep`; empty fields are kept ("a\t\tb" has three fields).
std::vector<std::string> split_fields(const std::string& line, char sep = '\t');

/// Reads a file in which every line has exactly `fields` tab-separated, non-empty fields.
/// Throws IoError "path:line: expected 3 tab-separated fields, found 2" (or "...: field 2 is
/// empty", or "...: empty line") at the first line that does not.
std::vector<TsvRow> read_tsv(const std::string& path, std::size_t fields);

/// The same for lines of `min_fields` to `max_fields` fields; `what` names them in the error
/// ("path:line: expected 2 or 3 tab-separated fields (english, french and an optional
/// alignment), found 4").
std::vector<TsvRow> read_tsv(const std::string& path, std::size_t min_fields, std::size_t max_fields,
                             const std::string& what = "");

}  // namespace dikkat::data
