// Lesson 7 — the image analogue: a pretrained convolutional body, a new head
// Lesson 6 pretrained a language model and gave its body a new head. Vision did it first: a network
// trained on ImageNet's million photos learns edges, colours and textures in its first layers and
// parts of objects in later ones, and those features serve tasks it never saw. Here a small ResNet
// learns 32 kinds of shapes and fills; then, frozen, it carries a new head that learns 10 new shapes
// from a few labelled images each — far better than the same network trained from scratch on them.
// Run: ./build/lessons/07_vision_transfer        Chapter: lessons/07_vision_transfer/README.md

#include <chrono>
#include <cstdio>
#include <map>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/io.hpp>
#include <dikkat/viz/heatmap.hpp>
#include <dikkat/viz/image_grid.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/svg.hpp>

#include "exercises/exercises.hpp"
#include "experiment.hpp"
#include "figures.hpp"

using namespace dikkat;
using namespace lesson7;

// N images, w the body's width, C classes
namespace {

const std::string lesson = "07_vision_transfer";

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.lr = 3e-3f;
    opt.epochs = 8;
    opt.threads = 2;
    opt.resumable = true;         // Ctrl-C saves the training; --resume continues it
    vision::ResNetConfig config;  // w 16, a 5x5 stem
    std::string stage = "all", sizes = "10,50,200,all", unfreeze = "block3";
    int seeds = 3, scratch_steps = 600, head_steps = 300;
    bool use_my_code = false;
    cli::Parser cli(lesson, "A pretrained convolutional body and a new head, against training from scratch",
                    opt);
    cli.add_choice("--stage", stage, {"pretrain", "transfer", "all"},
                   "pretrain only, or transfer only (reading the pretrained body)");
    cli.add_option("--width", config.width, "the stem's channels w (the blocks have w, 2w, 4w)");
    cli.add_option("--sizes", sizes, "labelled target images N, comma-separated ('all' = the 3,000)");
    cli.add_option("--seeds", seeds, "runs for each N up to 200 (different images and starts)");
    cli.add_option("--scratch-steps", scratch_steps,
                   "most training steps from scratch and when fine-tuning (fewer for small N)");
    cli.add_option("--head-steps", head_steps, "training steps of a head on the frozen body");
    cli.add_option("--unfreeze", unfreeze,
                   "the body's parts that fine-tuning trains, comma-separated: stem, block1, block2, block3");
    cli.add_flag("--use-my-code", use_my_code, "draw the feature maps with your exercises/my_im2col.cpp");
    if (auto code = cli.parse(argc, argv)) return *code;
    io::RunFolder run(opt.out);
    if (seeds < 1) throw ValueError("--seeds must be at least 1");
    if (opt.quick) {  // a narrow body, a fraction of the source: about twenty seconds
        config.width = 8;
        if (!cli.given("--sizes")) sizes = "10,50";
        seeds = 1;
        scratch_steps = std::min(scratch_steps, 60);
        head_steps = std::min(head_steps, 150);
    }
    if (use_my_code)  // a stub says so now, not after minutes of training
        exercises::my_im2col(
            xt::ones<float>({std::size_t{1}, std::size_t{1}, std::size_t{3}, std::size_t{3}}), 3, 3, 1, 1);
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------------
    // The source task is a miniature ImageNet: 32 classes (16 shapes, each solid or textured) in every
    // colour, size and place, among strokes of clutter. The target task has 10 shapes the source never
    // showed, built from the same edges, corners and curves. Its training images go round the classes,
    // so any 10·k of them in a row hold k of each.
    ImageSet source = data::read_image_set(data::find_dataset("images/source"), "train");
    const ImageSet source_test = data::read_image_set(data::find_dataset("images/source"), "test");
    const ImageSet target = data::read_image_set(data::find_dataset("images/target"), "train");
    const ImageSet target_test = data::read_image_set(data::find_dataset("images/target"), "test");
    const std::size_t C = target.classes.size();
    if (opt.quick) source = slice(source, 0, 3200);
    std::printf(
        "\n1. Data: source %zu classes, %zu training and %zu test images; target %zu classes, %zu images "
        "to learn from, %zu test images\n",
        source.classes.size(), source.size(), source_test.size(), C, target.size(), target_test.size());
    const std::vector<std::size_t> Ns =
        parse_sizes(sizes, target.size());  // before any work: a typo fails now
    {  // what the two tasks look like: one source image of each class, three target images of each
        const ImageSet source_examples = first_of_each(source, 1), target_examples = first_of_each(target, 3);
        viz::write_text_file(
            run.file("examples.svg", "one source image of each class, three target images of each"),
            viz::panels({viz::image_grid(source_examples.images, 8, 2, class_names(source_examples),
                                         "Source: 32 classes, 16 shapes solid or textured"),
                         viz::image_grid(target_examples.images, 10, 2, class_names(target_examples),
                                         "Target: 10 new shapes")},
                        1));
    }
    {
        Rng rng(0);
        vision::ResNetBody probe(config, rng);
        unfreeze_parts(probe, unfreeze);  // --unfreeze names parts the body has
    }
    io::JsonObject summary, seconds;
    const std::string body_path = run.dir() + "/body.safetensors";

    // ---- 2. Pretrain on the source task -------------------------------------------------------------
    // The whole network learns the 32 source classes. Its body — everything but the last linear layer —
    // is what we keep: 4w numbers that describe an image.
    std::shared_ptr<vision::ResNetBody> body;
    Array untrained_stem;  // the stem's filters before training, for the figure
    double source_accuracy = std::nan("");
    std::vector<double> pretrain_losses;
    if (stage != "transfer") {
        Rng rng(opt.seed);
        body = std::make_shared<vision::ResNetBody>(config, rng);
        untrained_stem = body->stem.weight.value();
        vision::ImageClassifier model(body, source.classes.size(), rng);
        std::printf("\n2. Pretraining on the source task: %zu parameters\n\n%s", model.num_parameters(),
                    model.summary().c_str());
        const auto t = std::chrono::steady_clock::now();
        const int steps = int((std::size_t(opt.epochs) * source.size() + 63) / 64);
        model.train();  // BatchNorm learns from each batch and keeps running statistics
        pretrain_losses =
            fit(model, source, {steps, 64, opt.lr, 5e-4f, true, "pretrain", opt.seed, "pretrain"}, resume);
        seconds.set("pretrain", seconds_since(t));
        io::MetricsWriter metrics(run.file("metrics.csv", "the source task's training loss, step by step"),
                                  {"loss"});
        for (std::size_t i = 0; i < pretrain_losses.size(); ++i) metrics.log(i, {pretrain_losses[i]});
        source_accuracy = accuracy(predict(model, source_test.images), source_test.labels);
        std::printf("\n  Source test accuracy: %.1f%% (32 classes; chance 3.1%%)\n", 100 * source_accuracy);
        vision::save_body(
            run.file("body.safetensors", "the pretrained body (parameters and BatchNorm statistics)"), *body,
            lesson);
        if (stage == "pretrain") {
            resume.complete();
            std::printf("\n%s", run.written().c_str());
            return 0;
        }
    } else {
        body = vision::load_body(body_path,
                                 "pretrain it first: ./build/lessons/" + lesson + " --out " + run.dir());
        std::printf("\n2. Pretrained body: read %s\n", body_path.c_str());
    }
    body->eval();  // from here on the pretrained body is only read: BatchNorm uses its running statistics

    // ---- 3. A new head on the frozen body, against the same network from scratch --------------------
    // Frozen, the body gives every image the same features whatever the head does, so they are computed
    // once; the head is a logistic regression on them. Fine-tuning also trains the body's last block
    // (--unfreeze); scratch trains every layer of a freshly initialised network on the N images.
    const auto t_grid = std::chrono::steady_clock::now();
    const Array target_features = features(*body, target.images),
                test_features = features(*body, target_test.images);
    std::map<std::string, std::map<std::size_t, std::vector<double>>> results;  // method -> N -> runs
    std::vector<Index> confusion_guesses;  // frozen transfer at N = 50, seed 0
    std::printf("\n3. Target task, N labelled images (seed s learns from images N·s to N·(s+1) - 1)\n\n");
    std::printf("  %6s %5s  %9s %10s %9s\n", "N", "seed", "frozen", "fine-tuned", "scratch");
    for (std::size_t N : Ns) {
        const int runs = N <= 200 ? seeds : 1;
        for (int s = 0; s < runs && std::size_t(s + 1) * N <= target.size(); ++s) {
            const ImageSet train = slice(target, std::size_t(s) * N, std::size_t(s + 1) * N);
            const std::uint64_t seed = opt.seed + std::uint64_t(s);
            const std::string which = "/N=" + std::to_string(N) + "/seed=" + std::to_string(s);
            // Steps: 30 passes over the N images in batches of up to 64, at least 100, at most --scratch-steps.
            const int steps = std::min(scratch_steps, std::max(100, int(30 * N / 64)));
            // transfer, frozen: a new head on the body's cached features (the body itself is not needed)
            Rng rng(seed);
            nn::Linear head(body->features(), C, rng);
            train_head(head, slice_rows(target_features, std::size_t(s) * N, std::size_t(s + 1) * N),
                       train.labels, head_steps, 1e-2f, 1e-3f);
            const std::vector<Index> frozen_guesses = head_guesses(head, test_features);
            if (N == 50 && s == 0) confusion_guesses = frozen_guesses;
            // transfer, fine-tuned: a copy of the body, the frozen run's head, then --unfreeze's blocks train
            vision::ImageClassifier tuned(vision::copy_body(*body), C, rng);
            tuned.head.weight.mutable_value() = head.weight.value();
            tuned.head.bias.mutable_value() = head.bias.value();
            unfreeze_parts(*tuned.body, unfreeze);
            fit(tuned, train, {steps, 64, opt.lr / 3, 5e-4f, true, "", seed, "fine-tuned" + which}, resume);
            // scratch: the same network from random weights, every layer trained on the N images
            Rng scratch_rng(seed + 100);
            vision::ImageClassifier scratch(std::make_shared<vision::ResNetBody>(body->config(), scratch_rng),
                                            C, scratch_rng);
            scratch.train();
            fit(scratch, train, {steps, 64, opt.lr, 5e-4f, true, "", seed, "scratch" + which}, resume);
            const double a_frozen = accuracy(frozen_guesses, target_test.labels),
                         a_tuned = accuracy(predict(tuned, target_test.images), target_test.labels),
                         a_scratch = accuracy(predict(scratch, target_test.images), target_test.labels);
            results["transfer_frozen"][N].push_back(a_frozen);
            results["transfer_finetuned"][N].push_back(a_tuned);
            results["scratch"][N].push_back(a_scratch);
            std::printf("  %6zu %5d  %8.1f%% %9.1f%% %8.1f%%\n", N, s, 100 * a_frozen, 100 * a_tuned,
                        100 * a_scratch);
            std::fflush(stdout);
        }
    }
    seconds.set("transfer_grid", seconds_since(t_grid));

    // The freeze, checked: a classifier whose body is frozen and in eval mode trains through the whole
    // network for 20 steps; every body tensor — weights and BatchNorm's running statistics — must come out
    // bitwise unchanged. Then the classic slip: frozen, but left in train mode.
    bool frozen_body_unchanged = false, unchanged_in_train_mode = false;
    {
        const ImageSet few = slice(target, 0, std::min<std::size_t>(500, target.size()));
        for (bool train_mode : {false, true}) {
            Rng rng(opt.seed);
            vision::ImageClassifier check(vision::copy_body(*body), C, rng);
            check.freeze("body");
            check.train();
            if (!train_mode) check.body->eval();
            const std::vector<Array> before = nn::snapshot(*check.body);
            fit(check, few,
                {20, 64, 1e-2f, 0.0f, true, "", opt.seed,
                 train_mode ? "freeze check, train mode" : "freeze check"},
                resume);
            (train_mode ? unchanged_in_train_mode : frozen_body_unchanged) =
                nn::unchanged_since(*check.body, before);
        }
        std::printf(
            "\n  The frozen body after 20 training steps (%zu frozen, %zu trainable parameters):\n"
            "    in eval mode:  %s\n    in train mode: %s\n",
            body->num_parameters(), C * (body->features() + 1),
            frozen_body_unchanged ? "bitwise unchanged" : "CHANGED",
            unchanged_in_train_mode ? "bitwise unchanged"
                                    : "changed: its BatchNorm running statistics followed the new images");
    }
    resume.training_done();  // the rest draws figures: quick to do again

    // ---- 4. The claims, figures and files -----------------------------------------------------------------
    std::printf("\n4. Target test accuracy (mean over seeds)\n\n  %-20s", "N labelled images");
    for (std::size_t N : Ns) std::printf(" %7zu", N);
    std::printf("\n");
    io::JsonObject acc;
    const auto mean_at = [&](const std::string& method, std::size_t N) {
        return results[method].count(N) ? io::mean_std(results[method][N]).number("mean") : std::nan("");
    };
    for (const char* method : {"transfer_frozen", "transfer_finetuned", "scratch"}) {
        std::printf("  %-20s", method);
        io::JsonObject by_n;  // one seed: its accuracy; more: their mean and spread
        for (std::size_t N : Ns) {
            std::printf(" %6.1f%%", 100 * mean_at(method, N));
            const std::vector<double>& runs = results[method][N];
            if (runs.size() == 1)
                by_n.set(std::to_string(N), runs[0]);
            else
                by_n.set(std::to_string(N), io::mean_std(runs));
        }
        acc.set(method, by_n);
        std::printf("\n");
    }
    const double frozen_50 = mean_at("transfer_frozen", 50), scratch_50 = mean_at("scratch", 50);
    std::printf(
        "\n  The claims: at N = 50 (5 per class), frozen transfer %.1f%% beats scratch %.1f%% by >= 15 "
        "points  %s\n",
        100 * frozen_50, 100 * scratch_50, frozen_50 - scratch_50 >= 0.15 ? "yes" : "NO");
    if (!std::isnan(source_accuracy))
        std::printf("              the source task is learned (test accuracy >= 80%%): %.1f%%  %s\n",
                    100 * source_accuracy, source_accuracy >= 0.8 ? "yes" : "NO");
    {
        viz::LinePlot p("Target test accuracy against the number of labelled images");
        std::vector<double> xs;
        for (std::size_t N : Ns) xs.push_back(double(N));
        for (const char* method : {"transfer_frozen", "transfer_finetuned", "scratch"}) {
            std::vector<double> ys;
            for (std::size_t N : Ns) ys.push_back(100 * mean_at(method, N));
            p.add_series(method, xs, ys);
        }
        p.log_x()
            .x_label("labelled images N (log scale; 10 classes)")
            .y_label("test accuracy (%)")
            .y_range(0, 100);
        p.write_svg(run.file("learning_curve.svg", "target accuracy against N, each method"));
    }
    if (!pretrain_losses.empty()) {
        viz::LinePlot p("Pretraining on the source task: training loss");
        p.add_series("loss", viz::one_to(pretrain_losses.size()), pretrain_losses);
        p.x_label("step (64 images)").y_label("cross-entropy (nats)");
        p.write_svg(run.file("pretrain_loss.svg", "the source task's training loss"));
    }
    if (!confusion_guesses.empty()) {
        viz::Heatmap map(confusion(confusion_guesses, target_test.labels, C));
        map.title("Frozen body + new head, N = 50 (% of each true shape)")
            .row_labels(target.classes)
            .col_labels(target.classes)
            .y_label("true shape")
            .x_label("guess")
            .colormap(viz::Colormap::blues)
            .range(0, 100)
            .show_values();
        map.write_svg(run.file("confusion.svg", "confusion matrix of frozen transfer at N = 50"));
    }
    draw_filters_and_maps(*body, untrained_stem, target_test, use_my_code, run);
    summary.set("source_accuracy", source_accuracy);
    summary.set("accuracy", acc);
    summary.set("frozen_body_unchanged", frozen_body_unchanged);
    summary.set("frozen_body_unchanged_in_train_mode", unchanged_in_train_mode);
    summary.set("seconds", seconds);
    summary.set("config", config);
    summary.set("parameters", body->num_parameters());
    summary.set("epochs", opt.epochs);
    if (!pretrain_losses.empty())
        summary.set("steps", io::JsonObject().set("pretrain", pretrain_losses.size()));
    summary.set("unfreeze", unfreeze);
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
