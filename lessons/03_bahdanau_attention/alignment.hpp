// Lesson 3's measurements of attention: against the corpus's gold word alignments, one
// sentence's weights for a heatmap, and lesson 2's results for the comparison chart.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <dikkat/data/parallel.hpp>
#include <dikkat/eval/alignment.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace lesson3 {

/// Teacher-forced attention against the gold links of `pairs`, 100 sentences at a time (empty
/// scores for a model without attention).
dikkat::eval::AlignmentScores alignment_accuracy(const dikkat::seq2seq::Translator& model,
                                                 const dikkat::data::ParallelCorpus& corpus,
                                                 const std::vector<dikkat::data::TranslationPair>& pairs);

/// One pair's teacher-forced attention: (French words + `<eos>`, English words + `<eos>`).
dikkat::Array teacher_forced_attention(const dikkat::seq2seq::Translator& model,
                                       const dikkat::data::ParallelCorpus& corpus,
                                       const dikkat::data::TranslationPair& pair);

/// Lesson 2's summary.json at `path`, for the comparison chart — or nothing, with a line saying
/// why. A run with other settings than `ours` (this run's summary) is returned with a printed
/// warning: the comparison is fair only when the budget and sizes are the same.
std::optional<dikkat::io::JsonObject> lesson_2_summary(const std::string& path,
                                                       const dikkat::io::JsonObject& ours);

}  // namespace lesson3
