#include <dikkat/seq2seq/commands.hpp>

#include <cstdio>

#include <nlohmann/json.hpp>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/seq2seq/attention_export.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/viz/terminal.hpp>

namespace dikkat::seq2seq {

namespace {
// A learner's file of pairs: two or three columns, each sentence brought to the corpus's form
// (as --translate does), no empty file, no sentence without words.
std::vector<data::TranslationPair> learners_pairs(const std::string& path) {
    std::vector<data::TranslationPair> pairs = data::read_translation(path, data::AlignmentColumn::optional);
    if (pairs.empty()) throw IoError(path + ": no sentence pairs (one english<TAB>french pair per line)");
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        for (auto* side : {&pairs[i].source, &pairs[i].target}) {
            const std::vector<std::string> normalised =
                data::split_words(data::normalize_sentence(data::join_words(*side)));
            if (normalised.size() != side->size() && !pairs[i].alignment.empty())
                throw IoError(
                    path + ":" + std::to_string(i + 1) +
                    ": the sentence changes when normalised, so its alignment no longer fits; write it "
                    "in the corpus's form (lowercase, punctuation apart) or leave out the alignment");
            *side = normalised;
        }
        if (pairs[i].source.size() > max_sentence_words)
            throw IoError(path + ":" + std::to_string(i + 1) + ": the English sentence has " +
                          std::to_string(pairs[i].source.size()) + " words; a translator takes at most " +
                          std::to_string(max_sentence_words) + " (the corpus's have about 40)");
    }
    return pairs;
}

// --translate's attention, every layer and head, beside the run's attention.json for the attention
// explorer. Only a reader of the trained model, --translate needs no writable run folder: if the
// folder refuses the file (or the model has no teacher-forced pass), a line says so and the
// translation stands.
void save_translation_attention(const Translator& model, const data::ParallelCorpus& vocabs,
                                const SentenceTranslation& t, const std::string& lesson,
                                const std::string& out_dir) {
    data::TranslationPair pair;  // the model's own translation, read back teacher-forced
    pair.source.assign(t.source.begin(), t.source.end() - 1);  // without <eos>
    pair.target.assign(t.target.begin(), t.target.end() - 1);  // without <eos> or "(cut off)"
    try {
        io::RunFolder run(out_dir);
        const std::string path = run.file("attention_translate.json",
                                          "this translation's attention (the docs' attention explorer)");
        write_attention_json(path, attention_json(model, vocabs, {pair}, lesson));
        std::printf("\n%s", run.written().c_str());
    } catch (const IoError& e) {
        std::printf("\n(the attention is not saved: %s)\n", e.what());
    } catch (const NotImplemented& e) {  // a model that decodes but has no teacher-forced pass
        std::printf("\n(the attention is not saved: %s)\n", e.what());
    }
}
}  // namespace

void Commands::add_flags(cli::Parser& cli) {
    cli.add_option("--translate", translate, "translate this sentence with the trained model (no training)");
    cli.add_option(
        "--eval", eval_file,
        "score the trained model on a TSV file of english<TAB>french pairs, write eval.json (no training)");
    cli.add_option("--checkpoint", checkpoint,
                   "the model --translate and --eval use (default: <out>/translator.safetensors)");
    cli.add_option("--beam", beam, "beam search with this many hypotheses (1: greedy decoding)");
}

std::string Commands::checkpoint_path(const std::string& out_dir) const {
    return checkpoint.empty() ? out_dir + "/translator.safetensors" : checkpoint;
}

void run_commands(const Commands& commands, const std::string& lesson, const std::string& out_dir,
                  const BuildModel& build) {
    if (commands.translate.empty() && commands.eval_file.empty())
        throw ValueError(
            "--translate or --eval needs a value: a sentence, or a file of english<TAB>french lines");
    if (commands.beam == 0) throw ValueError("--beam must be at least 1 (1 is greedy decoding)");
    std::vector<data::TranslationPair> pairs;  // read before the model: a bad file costs nothing
    if (!commands.eval_file.empty()) pairs = learners_pairs(commands.eval_file);
    const std::string path = commands.checkpoint_path(out_dir);
    const TranslatorCheckpoint saved = read_translator(path, lesson);
    std::unique_ptr<Translator> model = build(saved.config.json());
    io::load_checkpoint(path, *model);
    model->eval();
    std::printf("model: %s (%s)\n", path.c_str(), model->describe().c_str());

    if (!commands.translate.empty()) {
        const SentenceTranslation t = translate(*model, saved.vocabs, commands.translate, commands.beam);
        std::vector<std::string> target(t.target.begin(), t.target.end() - 1);  // without <eos>
        std::printf("\n  %s\n  %s\n", data::join_words(t.source).c_str(), data::join_words(target).c_str());
        if (t.attention.dimension() == 2) {
            std::printf("\nattention (a row per French word, a column per English word):\n\n%s",
                        viz::terminal_heatmap(t.attention, t.target, t.source, 0.0f, 1.0f).c_str());
            save_translation_attention(*model, saved.vocabs, t, lesson, out_dir);
        }
    }
    if (!commands.eval_file.empty()) {
        const Evaluation e = evaluate(*model, saved.vocabs, pairs, commands.beam);
        std::size_t unknown = 0, words = 0;
        for (const auto& p : pairs)
            for (const auto& w : p.source) {
                ++words;
                unknown += !saved.vocabs.source_vocab.contains(w);
            }
        if (unknown)
            std::printf(
                "\nnote: %zu of the %zu English words are unknown to the model; it reads them as <unk>\n",
                unknown, words);
        std::printf("\n%s: %zu sentences\n\n%s", commands.eval_file.c_str(), pairs.size(),
                    e.scores.table().c_str());
        io::RunFolder run(out_dir);
        nlohmann::json result = e.scores.to_json();
        result["file"] = commands.eval_file;
        result["checkpoint"] = path;
        result["beam"] = commands.beam;
        io::write_summary_json(run.file("eval.json", "the scores of " + commands.eval_file), result);
        std::printf("\n%s", run.written().c_str());
    }
}

}  // namespace dikkat::seq2seq
