// Lesson 2 — the encoder-decoder: a whole sentence in one vector
// An encoder reads the English sentence; a decoder writes the French one, word by word. All the
// decoder knows of the English is one vector of numbers: the encoder's summary. The claim,
// measured: short sentences fit through that vector, long ones do not — BLEU falls with length.
// Run: ./build/lessons/02_encoder_decoder        Chapter: lessons/02_encoder_decoder/README.md

#include <cstdio>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/batch.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/eval/diff.hpp>
#include <dikkat/io.hpp>
#include <dikkat/seq2seq/commands.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/train.hpp>
#include <dikkat/viz/plot.hpp>

#include "exercises/exercises.hpp"

using namespace dikkat;

// B batch, S source length, T target length, E embedding, H encoder state, D decoder state
namespace {

const std::string lesson = "02_encoder_decoder";
constexpr int quick_steps = 300;                   // --quick: training steps,
constexpr std::size_t quick_test_per_bucket = 50;  //   test sentences per length bucket,
constexpr std::size_t quick_embed = 32, quick_hidden = 64, quick_decoder = 128;  // and sizes
constexpr std::size_t examples_shown = 3;  // long test sentences printed with their errors
constexpr std::size_t example_min_length = 31;

std::unique_ptr<seq2seq::RnnTranslator> build_model(const seq2seq::RnnConfig& config, Rng& rng, bool mine);

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 1300;
    opt.lr = 3e-3f;
    opt.threads = 2;            // the budget is two cores: the same numbers as at 1 thread, sooner
    opt.resumable = true;       // Ctrl-C saves the training; --resume continues it
    seq2seq::RnnConfig config;  // attention "none": this lesson's model
    std::size_t batch = 32;
    bool use_my_code = false;
    seq2seq::Commands commands;
    cli::Parser cli(lesson, "An encoder-decoder translates English to French through one context vector",
                    opt);
    cli.add_option("--batch", batch, "sentence pairs per step");
    cli.add_option("--embed", config.embed, "size of a word's embedding (both languages)");
    cli.add_option("--hidden", config.encoder_hidden, "encoder state, each direction");
    cli.add_option("--decoder", config.decoder_hidden, "decoder state: the size of the context vector");
    cli.add_flag("--reverse-source", config.reverse_source,
                 "read the English backwards (Sutskever et al.'s trick)");
    cli.add_flag("--use-my-code", use_my_code, "build the context vector with your exercises/my_context.cpp");
    commands.add_flags(cli);
    if (auto code = cli.parse(argc, argv)) return *code;
    const auto build = [&](const nlohmann::json& c) -> std::unique_ptr<seq2seq::Translator> {
        Rng rng(opt.seed);
        return build_model(seq2seq::RnnConfig::from_json(c), rng, use_my_code);
    };
    if (commands.use_checkpoint(cli)) {  // --translate / --eval: answer with the trained model
        seq2seq::run_commands(commands, lesson, opt.out, build);
        return 0;
    }
    io::RunFolder run(opt.out);  // training writes here: checked now that it can
    if (opt.quick) {             // a small model, briefly trained, on a small test set: seconds, not minutes
        opt.steps = std::min(opt.steps, quick_steps);
        config.embed = quick_embed;
        config.encoder_hidden = quick_hidden;
        config.decoder_hidden = quick_decoder;
    }
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------
    // English→French pairs with word alignments (datasets/translation/). One vocabulary per
    // language, built from the training pairs. Batches hold sentences of about the same length,
    // so little of each step is spent on padding.
    std::vector<data::TranslationPair> train =
        data::read_translation(data::find_dataset("translation/train.tsv"));
    std::vector<data::TranslationPair> test =
        data::read_translation(data::find_dataset("translation/test.tsv"));
    if (opt.quick) test = seq2seq::first_per_bucket(test, quick_test_per_bucket);
    data::ParallelCorpus corpus = data::ParallelCorpus::build(train);
    std::printf("\n1. Data: %zu training pairs, %zu test pairs; %zu English and %zu French words\n",
                train.size(), test.size(), corpus.source_vocab.size(), corpus.target_vocab.size());

    // ---- 2. Model ---------------------------------------------------------------------------
    // A bidirectional GRU reads the English; the context vector — its two ends, projected — is
    // all the decoder gets: as its first state, and again at every step.
    config.source_vocab = corpus.source_vocab.size();
    config.target_vocab = corpus.target_vocab.size();
    config.attention = "none";
    Rng rng(opt.seed);
    std::unique_ptr<seq2seq::RnnTranslator> model = build_model(config, rng, use_my_code);
    std::printf("\n2. Model: %s, %zu parameters\n\n%s", model->describe().c_str(), model->num_parameters(),
                model->summary().c_str());

    // ---- 3. Train ---------------------------------------------------------------------------
    // Teacher forcing: the decoder reads the reference French shifted by one word and is scored
    // on every next word at once (cross-entropy; padding is ignored). Adam, gradient clipping.
    std::printf("\n3. Training for %d steps of %zu sentence pairs\n", opt.steps, batch);
    seq2seq::TrainOptions training;
    training.steps = opt.steps;
    training.batch = batch;
    training.lr = opt.lr;
    training.seed = opt.seed;
    training.resume = &resume;
    io::MetricsWriter metrics(run.file("metrics.csv", "training loss and gradient norm per step"),
                              {"loss", "grad_norm"});
    const seq2seq::TrainLog log = seq2seq::train(*model, corpus, training, metrics);
    resume.training_done();

    // ---- 4. What did it learn? --------------------------------------------------------------
    // Translate the test set (greedy decoding, or --beam K) and score it by source length.
    model->eval();
    const seq2seq::Evaluation result = seq2seq::evaluate(*model, corpus, test, commands.beam);
    std::printf("\n4. Test set, by source length (BLEU-4, exact match, word accuracy)\n\n%s",
                result.scores.table().c_str());
    std::printf("\n  Long sentences (%s):\n\n%s", eval::diff_legend(eval::diff_style_for_stdout()).c_str(),
                seq2seq::long_examples(test, result, examples_shown, example_min_length).c_str());

    // ---- 5. Figures and files ---------------------------------------------------------------
    io::JsonObject summary(result.scores);  // BLEU, exact match and word accuracy, by length
    seq2seq::plot_bleu_by_length({{"encoder-decoder, no attention", summary.at("bleu_by_length")}},
                                 "BLEU by sentence length",
                                 run.file("bleu_by_length.svg", "BLEU by source length"));
    seq2seq::plot_training_loss(log.losses, "Training loss (no attention)",
                                run.file("loss.svg", "the training loss"));
    seq2seq::save_translator(
        run.file("translator.safetensors", "the trained model, its configuration and vocabularies"), *model,
        config, corpus, lesson);
    summary.set("train_seconds", log.seconds)
        .set("steps", opt.steps)
        .set("parameters", model->num_parameters())
        .set("config", config)
        .set("seed", opt.seed);
    io::write_summary_json(run.file("summary.json", "the numbers above"), summary);
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

// The model, with the learner's context vector when --use-my-code says so.
std::unique_ptr<seq2seq::RnnTranslator> build_model(const seq2seq::RnnConfig& config, Rng& rng, bool mine) {
    seq2seq::RnnParts parts;
    if (mine) parts.context = exercises::my_context;
    return std::make_unique<seq2seq::RnnTranslator>(config, rng, parts);
}

}  // namespace
