// Readers for the data in datasets/ (see datasets/README.md). Each checks what it reads and
// names file:line when something is wrong, so a hand-edited file fails loudly, not silently.
//
//   auto pairs = read_translation(find_dataset("translation/train.tsv"));
//   pairs[0].source  {"the", "cat", "sleeps", "."}
//   pairs[0].target  {"le", "chat", "dort", "."}
//   pairs[0].alignment  {{0, 0}, {1, 1}, {2, 2}, {3, 3}}      (source word, target word)
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace dikkat::data {

/// Where a dataset file or folder is: `relative` under $DIKKAT_DATASETS if that is set and holds
/// it, else under datasets/ in the current folder or up to three folders above it, else under the
/// datasets/ folder of the source tree the library was built from — so a lesson finds its data
/// from any working directory — else under the datasets/ folder of the build tree, where the build
/// draws the sets that are not shipped (images/, datasets/images/README.md). Throws IoError listing
/// every place it looked.
std::string find_dataset(const std::string& relative);

/// Words joined by single spaces: the inverse of split_words().
std::string join_words(const std::vector<std::string>& words);

/// Splits a line on single spaces (the datasets separate every word and punctuation mark by
/// one space).
std::vector<std::string> split_words(const std::string& line);

// ---- translation/ ----------------------------------------------------------------------

/// One English→French pair with its word alignment (Pharaoh "i-j": source word i is
/// translated by target word j; a word may have several links).
struct TranslationPair {
    std::vector<std::string> source;
    std::vector<std::string> target;
    std::vector<std::pair<std::size_t, std::size_t>> alignment;
};

/// Whether read_translation() insists on the third, alignment, column.
enum class AlignmentColumn {
    required,  ///< every line has 3 fields (the shipped data: its checks stay strict)
    optional,  ///< a line has 2 or 3 fields (a learner's own file for `--eval FILE.tsv`)
};

/// Reads english<TAB>french<TAB>alignment lines. Checks that each link is "i-j" with i and j
/// inside their sentences and that every French word has at least one link. With
/// AlignmentColumn::optional a line may stop after the French sentence; its `alignment` is
/// then empty, and a line that has the third column is checked as strictly as ever. Throws
/// IoError naming `path:line` at the first line that is wrong.
std::vector<TranslationPair> read_translation(const std::string& path,
                                              AlignmentColumn alignment = AlignmentColumn::required);

/// Parses "0-0 1-2 2-1". Throws ValueError for a malformed link (the caller adds path:line).
std::vector<std::pair<std::size_t, std::size_t>> parse_alignment(const std::string& text);

// ---- text/ -----------------------------------------------------------------------------

/// A text corpus (general/*.txt, reviews_unlabelled/*.txt): one paragraph or review per line.
/// Throws IoError at an empty line.
std::vector<std::string> read_corpus(const std::string& path);

/// A labelled review: label 1 = positive, 0 = negative.
struct LabelledReview {
    int label = 0;
    std::string text;
};

/// Reads label<TAB>review lines, label "positive" or "negative".
std::vector<LabelledReview> read_labelled_reviews(const std::string& path);

/// An opinion word of the reviews: its polarity, and whether the labelled training pool uses it
/// often (core) or the unlabelled text only (wide).
struct OpinionWord {
    std::string word;
    int polarity = 0;  ///< +1 positive, -1 negative
    bool core = false;
};

/// Reads reviews_labelled/opinion_words.tsv. Throws IoError naming path:line for a line that is not
/// `word<TAB>positive|negative<TAB>core|wide`, an empty word, or a word listed twice.
std::vector<OpinionWord> read_opinion_words(const std::string& path);

}  // namespace dikkat::data
