// Lesson 6 — transfer learning: pretrain, adapt, then a new head (ULMFiT's three stages)
// Labels are expensive; text is not. A language model trained on plenty of unlabelled text
// (stage 1), then on unlabelled text of the target domain (stage 2), has learned much of what a
// classifier needs; a new head on its body (stage 3) learns the task from a few labels. The claim,
// measured: with 64 labelled reviews, a frozen pretrained body and a new head reach 85% and beat
// the same network trained from scratch by 15 points; stage 2 lowers the reviews' perplexity.
// Run: ./build/lessons/06_transfer_learning        Chapter: lessons/06_transfer_learning/README.md

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <dikkat/cli/cli.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/io.hpp>
#include <dikkat/lm/heads.hpp>

#include "exercises/exercises.hpp"
#include "report.hpp"
#include "stages.hpp"

using namespace dikkat;
using namespace lesson6;

// B batch, T words, E the body's output size, V vocabulary, N labelled reviews
namespace {

const std::string lesson = "06_transfer_learning";
constexpr std::size_t lm_batch = 32, bptt = 64;
constexpr std::size_t stats_reviews = 320;  // unlabelled reviews that fix the head's standardisation
constexpr int tagging_steps = 300;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.lr = 3e-3f;
    opt.threads = 2;
    opt.resumable = true;     // Ctrl-C saves the training; --resume continues it
    lm::LstmLMConfig config;  // E 128, H 256
    std::string stage = "all", sizes = "16,64,256,1024,all", labelled_file, text_to_classify;
    std::string gpt_body = "runs/05_gpt_vs_bert/gpt.safetensors";
    std::size_t test_reviews = 0;  // 0: every test review
    int general_windows = 250, review_windows = 450, seeds = 3, scratch_steps = 100, phase_steps = 25,
        head_steps =
            300;  // scratch and each unfreezing phase: at most these steps, fewer for small N (see below)
    float adapt_lr = 3e-3f, fine_tune_lr = 2e-3f;
    bool all_at_once = false, use_my_code = false;
    cli::Parser cli(lesson, "ULMFiT's three stages: pretrain, adapt, then a new head on the body", opt);
    cli.add_choice("--stage", stage, {"1", "2", "3", "all"},
                   "run one stage (reading the earlier ones' checkpoints)");
    cli.add_option("--embed", config.embed, "embedding size E (also the body's output)");
    cli.add_option("--hidden", config.hidden, "LSTM size H");
    cli.add_option("--general-windows", general_windows, "stage 1: windows of 32 x 64 words of general text");
    cli.add_option("--review-windows", review_windows,
                   "stage 2: windows of unlabelled reviews (0: skip stage 2)");
    cli.add_option("--adapt-lr", adapt_lr, "stage 2's learning rate (stage 1's is --lr)");
    cli.add_option("--sizes", sizes, "labelled training sets N, comma-separated ('all' = the whole pool)");
    cli.add_option("--seeds", seeds, "runs for each N up to 64 (different reviews and starts)");
    cli.add_option("--test-reviews", test_reviews,
                   "score on the first N test reviews only: faster, noisier (0: all of them)");
    cli.add_option("--scratch-steps", scratch_steps, "most training steps of the from-scratch classifier");
    cli.add_option("--phase-steps", phase_steps, "most steps of each gradual-unfreezing phase");
    cli.add_option("--fine-tune-lr", fine_tune_lr,
                   "the top layer's learning rate when unfrozen (each lower: / 2.6)");
    cli.add_flag("--all-at-once", all_at_once,
                 "unfreeze everything at once, one learning rate (exercise 6.2)");
    cli.add_option("--labelled", labelled_file,
                   "fine-tune on your own label<TAB>text file (positive/negative)");
    cli.add_option("--classify", text_to_classify,
                   "classify a sentence with the trained classifier (no training)");
    cli.add_option("--gpt-body", gpt_body,
                   "lesson 5's GPT, compared as a stage-1 body at N = 64 (skipped if absent)");
    cli.add_flag("--use-my-code", use_my_code, "pool with your exercises/my_concat_pool.cpp");
    if (auto code = cli.parse(argc, argv)) return *code;
    if (cli.given("--classify")) {
        classify(opt.out, text_to_classify,
                 "train it first: ./build/lessons/" + lesson + " --out " + opt.out);
        return 0;
    }
    io::RunFolder run(opt.out);  // training writes here: checked now that it can
    const std::string make_it =
        "run the earlier stages first: ./build/lessons/" + lesson + " --out " + run.dir();
    if (seeds < 1) throw ValueError("--seeds must be at least 1");
    if (opt.quick) {  // a small body, briefly trained; two sizes: about a minute
        config.embed = 64;
        config.hidden = 128;
        general_windows = std::min(general_windows, 100);
        review_windows = std::min(review_windows, 400);
        adapt_lr = 1e-2f;  // the small model finds the sentiment in 400 windows only with larger steps
        if (!cli.given("--sizes")) sizes = "16,64";
        seeds = 1;
        scratch_steps = std::min(scratch_steps, 60);
        phase_steps = std::min(phase_steps, 10);
        if (!cli.given("--gpt-body")) gpt_body.clear();
    }
    if (use_my_code)
        exercises::my_concat_pool(Tensor(Array(Shape{1, 1, 1}, 1.0f)),
                                  Array(Shape{1, 1}, 1.0f));  // a stub says so now
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------
    // One vocabulary for the general text and the reviews: the body pretrained on general text
    // already has a row for every word of the reviews. With --labelled, your own labelled text:
    // four fifths to learn from, a fifth to test on.
    const Corpora text = read_corpora(labelled_file);
    const data::Vocab& vocab = text.vocab;
    const std::vector<Index>& general_ids = text.general;
    const std::vector<Index>& review_ids = text.reviews;
    const std::vector<Index>& review_valid_ids = text.reviews_valid;
    const Reviews& pool = text.pool;
    const Reviews test =
        test_reviews > 0 ? text.test.slice(0, std::min(test_reviews, text.test.size())) : text.test;
    config.vocab = vocab.size();
    if (!labelled_file.empty()) {
        sizes = std::to_string(pool.size());
        seeds = 1;
    }
    std::printf(
        "\n1. Data: %zu words of general text, %zu of unlabelled reviews; %zu labelled reviews to learn "
        "from, %zu to test on (%zu with \"not\", %zu with \"but\"); a vocabulary of %zu\n",
        general_ids.size(), review_ids.size(), pool.size(), test.size(),
        std::size_t(std::count(test.negation.begin(), test.negation.end(), true)),
        std::size_t(std::count(test.contrast.begin(), test.contrast.end(), true)), vocab.size());
    const std::vector<std::size_t> Ns = parse_sizes(sizes, pool.size());  // before any work: a typo fails now
    // Lesson 5's GPT, to compare bodies with in §4: read now, so that a checkpoint of another
    // vocabulary fails before the training, not after it.
    std::optional<lm::LoadedLM> gpt;
    if ((stage == "all" || stage == "3") && !gpt_body.empty() && std::filesystem::exists(gpt_body) &&
        pool.size() >= 64) {
        gpt.emplace(lm::load_lm(gpt_body));
        if (gpt->vocab.tokens() != vocab.tokens())
            throw ValueError(gpt_body +
                             ": its vocabulary is not this lesson's (lesson 5 and 6 read the same "
                             "corpora; was it trained on other data?)");
    }
    io::JsonObject summary, seconds;  // seconds: how long each part took
    const std::string stage_1_path = run.dir() + "/stage1_lm.safetensors",
                      stage_2_path = run.dir() + "/stage2_lm.safetensors";

    // ---- 2. Stage 1: a language model of general text ---------------------------------------------
    // ULMFiT's pretraining (on Wikipedia; here the general corpus): the body learns the words and how
    // they go together. The model is an LSTM — measured against lesson 5's GPT body in §5 of the chapter.
    std::shared_ptr<lm::LstmLM> general_lm;
    std::vector<double> stage_1_curve, stage_2_curve;
    if (stage == "all" || stage == "1") {
        Rng rng(opt.seed);
        general_lm = std::make_shared<lm::LstmLM>(config, rng);
        std::printf("\n2. Stage 1: %s, %zu parameters, %d windows of general text\n\n%s",
                    general_lm->describe().c_str(), general_lm->num_parameters(), general_windows,
                    general_lm->summary().c_str());
        const auto t1 = std::chrono::steady_clock::now();
        stage_1_curve =
            train_lm(*general_lm, general_ids, general_windows, opt.lr, lm_batch, bptt, "stage 1", resume);
        seconds.set("stage_1", seconds_since(t1));
        lm::save_lstm_lm(run.file("stage1_lm.safetensors", "stage 1: the language model of general text"),
                         *general_lm, vocab, lesson);
        if (stage == "1") {
            resume.complete();
            std::printf("\n%s", run.written().c_str());
            return 0;
        }
    } else {
        general_lm = std::shared_ptr<lm::LstmLM>(lm::load_lstm_lm(stage_1_path, make_it).model.release());
        std::printf("\n2. Stage 1: read %s\n", stage_1_path.c_str());
    }

    // ---- 3. Stage 2: the same model reads the reviews ----------------------------------------------
    // Still no labels: the model goes on predicting the next word, now of film reviews. To predict
    // the next opinion word it must follow the review's mood — which is what the classifier needs.
    const double domain_before = lm::stream_perplexity(*general_lm, review_valid_ids);
    std::shared_ptr<lm::LstmLM> adapted;
    if (stage == "all" || stage == "2") {
        adapted = lm::copy_lstm_lm(*general_lm);
        if (review_windows > 0) {
            const auto t2 = std::chrono::steady_clock::now();
            stage_2_curve =
                train_lm(*adapted, review_ids, review_windows, adapt_lr, lm_batch, bptt, "stage 2", resume);
            seconds.set("stage_2", seconds_since(t2));
        }
        lm::save_lstm_lm(run.file("stage2_lm.safetensors", "stage 2: the same model adapted to the reviews"),
                         *adapted, vocab, lesson);
    } else {
        adapted = std::shared_ptr<lm::LstmLM>(lm::load_lstm_lm(stage_2_path, make_it).model.release());
    }
    const double domain_after = lm::stream_perplexity(*adapted, review_valid_ids);
    std::printf(
        "\n3. Review-domain perplexity (reviews_unlabelled/valid.txt): %.2f after stage 1, %.2f after stage "
        "2 "
        "(%.0f%% lower; claim: >= 10%%)  %s\n",
        domain_before, domain_after, 100.0 * (1.0 - domain_after / domain_before),
        domain_after <= 0.9 * domain_before ? "yes" : "NO");
    summary.set("domain_perplexity_before", domain_before);
    summary.set("domain_perplexity_after", domain_after);
    if (stage == "2") {
        resume.complete();
        std::printf("\n%s", run.written().c_str());
        return 0;
    }

    // ---- 4. Stage 3: a new head on the body ---------------------------------------------------------
    // The head: the body's outputs pooled over the review ([last, max, mean]), standardised with
    // fixed statistics of unlabelled reviews, and one linear layer to two scores. Frozen, the body
    // gives every review the same features whatever the head does, so they are computed once.
    // (No features of unlabelled reviews: no standardisation, as for a network trained from scratch.)
    auto new_classifier = [&](std::shared_ptr<lm::LstmLM> body, const Array* features_of_unlabelled,
                              std::uint64_t seed) {
        Rng rng(seed);
        auto c = std::make_unique<lm::LstmClassifier>(std::move(body), 2, rng);
        if (use_my_code) c->pool = exercises::my_concat_pool;
        if (features_of_unlabelled) c->set_standardization_from(*features_of_unlabelled);
        return c;
    };
    const std::vector<std::string>& valid_lines = text.reviews_valid_lines;
    const std::vector<std::vector<Index>> unlabelled = encode_texts(
        std::vector<std::string>(valid_lines.begin(),
                                 valid_lines.begin() + long(std::min(stats_reviews, valid_lines.size()))),
        vocab);
    const lm::PoolFunction pool_fn = use_my_code ? exercises::my_concat_pool : lm::concat_pool;
    // Only the pool's reviews something learns from need features: the grid's training sets are
    // its first reviews (seed s: s·N to (s+1)·N - 1), and the rest of the lesson reads its first 64.
    // Runs at each N: --seeds of them up to 64 reviews, one above, as many as the pool holds.
    auto runs_at = [&](std::size_t N) { return std::min(std::size_t(N <= 64 ? seeds : 1), pool.size() / N); };
    std::size_t pool_used = std::min<std::size_t>(64, pool.size());
    for (std::size_t N : Ns) pool_used = std::max(pool_used, runs_at(N) * N);
    const std::vector<std::vector<Index>> pool_read(pool.ids.begin(), pool.ids.begin() + long(pool_used));
    const auto t_features = std::chrono::steady_clock::now();
    const Array stats_adapted = pooled_features(*adapted, unlabelled, pool_fn),
                stats_general = pooled_features(*general_lm, unlabelled, pool_fn);
    const Array pool_adapted = pooled_features(*adapted, pool_read, pool_fn),
                test_adapted = pooled_features(*adapted, test.ids, pool_fn);
    const Array pool_general = pooled_features(*general_lm, pool_read, pool_fn),
                test_general = pooled_features(*general_lm, test.ids, pool_fn);

    // Gradual unfreezing (ULMFiT): the head first (already trained, frozen), then the layer below it,
    // then the next, each phase on the slanted triangular schedule, each layer's learning rate 2.6
    // times smaller than the one above it (discriminative fine-tuning).
    const float lr = fine_tune_lr;
    std::vector<Phase> unfreezing = {
        {{{"head", lr}, {"body.down", lr / 2.6f}}, phase_steps, true},
        {{{"head", lr}, {"body.down", lr / 2.6f}, {"body.cell", lr / 6.76f}}, phase_steps, true},
        {{{"head", lr},
          {"body.down", lr / 2.6f},
          {"body.cell", lr / 6.76f},
          {"body.embed", lr / 17.6f},
          {"body.out", lr / 17.6f}},
         phase_steps,
         true}};
    if (all_at_once) unfreezing = {{{{"", lr}}, 3 * phase_steps, false}};

    Results results;
    seconds.set("features", seconds_since(t_features));
    const auto t_grid = std::chrono::steady_clock::now();
    std::printf(
        "\n4. Stage 3: a new head, N labelled reviews (seed s trains on reviews s·N to (s+1)·N - 1)\n\n");
    std::printf("  %6s %5s  %9s %9s %9s %9s\n", "N", "seed", "frozen", "unfrozen", "no stage 2", "scratch");
    for (std::size_t N : Ns) {
        for (int s = 0; std::size_t(s) < runs_at(N); ++s) {
            const Reviews train = pool.slice(std::size_t(s) * N, std::size_t(s + 1) * N);
            const std::uint64_t seed = opt.seed + std::uint64_t(s);
            const std::string which = "/N=" + std::to_string(N) + "/seed=" + std::to_string(s);
            // Steps: two passes over the N reviews in batches of 32, at least 20 (scratch) or 6 (a
            // phase), at most --scratch-steps and --phase-steps: small N needs few steps to fit.
            const int epochs_2 = int((2 * N + 31) / 32);
            const int scratch_n = std::min(scratch_steps, std::max(20, epochs_2));
            const int phase_n = std::min(phase_steps, std::max(6, epochs_2 / 3));
            std::vector<Phase> phases = unfreezing;
            for (Phase& p : phases) p.steps = all_at_once ? 3 * phase_n : phase_n;
            // transfer, frozen: the head alone, on the adapted body's features
            auto frozen = new_classifier(adapted, &stats_adapted, seed);
            train_head(*frozen, rows(pool_adapted, std::size_t(s) * N, std::size_t(s + 1) * N), train.labels,
                       head_steps, 1e-2f, 1e-2f);
            const Accuracy a_frozen = accuracy(head_guesses(*frozen, test_adapted), test);
            // no stage 2: the same, on the general model's features
            auto general_head = new_classifier(general_lm, &stats_general, seed);
            train_head(*general_head, rows(pool_general, std::size_t(s) * N, std::size_t(s + 1) * N),
                       train.labels, head_steps, 1e-2f, 1e-2f);
            const Accuracy a_general = accuracy(head_guesses(*general_head, test_general), test);
            // transfer, unfrozen: a copy of the body, the frozen run's head, then gradual unfreezing
            auto unfrozen = new_classifier(lm::copy_lstm_lm(*adapted), &stats_adapted, seed);
            unfrozen->head.weight.mutable_value() = frozen->head.weight.value();
            unfrozen->head.bias.mutable_value() = frozen->head.bias.value();
            fine_tune(*unfrozen, train, phases, 32, seed, resume, "unfrozen" + which);
            const Accuracy a_unfrozen = accuracy(guesses(*unfrozen, test.ids), test);
            // scratch: the same network from random weights, every layer trained on the N labels
            Rng body_rng(seed + 100);
            auto scratch = new_classifier(std::make_shared<lm::LstmLM>(config, body_rng), nullptr, seed);
            fine_tune(*scratch, train, {{{{"", opt.lr}}, scratch_n, false}}, 32, seed, resume,
                      "scratch" + which);
            const Accuracy a_scratch = accuracy(guesses(*scratch, test.ids), test);
            results.add("transfer_frozen", N, a_frozen);
            results.add("transfer_unfrozen", N, a_unfrozen);
            results.add("no_adaptation", N, a_general);
            results.add("scratch", N, a_scratch);
            std::printf("  %6zu %5d  %8.1f%% %8.1f%% %9.1f%% %8.1f%%\n", N, s, 100 * a_frozen.all,
                        100 * a_unfrozen.all, 100 * a_general.all, 100 * a_scratch.all);
            std::fflush(stdout);
        }
    }

    seconds.set("stage_3_grid", seconds_since(t_grid));
    const auto t_gpt = std::chrono::steady_clock::now();
    // Which body? Lesson 5's GPT against this LSTM, both after stage 1 only (general text), a frozen
    // body and a new head on the same 64 reviews.
    io::JsonObject body_choice;
    if (gpt) {
        const double gpt_acc =
            gpt_frozen_accuracy(*gpt->model, unlabelled, pool.slice(0, 64), test, head_steps, opt.seed);
        const double lstm_acc = results.first("no_adaptation", 64);
        std::printf(
            "\n  Which body (after stage 1 only, frozen, a new head on 64 reviews): lesson 5's GPT %.1f%%, "
            "this LSTM %.1f%%\n",
            100 * gpt_acc, 100 * lstm_acc);
        body_choice.set("gpt_stage_1_frozen_64", gpt_acc)
            .set("lstm_stage_1_frozen_64", lstm_acc)
            .set("gpt_checkpoint", gpt_body);
    }

    seconds.set("body_choice", seconds_since(t_gpt));
    const auto t_freeze = std::chrono::steady_clock::now();
    // The freeze, checked: a classifier whose body is frozen trains through the whole network (the
    // optimizer sees every parameter) and its body's tensors must come out bitwise unchanged.
    const bool frozen_body_unchanged =
        frozen_body_stays_unchanged(*new_classifier(lm::copy_lstm_lm(*adapted), &stats_adapted, opt.seed),
                                    pool.slice(0, std::min<std::size_t>(64, pool.size())), opt.seed, resume);
    seconds.set("freeze_check", seconds_since(t_freeze));
    resume.training_done();  // the rest trains heads on features computed once: quick to do again
    const auto t_tag = std::chrono::steady_clock::now();
    // ---- 5. One body, another head: tagging the opinion words ---------------------------------------
    // The same frozen body, a different head: at every word, is it a positive opinion word, a negative
    // one, or neither? Trained on the words of the first 64 labelled reviews; the lexicon's wide words
    // rarely occur there, so a table of the words training showed cannot tag them — the body can.
    std::vector<int> tag_of(vocab.size(), 0);
    for (const data::OpinionWord& w : text.opinion_words)
        if (vocab.contains(w.word)) tag_of[std::size_t(vocab.id(w.word))] = w.polarity > 0 ? 1 : 2;
    const TaggingScores tagging =
        opinion_tagging(adapted, pool.slice(0, std::min<std::size_t>(64, pool.size())), test, tag_of,
                        tagging_steps, 1e-2f, opt.seed);
    std::printf(
        "\n5. Tagging opinion words, head on the frozen body vs a table of the words 64 reviews show:\n"
        "   F1 %.3f vs %.3f; recall on the %zu opinion words training never showed %.3f vs %.3f\n",
        tagging.f1, tagging.lookup_f1, tagging.unseen_words, tagging.unseen_recall,
        tagging.lookup_unseen_recall);

    seconds.set("tagging", seconds_since(t_tag));
    // ---- 6. The claims, figures and files ---------------------------------------------------------
    results.report(Ns, summary);
    const double frozen_64 = results.mean("transfer_frozen", 64), scratch_64 = results.mean("scratch", 64);
    std::printf(
        "\n  The claims, at N = 64: frozen transfer %.1f%% >= 85%%  %s; above scratch (%.1f%%) by >= 15 "
        "points  %s\n",
        100 * frozen_64, frozen_64 >= 0.85 ? "yes" : "NO", 100 * scratch_64,
        frozen_64 - scratch_64 >= 0.15 ? "yes" : "NO");
    results.plot(Ns, run.file("learning_curve.svg", "accuracy against N, each method"));
    if (!stage_1_curve.empty() || !stage_2_curve.empty())
        plot_lm_loss(stage_1_curve, stage_2_curve,
                     run.file("lm_loss.svg", "the language model's loss in stages 1 and 2"));
    {  // the classifier learners can ask (--classify): frozen transfer on the first 64 reviews
        auto c = new_classifier(adapted, &stats_adapted, opt.seed);
        train_head(*c, rows(pool_adapted, 0, std::min<std::size_t>(64, pool.size())),
                   pool.slice(0, std::min<std::size_t>(64, pool.size())).labels, head_steps, 1e-2f, 1e-2f);
        lm::save_classifier(
            run.file("classifier.safetensors", "stage 3: the adapted body and a head trained on 64 reviews"),
            *c, vocab, lesson);
    }
    summary.set("frozen_body_unchanged", frozen_body_unchanged);
    summary.set("seconds", seconds);
    if (gpt) summary.set("body_choice", body_choice);
    summary.set("tagging", io::JsonObject()
                               .set("f1", tagging.f1)
                               .set("lookup_f1", tagging.lookup_f1)
                               .set("unseen_recall", tagging.unseen_recall)
                               .set("lookup_unseen_recall", tagging.lookup_unseen_recall)
                               .set("unseen_words", tagging.unseen_words));
    summary.set("config", config);
    summary.set("parameters", adapted->num_parameters());
    summary.set("windows", io::JsonObject().set("stage_1", general_windows).set("stage_2", review_windows));
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
