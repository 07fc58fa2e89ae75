// Lesson 1 — the RNN cell: the hidden state is memory
// A language model predicts the next character from the ones before it. A recurrent cell reads
// the text one character at a time and keeps a hidden state h_t = tanh(W_x x_t + W_h h_{t-1} + b)
// that carries the past forward. The claim, measured: with its memory the model predicts far
// better than a bigram model and than the same network with its state wiped at every character.
// Run: ./build/lessons/01_rnn_cell        Chapter: lessons/01_rnn_cell/README.md

#include <cmath>
#include <cstdio>
#include <set>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/eval/bigram.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/io.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/progress.hpp>
#include <dikkat/viz/terminal.hpp>

#include "char_lm.hpp"
#include "exercises/exercises.hpp"

using namespace dikkat;
using namespace lesson1;

// B batch (parallel streams), T window (BPTT length), E embedding, H hidden, V vocabulary
namespace {

const std::string sample_prompt = "the ";         // every sample continues these characters
constexpr std::size_t grad_window = 48;           // |dL/dh_t| is measured over 48 steps back
constexpr std::size_t sample_chars = 120;         // samples before and halfway through training,
constexpr std::size_t final_sample_chars = 300;   //   and after it
constexpr float clip_norm = 1.0f;                 // gradient norm clipped to this every step
constexpr int quick_steps = 150;                  // --quick: steps per model,
constexpr std::size_t quick_valid_chars = 20000;  //   and characters of validation text

// One model to train: the RNN, or the ablation.
struct Trainee {
    std::string job, label;  // its name in the run (Ctrl-C, --resume), and on the progress bar
    CharLM& model;
    int steps;
    // Its own metrics, one row per step, and what the list of written files says of them.
    std::string metrics_file, metrics_what;
    bool sample_halfway;          // draw a sample at the halfway step
    std::vector<double> curve{};  // training bits per character, per step
    double seconds = 0.0;         // its training's wall time
};

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 2000;
    opt.lr = 3e-3f;
    opt.resumable = true;  // Ctrl-C saves the training; --resume continues it
    std::string cell_kind = "rnn";
    std::size_t hidden = 256, embed = 32, batch = 32, bptt = 64;
    int ablation_steps = -1;
    float temperature = 0.8f;
    bool no_memory = false, use_my_code = false;
    cli::Parser cli("01_rnn_cell", "A character language model whose hidden state is its memory", opt);
    cli.add_choice("--cell", cell_kind, {"rnn", "gru", "lstm"}, "recurrent cell");
    cli.add_option("--hidden", hidden, "size of the hidden state");
    cli.add_option("--embed", embed, "size of a character's embedding");
    cli.add_option("--batch", batch, "parallel text streams per step");
    cli.add_option("--bptt", bptt, "characters per window of truncated backpropagation through time");
    cli.add_option("--temperature", temperature, "sampling temperature (0: always the likeliest)");
    cli.add_flag("--no-memory", no_memory, "wipe the state before every character (the ablation only)");
    cli.add_option("--ablation-steps", ablation_steps,
                   "steps for the no-memory ablation (-1: as --steps, 0: skip)");
    cli.add_flag("--use-my-code", use_my_code, "step the RNN with your exercises/my_rnn_step.cpp");
    if (auto code = cli.parse(argc, argv)) return *code;
    if (use_my_code && cell_kind != "rnn")
        throw ValueError("--use-my-code replaces the plain RNN cell: use it with --cell rnn");
    if (opt.quick) opt.steps = std::min(opt.steps, quick_steps);
    if (ablation_steps < 0) ablation_steps = opt.steps;
    if (no_memory) ablation_steps = 0;  // the model itself is the ablation
    io::RunFolder run(opt.out);
    cli.print_config();
    io::Resume resume(run, cli.resume_options());  // --resume: the stopped run is read now

    // ---- 1. Data ----------------------------------------------------------------------------
    // The general-English corpus, one paragraph per line, read as one long string of
    // characters. The vocabulary is every character that occurs (plus the special tokens).
    const std::string train_text =
        join_lines(data::read_corpus(data::find_dataset("text/general/train.txt")));
    std::string valid_text = join_lines(data::read_corpus(data::find_dataset("text/general/valid.txt")));
    if (opt.quick) valid_text.resize(std::min(valid_text.size(), quick_valid_chars));
    const auto tok = data::CharTokenizer::build({train_text});
    const std::vector<Index> train_ids = tok.encode(train_text), valid_ids = tok.encode(valid_text);
    const std::size_t V = tok.vocab().size();
    std::printf("\n1. Data: %zu training and %zu validation characters, %zu symbols\n", train_ids.size(),
                valid_ids.size(), V);
    const std::set<std::string> corpus_words = words_of(train_text);  // to tell real words in samples

    // ---- 2. The bar to clear: a bigram model ------------------------------------------------
    // Counts of which character follows which: a model that knows exactly one character of
    // the past. Whatever the RNN does better, it does with its memory.
    const double bigram = eval::bigram_nats_per_token(train_ids, valid_ids, V) / ln2;
    std::printf("\n2. Bigram model (one character of context): %.3f bits per character\n", bigram);

    // ---- 3. Model ---------------------------------------------------------------------------
    // The cell is chosen here, once: the library's (--cell), or the RNN cell stepped by your
    // exercise (--use-my-code); wrapped in MemoryWiped it becomes the ablation.
    auto new_cell = [&](Rng& r) -> std::shared_ptr<nn::RecurrentCell> {
        if (use_my_code) return std::make_shared<exercises::MyRNNCell>(embed, hidden, r);
        return nn::make_cell(cell_kind, embed, hidden, r);
    };
    Rng rng(opt.seed);
    std::shared_ptr<nn::RecurrentCell> cell = new_cell(rng);
    if (no_memory) cell = std::make_shared<MemoryWiped>(cell);
    CharLM model(V, cell, rng);
    std::printf("\n3. Model: embedding -> %s -> linear head\n\n%s\n", model.cell->describe().c_str(),
                model.summary().c_str());
    // The ablation: the same network, built from the same seed, with its memory wiped.
    Rng ablation_rng(opt.seed);
    std::unique_ptr<CharLM> ablation;
    if (ablation_steps > 0)
        ablation =
            std::make_unique<CharLM>(V, std::make_shared<MemoryWiped>(new_cell(ablation_rng)), ablation_rng);

    const std::vector<double> norms_at_init = gradient_norms(model, valid_ids, grad_window);
    model.zero_grad();
    Rng sample_rng(opt.seed + 1);
    const std::string before = sample_text(model, tok, sample_prompt, sample_chars, temperature, sample_rng);

    // ---- 4. Train ---------------------------------------------------------------------------
    // Truncated backpropagation through time: every step reads the next `bptt` characters of
    // each of `batch` streams, starting from the state the last window ended in — but detached,
    // so the gradient flows back at most `bptt` steps. The model first, then the ablation.
    std::vector<Trainee> trainees{{"train", "train", model, opt.steps, "metrics.csv",
                                   "training loss per step (bits per character), gradient norm", true}};
    if (ablation)
        trainees.push_back({"no_memory", "train (no memory)", *ablation, ablation_steps,
                            "metrics_no_memory.csv", "the same for the ablation, memory wiped", false});
    std::printf("\n4. Training for %d steps of %zu streams x %zu characters%s\n", opt.steps, batch, bptt,
                no_memory ? ", memory wiped" : "");
    std::string halfway;  // a sample from the middle of training
    for (Trainee& t : trainees) {
        optim::Adam adam(t.model, {opt.lr});
        data::StreamBatcher streams(train_ids, batch, bptt);
        io::MetricsWriter metrics(run.file(t.metrics_file, t.metrics_what),
                                  {"train_bits_per_char", "grad_norm"});
        const std::vector<Tensor> params = t.model.parameters();  // once: clipping needs the list
        nn::CellState state;
        IndexArray x, y;
        // What Ctrl-C saves and --resume puts back: all that the next step and section 5 read.
        io::Job job = resume.job(t.job, static_cast<std::size_t>(t.steps));
        job.track("model", t.model).track("adam", adam).track("streams", streams).track("state", state);
        job.track("metrics", metrics).track("sample_rng", sample_rng);
        job.track("curve", t.curve).track("halfway", halfway);
        const std::size_t done = job.restore();  // steps done before an interruption (0: none)
        viz::ProgressBar bar(static_cast<std::size_t>(t.steps), t.label);
        bar.unit("char", static_cast<double>(batch * bptt)).from(done);
        for (int step = int(done) + 1; step <= t.steps; ++step) {
            streams.next(x, y);                               // (B, T) characters, and the ones after them
            if (streams.at_start()) state = nn::CellState();  // a new pass over the text: no past to carry
            CharLM::Output out = t.model.forward(x, state);
            Tensor loss = cross_entropy(out.scores, y);
            t.model.zero_grad();
            loss.backward();
            const float norm = optim::clip_grad_norm(params, clip_norm);
            optim::check_finite_step(std::size_t(step), double(loss.item()), double(norm), [&] {
                t.model.zero_grad();  // diverged: the same step again, to name the op that made NaN
                cross_entropy(t.model.forward(x, state).scores, y).backward();
            });
            adam.step();
            state = out.run.last.detach();  // carried into the next window; the gradient stops here
            t.curve.push_back(double(loss.item()) / ln2);
            metrics.log(static_cast<std::size_t>(step), {t.curve.back(), double(norm)});
            bar.update(static_cast<std::size_t>(step), {{"bits/char", t.curve.back()}});
            if (t.sample_halfway && step == t.steps / 2)
                halfway = sample_text(t.model, tok, sample_prompt, sample_chars, temperature, sample_rng);
            job.step_done(static_cast<std::size_t>(step));  // after Ctrl-C: saves the run, stops here
        }
        bar.finish();
        t.seconds = job.seconds();
    }
    resume.training_done();

    // ---- 5. What did it learn? ----------------------------------------------------------------
    // The claim, on text neither model trained on: with its memory the RNN needs far fewer bits
    // per character than the bigram model and than the ablation. Then: what its samples look
    // like, and how far back in time its gradient now reaches.
    const double val_bits = bits_per_char(model, valid_ids);
    const double no_memory_bits = ablation ? bits_per_char(*ablation, valid_ids) : std::nan("");
    const std::vector<double> norms = gradient_norms(model, valid_ids, grad_window);
    const std::string after =
        sample_text(model, tok, sample_prompt, final_sample_chars, temperature, sample_rng);
    const double real_words = real_word_fraction(after, corpus_words);
    std::printf("\n5. Validation, bits per character (lower is better)\n\n");
    std::printf("  %-34s %6.3f\n", "bigram model", bigram);
    if (ablation) std::printf("  %-34s %6.3f\n", "same network, memory wiped", no_memory_bits);
    std::printf("  %-34s %6.3f\n", (cell_kind + (no_memory ? ", memory wiped" : ", with its memory")).c_str(),
                val_bits);
    std::printf("\n  samples (temperature %.1f), each starting from \"%s\":\n", double(temperature),
                sample_prompt.c_str());
    std::printf("    before training  %s\n    halfway          %s\n    after training   %s\n",
                one_line(before).c_str(), one_line(halfway).c_str(), one_line(after).c_str());
    std::printf("\n  %.0f%% of the sampled words are real words of the corpus\n", 100.0 * real_words);
    if (no_memory)  // the wiped state carries nothing back, so no gradient flows back through it
        std::printf("\n  |dL/dh| going back in time: exactly 0 past the current character (memory wiped)\n");
    else
        std::printf("\n  |dL/dh| going back in time %s  (%.2g at 0 steps, %.2g at %zu)\n",
                    viz::sparkline(std::vector<float>(norms.begin(), norms.end())).c_str(), norms.front(),
                    norms.back(), grad_window - 1);

    // ---- 6. Figures and files -------------------------------------------------------------------
    // The training curves against the bigram model, the gradient's reach before and after
    // training, the trained model and the numbers above.
    const std::vector<double>& curve = trainees.front().curve;
    viz::LinePlot loss_plot("Training loss of the character model");
    loss_plot.x_label("step")
        .y_label("bits per character")
        .add_series(cell_kind + (no_memory ? " (memory wiped)" : " with memory"), viz::one_to(curve.size()),
                    curve);
    if (ablation)
        loss_plot.add_series("memory wiped", viz::one_to(trainees.back().curve.size()),
                             trainees.back().curve);
    loss_plot.add_series("bigram (validation)", {1.0, double(curve.size())}, {bigram, bigram},
                         /*dashed=*/true);
    loss_plot.write_svg(run.file("loss.svg", "training loss, against the bigram model"));
    std::vector<double> distance = viz::one_to(grad_window);
    for (double& d : distance) d -= 1.0;  // 0 .. grad_window - 1 steps back
    if (!no_memory)                       // (with the memory wiped it is 0: nothing to draw on a log scale)
        viz::LinePlot("How far back the gradient reaches (" + cell_kind + ")")
            .x_label("steps back in time (t' = T - 1 - t)")
            .y_label("|dL/dh_t'|")
            .log_y()
            .add_series("before training", distance, norms_at_init, /*dashed=*/true)
            .add_series("after training", distance, norms)
            .write_svg(
                run.file("gradient_norms.svg", "the norm of dL/dh_t against the distance back in time"));
    io::save_checkpoint(
        run.file("char_lm.safetensors", "the trained model (vocabulary in its metadata)"), model,
        {{"lesson", "01_rnn_cell"}, {"cell", cell_kind}, {"vocabulary", io::vocab_metadata(tok.vocab())}});
    io::JsonObject summary;
    summary.set("cell", cell_kind)
        .set("memory", !no_memory)
        .set("val_bits_per_char", val_bits)
        .set("bigram_bits_per_char", bigram)
        .set("sample", after)
        .set("sample_before_training", before)
        .set("real_word_fraction", real_words)
        .set("grad_norm_at_0", norms.front())
        .set("grad_norm_at_" + std::to_string(grad_window - 1), norms.back())
        .set("grad_norm_before_training_at_0", norms_at_init.front())
        .set("grad_norm_before_training_at_" + std::to_string(grad_window - 1), norms_at_init.back())
        .set("steps", opt.steps)
        .set("train_seconds", trainees.front().seconds)
        .set("seed", opt.seed);
    if (ablation) summary.set("no_memory_bits_per_char", no_memory_bits);
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
