// A learner's own sentence, read the way the corpus is written. The translation data is
// lowercase, with every word and punctuation mark separated by one space; a sentence typed
// by hand is not. So before a model sees it:
//
//   normalize_sentence("The European economic area is big.")  "the european economic area is big ."
//   normalize_sentence("Marie's dog sleeps!")                  "marie 's dog sleeps !"
//   normalize_sentence("L'homme mange, puis il dort.")         "l' homme mange , puis il dort ."
//
// and a word the model never saw is named, with the known words nearest to it:
//
//   check_known_words(split_words("the italain boy is tird ."), english, "English")
//   ValueError: "the italain boy is tird .": unknown word "italain" (did you mean: italian,
//               italy?); unknown word "tird" (did you mean: tired, bird, girl?); the model
//               knows 445 English words
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>

namespace dikkat::data {

/// Brings a sentence to the corpus's form, for English and French alike:
///  - lowercase: ASCII letters, and the accented capitals of French (À…Þ, Œ) — other bytes
///    stay as they are, so UTF-8 letters (é, ç, ß) survive;
///  - the punctuation marks `. , ? ! ; :` stand apart, a space on each side;
///  - `'s` is split off as in the corpus (`marie's` → `marie 's`), and a French elided
///    article or pronoun keeps its apostrophe and is split from the next word
///    (`l'homme` → `l' homme`, `qu'il` → `qu' il`; also d' n' j' m' t' s' c' and jusqu'
///    lorsqu' puisqu' quoiqu'); any other apostrophe is left alone;
///  - the typographic apostrophes ’ and ʼ become `'`; tabs, line breaks and non-breaking
///    spaces become spaces; runs of spaces collapse to one, and the ends are trimmed.
std::string normalize_sentence(const std::string& text);

/// Levenshtein distance: the fewest insertions, deletions and substitutions of one
/// character that turn `a` into `b`. Counted in UTF-8 characters, so `é` for `e` is one edit.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The `k` tokens of `vocab` nearest to `word` by edit_distance(), nearest first; never a
/// special token. Ties go to the lower id: in a vocabulary built by Vocab::from_counts that
/// is the more frequent token, and among equally frequent ones the alphabetically first.
/// Tokens further than `max_distance` edits are left out, so fewer than k may come back.
std::vector<std::string> closest_words(const std::string& word, const Vocab& vocab, std::size_t k = 3,
                                       std::size_t max_distance = std::numeric_limits<std::size_t>::max());

/// Checks a tokenized sentence against a vocabulary. If any word is unknown, throws one
/// ValueError that names the sentence, every unknown word (once each, in order; past the tenth
/// only how many more there are) with up to three known words within max(2, length / 2) edits of
/// it, and how many words the model knows:
///
///     "the europian docter sees the xyz .": unknown word "europian" (did you mean:
///     european?); unknown word "docter" (did you mean: doctor, doctors, does?); unknown
///     word "xyz" (no known word is close); the model knows 445 English words (see
///     runs/02_encoder_decoder/source_vocab.txt)
///
/// `language` names the side ("English", "French"; may be empty); `listing`, if not empty, says where
/// the known words can be read and is added in parentheses.
void check_known_words(const std::vector<std::string>& words, const Vocab& vocab, const std::string& language,
                       const std::string& listing = "");

}  // namespace dikkat::data
