// Small helpers shared by the dataset generators: picking from lists, joining words, writing
// files byte for byte, and the statistics each README quotes.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <dikkat/random.hpp>

namespace dikkat::gen {

template <class T>
const T& pick(Rng& rng, const std::vector<T>& v) {
    return v[rng.below(static_cast<std::uint32_t>(v.size()))];
}

/// "a b c" from {"a", "b", "c"}.
std::string join(const std::vector<std::string>& words, const std::string& sep = " ");

/// Splits on single spaces.
std::vector<std::string> split_words(const std::string& line);

/// English "a" becomes "an" before a word that starts with a vowel sound ("an awful day",
/// "an eight hour journey"; but "a european", "a union").
std::string fix_articles(const std::string& text);

/// Writes the lines, each ending in '\n', in binary mode (the same bytes on every platform).
/// Creates the directory if needed; throws IoError if the file cannot be written.
void write_lines(const std::string& path, const std::vector<std::string>& lines);

/// A text histogram: one row per bucket, a bar of '#' scaled to `width`.
void print_histogram(std::ostream& out, const std::map<std::string, std::size_t>& counts,
                     std::size_t width = 40);

/// Number of distinct space-separated words over all lines.
std::size_t vocabulary_size(const std::vector<std::string>& lines);

/// Total number of space-separated words over all lines.
std::size_t word_count(const std::vector<std::string>& lines);

// The generators; each writes its files under `dir` and prints the statistics for its README.
void make_translation(const std::string& dir, std::uint64_t seed, std::ostream& log);
void make_general_text(const std::string& dir, std::uint64_t seed, std::ostream& log);
void make_reviews(const std::string& dir, std::uint64_t seed, std::ostream& log);

}  // namespace dikkat::gen
