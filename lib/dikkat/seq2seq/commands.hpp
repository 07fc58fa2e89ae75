// The flags every translation lesson shares, and what they do with a trained model:
//
//     --translate "the european economic area is big ."    translate one sentence
//     --eval my_sentences.tsv                              score the model on a file of pairs
//     --checkpoint PATH                                    which model (default: the run folder's,
//                                                          where training writes it)
//     --beam K                                             beam search with K hypotheses
//
// With --translate or --eval the lesson trains nothing: it loads the checkpoint its default run
// wrote (the checkpoint carries the model's configuration and both vocabularies) and answers.
// For a model with attention, --translate also writes its attention, every layer and head, to
// `<out>`/attention_translate.json (seq2seq/attention_export.hpp), which the docs' attention
// explorer opens; a run folder that refuses the file costs a line, not the translation.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/cli/cli.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace dikkat::seq2seq {

struct Commands {
    std::string translate;   ///< --translate: a sentence
    std::string eval_file;   ///< --eval: a TSV file `english<TAB>french[<TAB>alignment]`
    std::string checkpoint;  ///< --checkpoint: "" means `<out>`/translator.safetensors
    std::size_t beam = 1;    ///< --beam: 1 is greedy decoding

    /// Adds the four flags to a lesson's parser.
    void add_flags(cli::Parser& cli);
    /// True when the lesson should answer from a checkpoint instead of training: --translate or
    /// --eval was given (an empty value too: run_commands() then says what is missing).
    bool use_checkpoint(const cli::Parser& cli) const {
        return cli.given("--translate") || cli.given("--eval");
    }
    /// The checkpoint to read: --checkpoint, or `out_dir`/translator.safetensors (what training wrote).
    std::string checkpoint_path(const std::string& out_dir) const;
};

/// Builds an untrained model from the configuration in a checkpoint (the lesson's own class).
using BuildModel = std::function<std::unique_ptr<Translator>(const nlohmann::json& config)>;

/// Loads the checkpoint (written by `lesson`), then: --translate prints the translation (and,
/// for a model with attention, its attention as a terminal heatmap); --eval translates every
/// pair of the file (normalised as --translate's sentence is), prints the table by length and
/// writes eval.json into `out_dir`. Errors — a missing checkpoint, an empty sentence or file, a
/// line without words, a sentence longer than max_sentence_words (evaluate.hpp), an unknown word
/// in --translate, a beam of 0 — are thrown as dikkat::Error before any work.
void run_commands(const Commands& commands, const std::string& lesson, const std::string& out_dir,
                  const BuildModel& build);

}  // namespace dikkat::seq2seq
