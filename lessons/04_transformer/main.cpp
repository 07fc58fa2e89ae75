// Lesson 4 — the transformer: attention without recurrence
// Lesson 3's decoder looks at every source word, but its encoder and decoder are still RNNs:
// one word after another. The transformer drops the recurrence: every position reads every
// other through self-attention, so a layer is a few large matrix products over the whole
// sentence. The claims, measured: its chain of dependent operations does not grow with the
// sentence while the RNN's does; it gains more from a second core; with positions encoded it
// translates as well as lesson 3's model.
// Run: ./build/lessons/04_transformer        Chapter: lessons/04_transformer/README.md

#include <algorithm>
#include <cstdio>
#include <optional>

#include <dikkat/blas.hpp>
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
#include <dikkat/seq2seq/transformer_translator.hpp>

#include "comparison.hpp"
#include "figures.hpp"
#include "exercises/exercises.hpp"

using namespace dikkat;

// B batch, S source length, T target length, D model size, H heads
namespace {

const std::string lesson = "04_transformer";
constexpr int quick_steps = 300;                                  // --quick: training steps,
constexpr std::size_t quick_test_per_bucket = 50;                 //   test sentences per length bucket,
constexpr std::size_t quick_dim = 64, quick_ff = 256;             // sizes
const std::vector<std::size_t> timed_lengths = {10, 20, 30, 40};  // source lengths of the speed test
constexpr std::size_t examples_shown = 3, example_min_length = 31;
constexpr std::size_t heatmap_max_words = 14;
const std::string heatmap_text = "european economic area";  // a test sentence French reorders

std::unique_ptr<seq2seq::TransformerTranslator> build_model(const seq2seq::TransformerConfig& config,
                                                            Rng& rng, bool mine);

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 1600;
    opt.lr = 5e-3f;
    opt.threads = 2;       // as lesson 3, whose BLEU-against-seconds curve it draws beside its own
    opt.resumable = true;  // Ctrl-C saves the training; --resume continues it
    seq2seq::TransformerConfig config;
    config.sizes.dropout = 0.0f;  // 1,600 steps see the data 1.7 times: too few to overfit
    std::size_t batch = 32, warmup = 300, layers = 2;
    float label_smoothing = 0.1f;
    int lesson_3_steps = 1300, timing_repeats = 7;
    bool use_my_code = false, unscaled = false;
    std::string compare = "runs/03_bahdanau_attention/summary.json";
    seq2seq::Commands commands;
    cli::Parser cli(lesson, "A transformer translator, and the measured reason it replaced recurrence", opt);
    cli.add_option("--batch", batch, "sentence pairs per step");
    cli.add_option("--warmup", warmup, "steps of learning-rate warm-up");
    cli.add_option("--label-smoothing", label_smoothing, "the share of each target spread over all words");
    cli.add_option("--dim", config.sizes.dim, "model size D (embeddings and every layer)");
    cli.add_option("--heads", config.sizes.heads, "attention heads (each reads D / heads features)");
    cli.add_option("--ff", config.sizes.ff, "feed-forward size");
    cli.add_option("--layers", layers, "encoder layers, and as many decoder layers");
    cli.add_option("--dropout", config.sizes.dropout, "dropout on every residual branch");
    cli.add_choice("--positions", config.positions, {"sinusoidal", "learned", "none"},
                   "how word order enters (none: a bag of words)");
    cli.add_flag("--no-scale", unscaled, "leave out attention's 1/sqrt(d) (see the chapter's exercise)");
    cli.add_option(
        "--compare", compare,
        "lesson 3's summary.json: its BLEU and its BLEU-against-time curve (trained here if absent)");
    cli.add_option("--lesson3-steps", lesson_3_steps, "steps of lesson 3's model when it is trained here");
    cli.add_option("--timing-repeats", timing_repeats,
                   "timed training steps per model, length and thread count (the fastest counts)");
    cli.add_flag("--use-my-code", use_my_code, "attend with your exercises/my_attention.cpp");
    commands.add_flags(cli);
    if (auto code = cli.parse(argc, argv)) return *code;
    if (timing_repeats < 1) throw ValueError("--timing-repeats must be at least 1");
    if (commands.use_checkpoint(cli)) {  // --translate / --eval: answer with the trained model
        seq2seq::run_commands(commands, lesson, opt.out, [&](const nlohmann::json& c) {
            Rng rng(opt.seed);
            return std::unique_ptr<seq2seq::Translator>(
                build_model(seq2seq::TransformerConfig::from_json(c), rng, use_my_code));
        });
        return 0;
    }
    io::RunFolder run(opt.out);  // training writes here: checked now that it can
    config.sizes.encoder_layers = config.sizes.decoder_layers = layers;
    config.sizes.scaled = !unscaled;
    seq2seq::RnnConfig rnn_config;  // lesson 3's model, at lesson 3's sizes
    rnn_config.attention = "additive";
    if (opt.quick) {  // a small model, briefly trained, on a small test set: seconds, not minutes
        opt.steps = std::min(opt.steps, quick_steps);
        lesson_3_steps = std::min(lesson_3_steps, quick_steps);
        warmup = std::min<std::size_t>(warmup, 50);
        config.sizes.dim = quick_dim;
        config.sizes.ff = quick_ff;
        rnn_config.embed = 32;
        rnn_config.encoder_hidden = 64;
        rnn_config.decoder_hidden = 128;
        rnn_config.attention_size = 64;
        timing_repeats = std::min(timing_repeats, 2);
    }
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------
    // The pairs, vocabularies and batches of lessons 2 and 3.
    const std::vector<data::TranslationPair> train =
        data::read_translation(data::find_dataset("translation/train.tsv"));
    const std::vector<data::TranslationPair> all_test =
        data::read_translation(data::find_dataset("translation/test.tsv"));
    std::vector<data::TranslationPair> test = all_test;
    if (opt.quick) test = seq2seq::first_per_bucket(test, quick_test_per_bucket);
    const std::vector<data::TranslationPair> valid = seq2seq::validation_sample();
    const data::ParallelCorpus corpus = data::ParallelCorpus::build(train);
    std::printf(
        "\n1. Data: %zu training pairs, %zu test pairs, %zu validation pairs scored during training\n",
        train.size(), test.size(), valid.size());

    // ---- 2. Models --------------------------------------------------------------------------
    config.source_vocab = rnn_config.source_vocab = corpus.source_vocab.size();
    config.target_vocab = rnn_config.target_vocab = corpus.target_vocab.size();
    Rng rng(opt.seed);
    std::unique_ptr<seq2seq::TransformerTranslator> model = build_model(config, rng, use_my_code);
    Rng rnn_rng(opt.seed);
    seq2seq::RnnTranslator rnn(rnn_config, rnn_rng);
    std::printf("\n2. Model: %s, %zu parameters (lesson 3's %s: %zu)\n\n%s",
                model->transformer.describe().c_str(), model->num_parameters(), rnn.describe().c_str(),
                rnn.num_parameters(), model->summary().c_str());

    // ---- 3. Why it replaced recurrence: depth and speed -------------------------------------
    // One training step (forward + backward) on a batch of training pairs of each English
    // length, for both models: the longest chain of operations that must run one after another
    // (the autograd graph's depth — what no number of cores can shorten), and the time at 1 and
    // 2 threads.
    std::printf("\n3. One training step of %zu sentences: dependent ops (graph depth) and milliseconds\n\n",
                lesson4::timed_batch);
    std::printf("  %6s  %11s %11s  %23s  %23s\n", "", "depth", "", "transformer ms", "lesson 3's RNN ms");
    std::printf("  %6s  %11s %11s  %7s %7s %7s  %7s %7s %7s\n", "length", "transformer", "RNN", "1 core",
                "2 cores", "gain", "1 core", "2 cores", "gain");
    const int threads = opt.threads;
    std::vector<std::pair<lesson4::Timing, lesson4::Timing>> timings;  // (transformer, RNN) per length
    for (std::size_t L : timed_lengths) {
        const lesson4::Timing t = lesson4::time_training_step(*model, corpus, L, timing_repeats);
        const lesson4::Timing r = lesson4::time_training_step(rnn, corpus, L, timing_repeats);
        timings.push_back({t, r});
        std::printf("  %6zu  %11zu %11zu  %7.1f %7.1f %6.2fx  %7.1f %7.1f %6.2fx\n", L, t.depth, r.depth,
                    t.ms[0], t.ms[1], t.ms[0] / t.ms[1], r.ms[0], r.ms[1], r.ms[0] / r.ms[1]);
    }
    blas::set_num_threads(threads);
    const double transformer_gain = timings.back().first.ms[0] / timings.back().first.ms[1];
    const double rnn_gain = timings.back().second.ms[0] / timings.back().second.ms[1];

    // ---- 4. Train ---------------------------------------------------------------------------
    // The loop of lessons 2 and 3 (seq2seq::train), tuned on the validation split for this
    // model: a larger peak learning rate after a longer warm-up (attention layers start out
    // reading everything evenly, and large early steps knock them off balance), label
    // smoothing, and 300 more steps than lesson 3 — its BLEU on long sentences is still
    // climbing at 1,300.
    std::printf("\n4. Training for %d steps of %zu sentence pairs\n", opt.steps, batch);
    seq2seq::TrainOptions training;
    training.steps = opt.steps;
    training.batch = batch;
    training.lr = opt.lr;
    training.warmup = warmup;
    training.label_smoothing = label_smoothing;
    training.seed = opt.seed;
    training.resume = &resume;
    seq2seq::BleuCurve curve;
    seq2seq::track_bleu(training, *model, corpus, valid, curve);
    io::MetricsWriter metrics(run.file("metrics.csv", "training loss and gradient norm per step"),
                              {"loss", "grad_norm"});
    const seq2seq::TrainLog log = seq2seq::train(*model, corpus, training, metrics);

    // ---- 5. What did it learn? --------------------------------------------------------------
    model->eval();
    const seq2seq::Evaluation result = seq2seq::evaluate(*model, corpus, test, commands.beam);
    std::printf("\n5. Test set, by source length (BLEU-4, exact match, word accuracy)\n\n%s",
                result.scores.table().c_str());
    std::printf("\n  Long sentences (%s):\n\n%s", eval::diff_legend(eval::diff_style_for_stdout()).c_str(),
                seq2seq::long_examples(test, result, examples_shown, example_min_length).c_str());

    // Lesson 3's model: its run's numbers when there is one, made with this BLAS core (its
    // seconds are comparable with ours only then); otherwise trained here, as lesson 3 does.
    std::optional<lesson4::Lesson3> l3 = lesson4::lesson_3_from(compare, blas::info());
    if (!l3)
        l3 = lesson4::train_lesson_3(corpus, test, valid, rnn_config, lesson_3_steps, opt.seed, run.dir(),
                                     resume);
    resume.training_done();
    std::printf("\n  BLEU beside lesson 3's (%s):\n\n  %-7s %11s %9s %7s\n", l3->source.c_str(), "bucket",
                "transformer", "lesson 3", "diff");
    bool within = true;  // the claim: on every bucket, at most 0.05 below lesson 3
    const io::JsonObject l3_bleu = l3->scores.at("bleu_by_length");
    for (const auto& [bucket, s] : result.scores.by_bucket()) {
        if (!l3_bleu.contains(bucket)) continue;
        const double theirs = l3_bleu.number(bucket);
        within = within && s.bleu >= theirs - 0.05;
        std::printf("  %-7s %11.3f %9.3f %+7.3f\n", bucket.c_str(), s.bleu, theirs, s.bleu - theirs);
    }
    std::printf("\n  Validation BLEU against training time (seconds: BLEU):\n    transformer   ");
    for (std::size_t i = 0; i < curve.bleu.size(); ++i)
        std::printf(" %4.0f: %.3f", curve.seconds[i], curve.bleu[i]);
    std::printf("\n    lesson 3's RNN");
    for (std::size_t i = 0; i < l3->curve.bleu.size(); ++i)
        std::printf(" %4.0f: %.3f", l3->curve.seconds[i], l3->curve.bleu[i]);
    std::printf("\n");

    // Attention entropy: how spread out the encoder's self-attention is, in nats (0: one word
    // takes all the weight; log S: every word the same). The --no-scale exercise reads it.
    const lesson4::Entropy spread = lesson4::encoder_attention_entropy(*model, corpus, test);

    const std::size_t depth_short = timings.front().first.depth, depth_long = timings.back().first.depth;
    const std::size_t rnn_short = timings.front().second.depth, rnn_long = timings.back().second.depth;
    std::printf("\n  The claims, measured:\n");
    std::printf("    depth from %zu to %zu words: transformer %zu -> %zu, RNN %zu -> %zu   %s\n",
                timed_lengths.front(), timed_lengths.back(), depth_short, depth_long, rnn_short, rnn_long,
                depth_long == depth_short && rnn_long > rnn_short ? "yes" : "NO");
    std::printf("    gain from a second core at %zu words: transformer %.2fx, RNN %.2fx          %s\n",
                timed_lengths.back(), transformer_gain, rnn_gain, transformer_gain > rnn_gain ? "yes" : "NO");
    std::printf("    BLEU within 0.05 of lesson 3's on every bucket                    %s\n",
                within ? "yes" : "NO");
    std::printf("  Encoder self-attention entropy: %.3f nats (reading every word alike: %.3f)\n", spread.mean,
                spread.uniform);

    // ---- 6. Figures and files ---------------------------------------------------------------
    seq2seq::save_translator(
        run.file("translator.safetensors", "the trained model, its configuration and vocabularies"), *model,
        config, corpus, lesson);
    io::JsonObject summary(result.scores);  // BLEU, exact match and word accuracy, by length
    io::JsonObject step_ms, depth;
    for (const char* name : {"transformer", "rnn_attention"}) {
        io::JsonObject ms_1, ms_2, steps;  // by length
        for (std::size_t i = 0; i < timed_lengths.size(); ++i) {
            const lesson4::Timing& t =
                std::string(name) == "transformer" ? timings[i].first : timings[i].second;
            const std::string L = std::to_string(timed_lengths[i]);
            ms_1.set(L, t.ms[0]);
            ms_2.set(L, t.ms[1]);
            steps.set(L, t.depth);
        }
        step_ms.set(name, io::JsonObject().set("threads_1", ms_1).set("threads_2", ms_2));
        depth.set(name, steps);
    }
    summary.set("step_ms_by_length", step_ms)
        .set("sequential_steps_by_length", depth)
        .set("thread_speedup",
             io::JsonObject().set("transformer", transformer_gain).set("rnn_attention", rnn_gain))
        .set("bleu_vs_seconds", io::JsonObject().set("transformer", curve).set("rnn_attention", l3->curve))
        .set("lesson_3", io::JsonObject().set("bleu_by_length", l3_bleu).set("from", l3->source))
        .set("attention_entropy", spread.mean)
        .set("train_seconds", log.seconds)
        .set("steps", opt.steps)
        .set("parameters", model->num_parameters())
        .set("rnn_parameters", rnn.num_parameters())
        .set("config", config)
        .set("seed", opt.seed);
    io::write_summary_json(run.file("summary.json", "the numbers above"), summary);

    seq2seq::plot_bleu_by_length({{"transformer (lesson 4)", summary.at("bleu_by_length")},
                                  {"RNN with attention (lesson 3)", l3_bleu}},
                                 "BLEU by sentence length",
                                 run.file("bleu_by_length.svg", "BLEU beside lesson 3's"));
    lesson4::plot_bleu_vs_seconds(
        curve, l3->curve,
        run.file("bleu_vs_seconds.svg", "validation BLEU against training time, both models"));
    lesson4::plot_step_times(timed_lengths, timings,
                             run.file("step_time.svg", "training-step time against length, 1 and 2 cores"));
    if (const data::TranslationPair* pair = seq2seq::find_pair(all_test, heatmap_text, heatmap_max_words))
        lesson4::draw_attention(*model, corpus, *pair, layers, run);
    // The docs' attention explorer: lesson 3's test sentences, every layer and head.
    seq2seq::write_attention_json(
        run.file("attention.json", "attention on the explorer's test sentences"),
        seq2seq::attention_json(*model, corpus, seq2seq::explorer_sentences(all_test), lesson));
    lesson4::draw_positional_encoding(
        *model, config, run.file("positional_encoding.svg", "the positional encodings as an image"));
    seq2seq::plot_training_loss(log.losses, "Training loss (transformer)",
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

// The model, with the learner's attention when --use-my-code says so.
std::unique_ptr<seq2seq::TransformerTranslator> build_model(const seq2seq::TransformerConfig& config,
                                                            Rng& rng, bool mine) {
    auto model = std::make_unique<seq2seq::TransformerTranslator>(config, rng);
    if (mine) {
        const Tensor x(Array(Shape{1, 1, 2, 2}, 1.0f));
        exercises::my_attention(x, x, x, {}, true);  // a stub says so now, before any work
        model->transformer.set_attention(exercises::my_attention);
    }
    return model;
}

}  // namespace
