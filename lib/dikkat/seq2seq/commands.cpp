#include <dikkat/seq2seq/commands.hpp>

#include <cstdio>

#include <dikkat/data/datasets.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/viz/terminal.hpp>

namespace dikkat::seq2seq {

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
    const std::string path = commands.checkpoint_path(out_dir);
    const TranslatorCheckpoint saved = read_translator(path, lesson);
    std::unique_ptr<Translator> model = build(saved.config);
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
        }
    }
    if (!commands.eval_file.empty()) {
        const auto pairs = data::read_translation(commands.eval_file, data::AlignmentColumn::optional);
        const Evaluation e = evaluate(*model, saved.vocabs, pairs, commands.beam);
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
