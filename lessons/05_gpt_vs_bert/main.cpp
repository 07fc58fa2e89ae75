// Lesson 5 — GPT vs BERT: one transformer body, two ways to pretrain it
// Lesson 4's transformer had an encoder (every word reads every word) and a decoder (each word
// reads the ones before it). GPT keeps the decoder's causal mask and learns to predict the next
// word; BERT keeps the encoder's open attention and learns to fill in hidden words. Here the same
// body is trained both ways on the same text. The claims, measured: GPT predicts the next word
// far better than a bigram model; BERT fills in a hidden word far better than guessing the
// commonest word, and better than GPT can from the left side alone — while GPT writes and BERT
// cannot.
// Run: ./build/lessons/05_gpt_vs_bert        Chapter: lessons/05_gpt_vs_bert/README.md

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/masking.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/eval/bigram.hpp>
#include <dikkat/io.hpp>
#include <dikkat/lm/generate.hpp>
#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/progress.hpp>

#include "exercises/exercises.hpp"
#include "figures.hpp"
#include "probes.hpp"
#include "text.hpp"

using namespace dikkat;
using lm::Objective;
using namespace lesson5;

// B batch (windows side by side), T context, D model size, V vocabulary
namespace {

const std::string lesson = "05_gpt_vs_bert";
constexpr int quick_steps = 300;                       // --quick: steps of each model,
constexpr std::size_t quick_dim = 64, quick_ff = 128;  //   sizes,
constexpr std::size_t next_word_prefixes = 2000;       // prefixes for "each asked to write"
constexpr std::size_t generated_words = 24;
constexpr float clip_norm = 1.0f;
// Examples on the shipped corpus (a learner's --text gets examples from its own validation text).
const std::vector<std::string> default_prompts = {"last summer we visited", "a young sheep is called a",
                                                  "the film was"};
const std::vector<std::string> default_fills = {"the seine flows through <mask> .",
                                                "a young cow is called a <mask> .",
                                                "the hotel is a short walk from the <mask> ."};

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 400;
    opt.lr = 3e-3f;
    opt.threads = 2;       // a few large matrix products per layer: a second core helps (lesson 4)
    opt.resumable = true;  // Ctrl-C saves the training; --resume continues it
    lm::LMConfig config;
    config.context = 16;    // short windows: BERT learns to read its neighbours far sooner (chapter §5)
    config.dropout = 0.0f;  // GPT sees the text 1.5 times, BERT 4.6: too few passes to overfit
    std::string objective = "both", text_file, prompt, fill;
    std::size_t batch = 128, warmup = 50, words = generated_words;
    int bert_steps =
        2000;  // BERT learns from 15% of the words: 5 times the steps, 3/4 of GPT's predictions (§5)
    data::MaskingOptions masking;
    lm::Sampling sampling;
    bool use_my_code = false;
    cli::Parser cli(lesson, "One transformer body trained as GPT (next word) and as BERT (hidden words)",
                    opt);
    cli.add_choice("--objective", objective, {"gpt", "bert", "both"}, "which pretraining to run");
    cli.add_option("--text", text_file, "train on your own UTF-8 text instead of datasets/text/general");
    cli.add_option("--dim", config.dim, "model size D");
    cli.add_option("--heads", config.heads, "attention heads per layer");
    cli.add_option("--ff", config.ff, "feed-forward size");
    cli.add_option("--layers", config.layers, "transformer layers");
    cli.add_option("--context", config.context, "words per training window (the most a model reads)");
    cli.add_choice("--positions", config.positions, {"learned", "sinusoidal"}, "how word order enters");
    cli.add_option("--dropout", config.dropout, "dropout on every residual branch");
    cli.add_option("--batch", batch, "windows per step");
    cli.add_option("--warmup", warmup, "steps of learning-rate warm-up");
    cli.add_option("--bert-steps", bert_steps, "training steps for BERT (--steps is GPT's)");
    cli.add_option("--mask-rate", masking.rate, "BERT: share of words hidden in each window");
    cli.add_option("--random-share", masking.to_random,
                   "BERT: of the hidden words, the share replaced by a random word (10% keep their word, "
                   "the rest become <mask>)");
    cli.add_option("--prompt", prompt, "continue this text with the trained GPT (no training)");
    cli.add_option("--fill", fill, "fill in each <mask> of this text with the trained BERT (no training)");
    cli.add_option("--temperature", sampling.temperature, "sampling temperature (0: always the likeliest)");
    cli.add_option("--top-k", sampling.top_k, "sample among the k likeliest words (0: all)");
    cli.add_option("--words", words, "how many words --prompt writes");
    cli.add_flag("--use-my-code", use_my_code, "GPT's causal mask from your exercises/my_causal_mask.cpp");
    if (auto code = cli.parse(argc, argv)) return *code;
    if (!(masking.to_random >= 0.0f && masking.to_random <= 0.9f))
        throw ValueError("--random-share must be between 0 and 0.9 (10% of the hidden words keep theirs)");
    masking.to_mask = 0.9f - masking.to_random;  // and the last 10% keep their word
    if (cli.given("--prompt") || cli.given("--fill"))
        return answer(lesson, opt.out, prompt, fill, sampling, words, opt.seed);
    io::RunFolder run(opt.out);  // training writes here: checked now that it can
    if (bert_steps < 1) throw ValueError("--bert-steps must be at least 1");
    if (opt.quick) {
        opt.steps = std::min(opt.steps, quick_steps);
        bert_steps = std::min(bert_steps, quick_steps);
        config.dim = quick_dim;
        config.ff = quick_ff;
        warmup = std::min<std::size_t>(warmup, 10);
    }
    if (use_my_code) {
        exercises::my_causal_mask(2);  // a stub says so now, before any work
        if (objective == "bert")
            throw ValueError("--use-my-code replaces GPT's causal mask: use it with GPT");
    }
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------
    // Words, not characters: one vocabulary for the general and review corpora (the reviews are
    // lesson 6's), so the bodies trained here have a row for every word lesson 6 will read.
    // Paragraphs are joined into one stream, each ended by <eos>; a training window is
    // `context` consecutive words of it.
    const Corpus corpus = text_file.empty() ? shipped_corpus(opt.quick) : learner_corpus(text_file);
    const std::size_t V = corpus.vocab.size();
    config.vocab = V;
    std::printf("\n1. Data: %s — %zu training and %zu validation words, a vocabulary of %zu\n",
                corpus.source.c_str(), corpus.train.size(), corpus.valid.size(), V);

    // ---- 2. The bars to clear -----------------------------------------------------------------
    // For GPT, a bigram model: it predicts the next word from the one word before it. For BERT, a
    // guesser that always says the corpus's most frequent word, whatever the gap.
    const double bigram_ppl = std::exp(eval::bigram_nats_per_token(corpus.train, corpus.valid, V));
    const Index unigram_id = lesson5::most_frequent_word(corpus.train, V);
    std::printf("\n2. Baselines: a bigram model's perplexity %.1f; the most frequent word is \"%s\"\n",
                bigram_ppl, corpus.vocab.token(unigram_id).c_str());

    // ---- 3. One body, two objectives -----------------------------------------------------------
    // Both models are built from the same seed: the same sizes, the same starting weights. All
    // that differs is the attention mask and what the loss asks for.
    std::vector<Objective> objectives;
    if (objective != "bert") objectives.push_back(Objective::gpt);
    if (objective != "gpt") objectives.push_back(Objective::bert);
    std::map<Objective, std::unique_ptr<lm::TransformerLM>> models;
    for (Objective o : objectives) {
        lm::LMConfig c = config;
        c.objective = o;
        Rng rng(opt.seed);
        models[o] = std::make_unique<lm::TransformerLM>(c, rng);
        if (use_my_code && o == Objective::gpt) models[o]->causal = exercises::my_causal_mask;
    }
    const lm::TransformerLM& first = *models.begin()->second;
    std::printf("\n3. Model: %s, %zu parameters each\n\n%s", first.describe().c_str(), first.num_parameters(),
                first.summary().c_str());

    // ---- 4. Train ---------------------------------------------------------------------------
    // GPT: every position predicts the word after it; the loss averages over all B·T of them.
    // BERT: 15% of the words are hidden (data::mask_tokens: 80% <mask>, 10% a random word, 10%
    // kept) and the loss averages over those only (the targets are -100, ignored, elsewhere) —
    // so a BERT step learns from about a seventh as many words as a GPT step, and BERT gets five
    // times the steps: about as many graded answers in all (chapter §5).
    std::map<Objective, std::vector<double>> curves;
    std::map<Objective, double> seconds;
    for (Objective o : objectives) {
        lm::TransformerLM& model = *models[o];
        const bool gpt = o == Objective::gpt;
        const int steps = gpt ? opt.steps : bert_steps;
        const std::string name = lm::to_string(o);
        std::printf("\n4. Training %s for %d steps of %zu windows x %zu words\n",
                    name == "gpt" ? "GPT" : "BERT", steps, batch, config.context);
        optim::Adam adam(model, {opt.lr});
        optim::WarmupCosine schedule(warmup, static_cast<std::size_t>(steps), 0.1f);
        data::StreamBatcher windows(corpus.train, batch, config.context);
        Rng mask_rng(opt.seed + 1);
        io::MetricsWriter metrics(run.file("metrics_" + name + ".csv",
                                           name + "'s training loss per step (nats per predicted word)"),
                                  {"loss", "grad_norm", "lr"});
        const std::vector<Tensor> params = model.parameters();
        // What Ctrl-C saves and --resume puts back: all that the next step and section 5 read.
        io::Job job = resume.job(name, static_cast<std::size_t>(steps));
        job.track("model", model).track("adam", adam).track("windows", windows).track("mask_rng", mask_rng);
        job.track("metrics", metrics).track("curve", curves[o]);
        const std::size_t done = job.restore();  // steps done before an interruption (0: none)
        viz::ProgressBar bar(static_cast<std::size_t>(steps), "train " + name);
        bar.unit("word", double(batch * config.context)).from(done);
        IndexArray x, y;
        for (int step = int(done) + 1; step <= steps; ++step) {
            windows.next(x, y);  // (B, T) words, and the word after each
            data::Masked m;
            if (!gpt) m = data::mask_tokens(x, V, mask_rng, masking);
            auto step_loss = [&] {
                return gpt ? cross_entropy(model(x), y)                       // every position: the next word
                           : lm::masked_lm_loss(model, m.inputs, m.targets);  // the hidden words only
            };
            Tensor loss = step_loss();
            model.zero_grad();
            loss.backward();
            const float norm = optim::clip_grad_norm(params, clip_norm);
            optim::check_finite_step(std::size_t(step), double(loss.item()), double(norm), [&] {
                model.zero_grad();  // diverged: the same step again, to name the op that made NaN
                step_loss().backward();
            });
            adam.set_lr_factor(schedule.factor(static_cast<std::size_t>(step - 1)));
            adam.step();
            curves[o].push_back(double(loss.item()));
            metrics.log(static_cast<std::size_t>(step), {curves[o].back(), double(norm), double(adam.lr())});
            bar.update(static_cast<std::size_t>(step), {{"loss", curves[o].back()}});
            job.step_done(static_cast<std::size_t>(step));  // after Ctrl-C: saves the run, stops here
        }
        bar.finish();
        seconds[o] = job.seconds();
        model.eval();
    }
    resume.training_done();
    const lm::TransformerLM* gpt = models.count(Objective::gpt) ? models[Objective::gpt].get() : nullptr;
    const lm::TransformerLM* bert = models.count(Objective::bert) ? models[Objective::bert].get() : nullptr;

    // ---- 5. What can each do? -------------------------------------------------------------------
    // Its own job, against its baseline; then the other's job, on the same positions.
    io::JsonObject summary;
    std::printf("\n5. On the validation text\n\n");
    if (gpt) {
        const double ppl = lesson5::perplexity(*gpt, corpus.valid);
        summary.set("gpt_val_perplexity", ppl);
        std::printf("  GPT perplexity %.2f vs the bigram model's %.2f: %.2f of it (claim: <= 0.85)  %s\n",
                    ppl, bigram_ppl, ppl / bigram_ppl, ppl <= 0.85 * bigram_ppl ? "yes" : "NO");
    }
    summary.set("bigram_val_perplexity", bigram_ppl);
    const lesson5::MaskedScores masked =
        lesson5::masked_accuracy(bert, gpt, unigram_id, corpus.valid, config.context, masking, opt.seed + 2);
    std::printf("\n  Hidden words (%zu of them, 15%% of each window), top-1 / top-5 accuracy:\n",
                masked.positions);
    if (bert)
        std::printf("    BERT, both sides of the gap         %5.1f%% / %5.1f%%\n", 100 * masked.bert_top1,
                    100 * masked.bert_top5);
    if (gpt)
        std::printf("    GPT, the words to the left only     %5.1f%% / %5.1f%%\n", 100 * masked.gpt_top1,
                    100 * masked.gpt_top5);
    std::printf("    always \"%s\"%*s%5.1f%%\n", corpus.vocab.token(unigram_id).c_str(),
                int(30 - corpus.vocab.token(unigram_id).size()), "", 100 * masked.unigram_top1);
    summary.set("unigram_masked_top1", masked.unigram_top1);
    summary.set("masked_positions", masked.positions);
    if (bert) {
        summary.set("bert_masked_top1", masked.bert_top1);
        summary.set("bert_masked_top5", masked.bert_top5);
        std::printf("  BERT >= 2 x the most-frequent-word guess                       %s\n",
                    masked.bert_top1 >= 2 * masked.unigram_top1 ? "yes" : "NO");
    }
    if (gpt) {
        summary.set("gpt_masked_top1_left_context", masked.gpt_top1);
        summary.set("gpt_masked_top5_left_context", masked.gpt_top5);
    }
    if (gpt && bert)
        std::printf("  BERT above GPT at the same gaps (the right side helps)         %s\n",
                    masked.bert_top1 > masked.gpt_top1 ? "yes" : "NO");
    const lesson5::NextWordScores next = lesson5::next_word_accuracy(gpt, bert, corpus.valid, config.context,
                                                                     next_word_prefixes, opt.seed + 3);
    std::printf("\n  Each asked to write: the word after %zu prefixes, top-1\n", next.positions);
    if (gpt) std::printf("    GPT                                 %5.1f%%\n", 100 * next.gpt_top1);
    if (bert) std::printf("    BERT, a <mask> after the prefix     %5.1f%%\n", 100 * next.bert_top1);
    io::JsonObject next_word;
    next_word.set("positions", next.positions);
    if (gpt) next_word.set("gpt", next.gpt_top1);
    if (bert) next_word.set("bert", next.bert_top1);
    summary.set("next_word_top1", next_word);

    // Examples: GPT writes, BERT fills in — and each tries the other's job (text.cpp).
    Rng sample_rng(opt.seed + 4);
    show_examples(gpt, bert,
                  text_file.empty() ? default_prompts : examples_from(corpus.valid, corpus.vocab, false),
                  text_file.empty() ? default_fills : examples_from(corpus.valid, corpus.vocab, true),
                  corpus.vocab, sampling, words, sample_rng, summary);

    // ---- 6. Figures and files -------------------------------------------------------------------
    // A sentence of the validation text: the two masks, and how each model's layers read it
    // (figures.cpp).
    draw_attention(gpt, bert, corpus.valid, corpus.vocab, config.context, run);
    {
        viz::LinePlot p("Training loss: GPT's next word, BERT's hidden words");
        for (Objective o : objectives)
            p.add_series(o == Objective::gpt ? "GPT (next word)" : "BERT (hidden words)",
                         viz::one_to(curves[o].size()), curves[o]);
        const double last = double(std::max(opt.steps, bert_steps));
        p.add_series("bigram model (validation)", {1.0, last}, {std::log(bigram_ppl), std::log(bigram_ppl)},
                     /*dashed=*/true);
        p.x_label("step").y_label("nats per predicted word");
        p.write_svg(run.file("loss.svg", "the two training losses, and the bigram model's"));
    }
    io::JsonObject checkpoints, train_seconds;
    for (Objective o : objectives) {
        const std::string name = lm::to_string(o);
        const std::string path = run.file(
            name + ".safetensors", "the trained " + name + " (configuration and vocabulary in its metadata)");
        lm::save_lm(path, *models[o], corpus.vocab, lesson);
        checkpoints.set(name, path);
        train_seconds.set(name, seconds[o]);
    }
    summary.set("checkpoints", checkpoints).set("train_seconds", train_seconds);
    corpus.vocab.save(run.file("vocab.txt", "the vocabulary, one word per line (line n+1 is id n)"));
    summary.set("config", io::JsonObject(config).erase("objective"));
    summary.set("parameters", first.num_parameters());
    summary.set("steps", io::JsonObject().set("gpt", opt.steps).set("bert", bert_steps));
    summary.set("masking", io::JsonObject()
                               .set("rate", masking.rate)
                               .set("to_mask", masking.to_mask)
                               .set("to_random", masking.to_random));
    summary.set("data", corpus.source);
    summary.set("seed", opt.seed);
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
