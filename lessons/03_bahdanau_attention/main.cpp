// Lesson 3 — Bahdanau attention: the decoder looks back at every word
// The encoder-decoder of lesson 2 squeezes a whole sentence into one vector, and long sentences
// do not fit. Here the decoder looks back at every encoder state at every step, weighted by
// learned relevance. The claims, measured: BLEU stays high on long sentences, and the weights
// line up with the words — la zone économique européenne ↔ the european economic area.
// Run: ./build/lessons/03_bahdanau_attention        Chapter: lessons/03_bahdanau_attention/README.md

#include <cstdio>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/batch.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/eval/diff.hpp>
#include <dikkat/io.hpp>
#include <dikkat/seq2seq/attention_export.hpp>
#include <dikkat/seq2seq/commands.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/train.hpp>
#include <dikkat/viz/heatmap.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/terminal.hpp>

#include "alignment.hpp"
#include "exercises/exercises.hpp"

using namespace dikkat;
using namespace lesson3;

// B batch, S source length, T target length, E embedding, H encoder state, D decoder state,
// A attention
namespace {

const std::string lesson = "03_bahdanau_attention";
constexpr int quick_steps = 300;                   // --quick: training steps,
constexpr std::size_t quick_test_per_bucket = 50;  //   test sentences per length bucket,
constexpr std::size_t quick_embed = 32, quick_hidden = 64, quick_decoder = 128,
                      quick_attention = 64;  // sizes
constexpr std::size_t examples_shown = 3;    // long test sentences printed with their errors
constexpr std::size_t example_min_length = 31;
constexpr std::size_t missed_words_shown = 8;
constexpr std::size_t first_errors_shown = 8;
// The heatmaps: test sentences (of at most 14 words) whose French word order differs from the English.
struct HeatmapPick {
    std::string contains, title;
};
const std::vector<HeatmapPick> heatmap_picks = {
    {"european economic area", "the european economic area -> la zone économique européenne"},
    {"'s", "a possessive, X 's Y -> Y de X"},
    {"does not", "a negation, does not V -> ne V pas"}};
constexpr std::size_t heatmap_max_words = 14;

std::unique_ptr<seq2seq::RnnTranslator> build_model(const seq2seq::RnnConfig& config, Rng& rng, bool mine);

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 1300;
    opt.lr = 3e-3f;
    opt.threads = 2;       // as lesson 2
    opt.resumable = true;  // Ctrl-C saves the training; --resume continues it
    seq2seq::RnnConfig config;
    config.attention = "additive";
    std::size_t batch = 32;
    bool use_my_code = false;
    std::string compare = "runs/02_encoder_decoder/summary.json";
    seq2seq::Commands commands;
    cli::Parser cli(lesson, "An encoder-decoder with Bahdanau attention: the decoder looks at every word",
                    opt);
    cli.add_option("--batch", batch, "sentence pairs per step");
    cli.add_option("--embed", config.embed, "size of a word's embedding (both languages)");
    cli.add_option("--hidden", config.encoder_hidden, "encoder state, each direction");
    cli.add_option("--decoder", config.decoder_hidden, "decoder state");
    cli.add_option("--attention-size", config.attention_size, "size of the additive score's hidden layer");
    cli.add_choice("--attention", config.attention, {"additive", "dot", "none"},
                   "how the decoder scores the source words (none: lesson 2's model)");
    cli.add_option("--compare", compare, "lesson 2's summary.json, to draw both lessons' BLEU on one chart");
    cli.add_flag("--use-my-code", use_my_code, "score with your exercises/my_additive_scores.cpp");
    commands.add_flags(cli);
    if (auto code = cli.parse(argc, argv)) return *code;
    if (use_my_code && config.attention != "additive")
        throw ValueError("--use-my-code replaces the additive score: use it with --attention additive");
    if (commands.use_checkpoint(cli)) {  // --translate / --eval: answer with the trained model
        seq2seq::run_commands(commands, lesson, opt.out, [&](const nlohmann::json& c) {
            Rng rng(opt.seed);
            return std::unique_ptr<seq2seq::Translator>(
                build_model(seq2seq::RnnConfig::from_json(c), rng, use_my_code));
        });
        return 0;
    }
    io::RunFolder run(opt.out);  // training writes here: checked now that it can
    if (opt.quick) {             // a small model, briefly trained, on a small test set: seconds, not minutes
        opt.steps = std::min(opt.steps, quick_steps);
        config.embed = quick_embed;
        config.encoder_hidden = quick_hidden;
        config.decoder_hidden = quick_decoder;
        config.attention_size = quick_attention;
    }
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------
    // The same pairs, vocabularies and batches as lesson 2.
    std::vector<data::TranslationPair> train =
        data::read_translation(data::find_dataset("translation/train.tsv"));
    const std::vector<data::TranslationPair> all_test =
        data::read_translation(data::find_dataset("translation/test.tsv"));
    std::vector<data::TranslationPair> test = all_test;  // what is scored; --quick takes a few per bucket
    if (opt.quick) test = seq2seq::first_per_bucket(test, quick_test_per_bucket);
    const data::ParallelCorpus corpus = data::ParallelCorpus::build(train);
    std::printf("\n1. Data: %zu training pairs, %zu test pairs; %zu English and %zu French words\n",
                train.size(), test.size(), corpus.source_vocab.size(), corpus.target_vocab.size());

    // ---- 2. Model ---------------------------------------------------------------------------
    // Lesson 2's model, and one change: at every step the decoder's context is a weighted
    // average of all encoder states, the weights from an additive score of each against the
    // decoder's state. Same sizes, same training budget: the comparison is about attention.
    config.source_vocab = corpus.source_vocab.size();
    config.target_vocab = corpus.target_vocab.size();
    Rng rng(opt.seed);
    std::unique_ptr<seq2seq::RnnTranslator> model = build_model(config, rng, use_my_code);
    std::printf("\n2. Model: %s, %zu parameters\n\n%s", model->describe().c_str(), model->num_parameters(),
                model->summary().c_str());

    // ---- 3. Train ---------------------------------------------------------------------------
    // Exactly lesson 2's training: the same function (seq2seq::train), the same budget.
    std::printf("\n3. Training for %d steps of %zu sentence pairs\n", opt.steps, batch);
    seq2seq::TrainOptions training;
    training.steps = opt.steps;
    training.batch = batch;
    training.lr = opt.lr;
    training.seed = opt.seed;
    training.resume = &resume;
    seq2seq::BleuCurve curve;  // validation BLEU as it trains: lesson 4 draws it beside the transformer's
    const std::vector<data::TranslationPair> valid = seq2seq::validation_sample();
    seq2seq::track_bleu(training, *model, corpus, valid, curve);
    io::MetricsWriter metrics(run.file("metrics.csv", "training loss and gradient norm per step"),
                              {"loss", "grad_norm"});
    const seq2seq::TrainLog log = seq2seq::train(*model, corpus, training, metrics);
    resume.training_done();

    // ---- 4. What did it learn? --------------------------------------------------------------
    // BLEU by source length, as in lesson 2; then where the attention looks, against the
    // corpus's gold word alignments (teacher-forced, so the words line up one to one).
    model->eval();
    const seq2seq::Evaluation result = seq2seq::evaluate(*model, corpus, test, commands.beam);
    std::printf("\n4. Test set, by source length (BLEU-4, exact match, word accuracy)\n\n%s",
                result.scores.table().c_str());
    std::printf("\n  Long sentences (%s):\n\n%s", eval::diff_legend(eval::diff_style_for_stdout()).c_str(),
                seq2seq::long_examples(test, result, examples_shown, example_min_length).c_str());
    const auto long_errors = seq2seq::first_errors(test, result, example_min_length, first_errors_shown);
    std::printf("  Where long sentences first go wrong (reference -> model, sentences):");
    for (const auto& [change, n] : long_errors) std::printf("  %s %zu", change.c_str(), n);
    std::printf("\n\n");
    const eval::AlignmentScores alignment = alignment_accuracy(*model, corpus, test);
    if (model->attention) {
        std::printf(
            "  Attention's arg-max on a gold-aligned English word: %.3f of %zu French words (%.3f within "
            "one position)\n  Baselines: a random English word %.3f, the English word at the same relative "
            "position %.3f\n",
            alignment.accuracy(), alignment.words(), alignment.accuracy_within_one(), alignment.chance(),
            alignment.diagonal());
        for (const auto& [bucket, acc] : alignment.by_bucket())
            std::printf("    %-6s %.3f\n", bucket.c_str(), acc);
        std::printf("  The French words it misses most (misses of all):");
        for (const auto& m : alignment.most_missed(missed_words_shown))
            std::printf("  %s %zu/%zu", m.word.c_str(), m.misses, m.count);
        std::printf("\n");
    }

    // ---- 5. Figures and files ---------------------------------------------------------------
    // The model and the numbers first (nothing below can lose them), then BLEU by length beside
    // lesson 2's, the attention heatmaps and the loss.
    seq2seq::save_translator(
        run.file("translator.safetensors", "the trained model, its configuration and vocabularies"), *model,
        config, corpus, lesson);
    io::JsonObject summary(result.scores);  // BLEU, exact match and word accuracy, by length
    if (model->attention) {
        summary.merge(alignment);
        std::vector<io::JsonObject> missed;
        for (const auto& m : alignment.most_missed(missed_words_shown))
            missed.push_back(
                io::JsonObject().set("word", m.word).set("misses", m.misses).set("count", m.count));
        summary.set("alignment_most_missed", missed);
    }
    std::vector<io::JsonObject> errors;
    for (const auto& [change, n] : long_errors)
        errors.push_back(io::JsonObject().set("first_error", change).set("sentences", n));
    summary.set("long_sentences_first_errors", errors)
        .set("bleu_vs_seconds", curve)
        .set("train_seconds", log.seconds)
        .set("steps", opt.steps)
        .set("parameters", model->num_parameters())
        .set("config", config)
        .set("seed", opt.seed);
    io::write_summary_json(run.file("summary.json", "the numbers above"), summary);
    std::vector<std::pair<std::string, io::JsonObject>> curves{
        {"with attention (lesson 3)", summary.at("bleu_by_length")}};
    if (const std::optional<io::JsonObject> other = lesson_2_summary(compare, summary))
        curves.push_back({"one context vector (lesson 2)", other->at("bleu_by_length")});
    seq2seq::plot_bleu_by_length(curves, "BLEU by sentence length",
                                 run.file("bleu_by_length.svg", "BLEU by source length, beside lesson 2's"));
    for (std::size_t k = 0; k < heatmap_picks.size() && model->attention; ++k) {
        const data::TranslationPair* pair =
            seq2seq::find_pair(all_test, heatmap_picks[k].contains, heatmap_max_words);
        if (!pair) continue;
        const Array weights = teacher_forced_attention(*model, corpus, *pair);  // (French + 1, English + 1)
        std::vector<std::string> english = pair->source, french = pair->target;
        english.push_back("<eos>");
        french.push_back("<eos>");
        if (k == 0)
            std::printf("\n  Attention for \"%s\" (rows: French, columns: English):\n\n%s",
                        data::join_words(pair->source).c_str(),
                        viz::terminal_heatmap(weights, french, english, 0.0f, 1.0f).c_str());
        viz::Heatmap(weights)
            .title("Attention: " + heatmap_picks[k].title)
            .row_labels(french)
            .col_labels(english)
            .colormap(viz::Colormap::blues)
            .range(0.0f, 1.0f)
            .y_label("French (written)")
            .x_label("English (read)")
            .write_svg(run.file("attention_" + std::to_string(k + 1) + ".svg",
                                "attention weights: " + heatmap_picks[k].title));
    }
    if (model->attention)  // the docs' attention explorer: a few dozen test sentences and their gold links
        seq2seq::write_attention_json(
            run.file("attention.json", "attention on the explorer's test sentences"),
            seq2seq::attention_json(*model, corpus, seq2seq::explorer_sentences(all_test), lesson));
    seq2seq::plot_training_loss(log.losses,
                                "Training loss (" +
                                    (config.attention == "none" ? std::string("no") : config.attention) +
                                    " attention)",
                                run.file("loss.svg", "the training loss"));
    resume.complete();
    std::printf("\n%s", run.written().c_str());
    return 0;
} catch (const io::Interrupted& stopped) {  // Ctrl-C: the run is saved; the message says how to go on
    std::fprintf(stderr, "\n%s\n", stopped.what());
    return io::Interrupted::exit_code;
} catch (const std::exception& e) {  // dikkat::Error says what is wrong and where
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}

namespace {

// The model, with the learner's additive score when --use-my-code says so.
std::unique_ptr<seq2seq::RnnTranslator> build_model(const seq2seq::RnnConfig& config, Rng& rng, bool mine) {
    seq2seq::RnnParts parts;
    if (mine)
        parts.attention = [](std::size_t Dq, std::size_t Dk, std::size_t A, Rng& r) {
            return std::make_shared<exercises::MyAdditiveAttention>(Dq, Dk, A, r);
        };
    return std::make_unique<seq2seq::RnnTranslator>(config, rng, parts);
}

}  // namespace
