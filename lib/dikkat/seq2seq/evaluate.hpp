// What the translation lessons do with a trained model besides training it: translate a test
// set and score it by sentence length, translate a learner's own sentence, and save or read a
// checkpoint that carries everything --translate and --eval need (the model's configuration
// and both vocabularies, in the safetensors metadata).
#pragma once

#include <string>
#include <vector>

#include <dikkat/data/parallel.hpp>
#include <dikkat/eval/translation_scores.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

/// A test set, translated and scored.
struct Evaluation {
    eval::TranslationScores scores;                    ///< by source length (words, full stop included)
    std::vector<std::vector<std::string>> hypotheses;  ///< one per pair, in the pairs' order
};

/// Translates every pair's source with `model` — greedy decoding in batches of `batch`
/// sentences of similar length when beam = 1, beam search sentence by sentence otherwise —
/// and scores the translations against the pairs' targets. `vocabs` supplies both
/// vocabularies (its pairs are not used).
Evaluation evaluate(const Translator& model, const data::ParallelCorpus& vocabs,
                    const std::vector<data::TranslationPair>& pairs, std::size_t beam = 1,
                    std::size_t batch = 100);

/// The first `n` pairs of every source-length bucket, in their order: a small test set that
/// still has every length (what --quick scores).
std::vector<data::TranslationPair> first_per_bucket(const std::vector<data::TranslationPair>& pairs,
                                                    std::size_t n);

/// The validation pairs a lesson scores while it trains (seq2seq::track_bleu): the first
/// `per_bucket` of every length bucket of datasets/translation/valid.tsv, so that the curve
/// weighs short and long sentences alike and costs seconds, not minutes.
std::vector<data::TranslationPair> validation_sample(std::size_t per_bucket = 50);

/// The longest pair of at most `max_words` English words whose source contains `text` (words
/// separated by spaces, matched whole at both ends), or null: a test sentence for a figure.
const data::TranslationPair* find_pair(const std::vector<data::TranslationPair>& pairs,
                                       const std::string& text, std::size_t max_words);

/// A few of the longest sentences of `pairs` (at least `min_source_length` words), each as
/// three lines — source, reference, the model's translation with wrong words marked
/// (eval::mark_differences) — for the terminal. Picks `count` sentences spread over the set.
std::string long_examples(const std::vector<data::TranslationPair>& pairs, const Evaluation& evaluation,
                          std::size_t count, std::size_t min_source_length);

/// BLEU against source length, one line per model — (label, its `bleu_by_length` object as
/// summary.json holds it) — one point per standard bucket at the bucket's middle length, the
/// y axis from 0 to 1. Writes the SVG to `path`.
void plot_bleu_by_length(const std::vector<std::pair<std::string, io::JsonObject>>& models,
                         const std::string& title, const std::string& path);

/// The training loss against the step, as the mean of the last 50 steps (batches of short and
/// long sentences differ too much for the raw curve to be read), on a log scale.
void plot_training_loss(const std::vector<double>& losses, const std::string& title, const std::string& path);

/// Where translations of at least `min_source_length` words first go wrong: for each such
/// sentence that is not exactly right, its first wrong word as "reference -> model" (or
/// "reference -> (end)" when the translation stops early), counted; the `k` most frequent.
std::vector<std::pair<std::string, std::size_t>> first_errors(const std::vector<data::TranslationPair>& pairs,
                                                              const Evaluation& evaluation,
                                                              std::size_t min_source_length, std::size_t k);

/// A learner's sentence, translated.
struct SentenceTranslation {
    std::vector<std::string> source;  ///< the sentence as the model read it (normalised, + `<eos>`)
    std::vector<std::string> target;  ///< the translation (+ `<eos>`, or "(cut off)" at max_target_length)
    Array attention;                  ///< (target words, source words), empty without attention
};

/// The most words a learner's sentence may have (--translate, and each sentence of --eval's file):
/// decoding costs grow with the square of the length — each of up to 2·S + 10 steps reads all S
/// source words — so a pasted page would take minutes; the corpus's sentences have about 40.
constexpr std::size_t max_sentence_words = 256;

/// Normalises `text` (data::normalize_sentence), checks it has 1 to max_sentence_words words, all
/// known (a ValueError names each unknown word and the nearest known ones), and translates it with
/// beam search.
SentenceTranslation translate(const Translator& model, const data::ParallelCorpus& vocabs,
                              const std::string& text, std::size_t beam = 1);

/// Writes the model's parameters to `path` with metadata: the lesson, `config` (the model's
/// configuration as JSON) and both vocabularies — all --translate and --eval need.
void save_translator(const std::string& path, const Translator& model, const io::JsonObject& config,
                     const data::ParallelCorpus& vocabs, const std::string& lesson);

/// What a translator's checkpoint says about itself (read before the model is built).
struct TranslatorCheckpoint {
    std::string lesson;
    io::JsonObject config;
    data::ParallelCorpus vocabs;  ///< the vocabularies only (no pairs)
};

/// Reads the metadata save_translator() wrote. Throws IoError naming the file if it is missing,
/// is not a translator's checkpoint, or was written by another lesson than `lesson` (when given).
TranslatorCheckpoint read_translator(const std::string& path, const std::string& lesson = "");

}  // namespace dikkat::seq2seq
