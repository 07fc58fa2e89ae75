// Small helpers shared by the dataset generators: picking from lists, joining words, writing
// files byte for byte, and the statistics each README quotes.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <dikkat/data/datasets.hpp>
#include <dikkat/random.hpp>

namespace dikkat::gen {

template <class T>
const T& pick(Rng& rng, const std::vector<T>& v) {
    return v[rng.below(static_cast<std::uint32_t>(v.size()))];
}

/// "a b c" from {"a", "b", "c"}.
std::string join(const std::vector<std::string>& words, const std::string& sep = " ");

/// Words of a line (the readers' own splitter: single spaces, empty pieces dropped).
using data::split_words;

/// English "a" becomes "an" before a word that starts with a vowel sound ("an awful day",
/// "an eight hour journey"; but "a european", "a union").
std::string fix_articles(const std::string& text);

/// Writes the lines, each ending in '\n', in binary mode (the same bytes on every platform).
/// Creates the directory if needed; throws IoError if the file cannot be written.
void write_lines(const std::string& path, const std::vector<std::string>& lines);

/// A text histogram: one row per bucket, a bar of '#' scaled to `width`.
void print_histogram(std::ostream& out, const std::map<std::string, std::size_t>& counts,
                     std::size_t width = 40);

/// How many lines have how many words, in buckets `width` words wide ("000-019" -> count),
/// ready for print_histogram.
std::map<std::string, std::size_t> length_histogram(const std::vector<std::string>& lines, std::size_t width);

/// Number of distinct space-separated words over all lines.
std::size_t vocabulary_size(const std::vector<std::string>& lines);

/// Total number of space-separated words over all lines.
std::size_t word_count(const std::vector<std::string>& lines);

/// How well the general corpus prepares for the reviews: the share of review tokens (the text of
/// reviews_unlabelled/train.txt and reviews_labelled/{train,valid,test}.tsv) whose word occurs in
/// general/train.txt, and the review words that never do, most frequent first. `text_dir` is the
/// folder holding general/ and the two review folders; prints nothing unless all five files are there.
void print_review_coverage(const std::string& text_dir, std::ostream& log);

// The generators; each writes its files under `dir` and prints the statistics for its README.
// Each set's seed is the command's --seed (default_seed) plus its offset: translation 0, text 1,
// reviews 2, images 3.
constexpr std::uint64_t default_seed = 2024, images_seed_offset = 3;
void make_translation(const std::string& dir, std::uint64_t seed, std::ostream& log);
void make_general_text(const std::string& dir, std::uint64_t seed, std::ostream& log);
void make_reviews(const std::string& dir, std::uint64_t seed, std::ostream& log);
/// Lesson 07's images (not shipped: the build draws them): `dir`/source/, `dir`/target/ and the
/// two previews `dir`/preview_{source,target}.svg (datasets/images/README.md).
void make_images(const std::string& dir, std::uint64_t seed, std::ostream& log);

}  // namespace dikkat::gen
