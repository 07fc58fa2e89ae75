// Lesson 5's text: the corpora it trains on, the examples it shows, and --prompt / --fill.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/data/vocab.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/lm/generate.hpp>
#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/random.hpp>

namespace lesson5 {

using dikkat::Index;

/// A corpus as two streams of ids: paragraphs, each ended by `<eos>`.
struct Corpus {
    dikkat::data::Vocab vocab;
    std::vector<Index> train, valid;
    std::string source;  ///< what it was read from
};

/// datasets/text/general for training and validation, the vocabulary from it and the unlabelled
/// reviews together (design §4: one vocabulary for lessons 5 and 6). `quick` shortens valid.
Corpus shipped_corpus(bool quick);
/// A learner's own text (`--text`): normalised as the corpus is written, a blank line between
/// paragraphs, the last tenth for validation, the vocabulary every word seen twice in the rest
/// (at most 8,000). Throws IoError when the file cannot be read, ValueError when it is too short.
Corpus learner_corpus(const std::string& path);

/// A prompt or a sentence with gaps, as ids. Every word must be known (a ValueError lists the
/// nearest known ones); "<mask>" is a gap when `allow_mask`.
std::vector<Index> encode_text(const std::string& text, const dikkat::data::Vocab& vocab, bool allow_mask);
/// Three examples from the validation text: the first words of paragraphs (prompts), or their
/// first sentence with its middle word hidden (`gap`).
std::vector<std::string> examples_from(const std::vector<Index>& valid, const dikkat::data::Vocab& vocab,
                                       bool gap);
/// The ids as words, special tokens shown.
std::string words_of(const std::vector<Index>& ids, const dikkat::data::Vocab& vocab);
/// Each gap's candidates as [{"word", "p"}, ...].
nlohmann::json fill_json(const std::vector<std::vector<dikkat::lm::Candidate>>& gaps,
                         const dikkat::data::Vocab& vocab);
/// One line per gap: `who`, then each candidate and its probability.
void print_fill(const std::string& who, const std::vector<std::vector<dikkat::lm::Candidate>>& gaps,
                const dikkat::data::Vocab& vocab);
/// The examples of section 5: each model (null: skipped) continues every prompt, `words` words
/// sampled with `s` from `rng`, then fills in every gap of `fills` (top 5); printed, and added to
/// `summary` under "examples" ("generations", "fill_ins").
void show_examples(const dikkat::lm::TransformerLM* gpt, const dikkat::lm::TransformerLM* bert,
                   const std::vector<std::string>& prompts, const std::vector<std::string>& fills,
                   const dikkat::data::Vocab& vocab, const dikkat::lm::Sampling& s, std::size_t words,
                   dikkat::Rng& rng, dikkat::io::JsonObject& summary);
/// --prompt / --fill: answers with the models a run of `lesson` saved in `dir`, training nothing.
int answer(const std::string& lesson, const std::string& dir, const std::string& prompt,
           const std::string& fill, const dikkat::lm::Sampling& s, std::size_t words, std::uint64_t seed);

}  // namespace lesson5
