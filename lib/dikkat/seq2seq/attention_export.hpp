// Where a translator looks, written down for the attention explorer (docs/explorer.md, a page of
// the course's site): for a few dozen test sentences, every layer's and head's attention over the
// English words beside the corpus's gold alignment — and the same for a learner's --translate.
//
//     {"lesson": "03_bahdanau_attention", "model": "RnnTranslator(...)", "layers": 1, "heads": 1,
//      "sentences": [
//        {"bucket": "3-10",
//         "english": ["the", "european", "economic", "area", ..., "<eos>"],
//         "french":  ["la", "zone", "économique", "européenne", ..., "<eos>"],
//         "gold": [[0, 0], [3, 1], [2, 2], [1, 3], ...],   (English word i, French word j)
//         "attention": [[[[0, 1, 2, 96, ...], ...]]]}       [layer][head][French j][English i], %
//      ]}
//
// Row j is what the model read while writing French word j, teacher-forced on the reference (for
// --translate, on the model's own translation, which gives the weights its decoding used). The
// weights are whole percentages: enough for a picture, and lesson 4's file (2 layers × 4 heads)
// stays near 300 KB.
#pragma once

#include <string>
#include <vector>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

/// The explorer's sentences from a test set, the same for every lesson: the longest pair of at
/// most 14 English words holding each phrase lesson 3's figures show, where French changes the
/// English word order ("european economic area", "'s", "does not"), then the first `per_bucket`
/// pairs of every length bucket, shortest bucket first; each pair once.
std::vector<data::TranslationPair> explorer_sentences(const std::vector<data::TranslationPair>& test,
                                                      std::size_t per_bucket = 6);

/// `pairs` through `model` (teacher-forced, without gradients), in the format above. Empty
/// "sentences" for a model without attention. A pair's alignment may be empty (no gold).
io::JsonObject attention_json(const Translator& model, const data::ParallelCorpus& vocabs,
                              const std::vector<data::TranslationPair>& pairs, const std::string& lesson);

/// Writes it compactly (atomically, as every file of a run). Throws IoError naming the path.
void write_attention_json(const std::string& path, const io::JsonObject& attention);

}  // namespace dikkat::seq2seq
