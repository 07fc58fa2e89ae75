// Lesson 1 — the RNN cell: the hidden state is memory
// A language model predicts the next character from the ones before it. A recurrent cell reads
// the text one character at a time and keeps a hidden state h_t = tanh(W_x x_t + W_h h_{t-1} + b)
// that carries the past forward. The claim, measured: with its memory the model predicts far
// better than a bigram model and than the same network with its state wiped at every character.
// Run: ./build/lessons/01_rnn_cell        Chapter: lessons/01_rnn_cell/README.md

#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/data/tokenizer.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/io.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/nn/sample.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/progress.hpp>
#include <dikkat/viz/terminal.hpp>

#include "exercises/exercises.hpp"

using namespace dikkat;

namespace {
// B batch (parallel streams), T window (BPTT length), E embedding, H hidden, V vocabulary
const double kLn2 = std::log(2.0);

// Embedding -> recurrent cell, step by step -> linear head: scores for the next character.
struct CharLM : nn::Module {
    nn::Embedding embed;
    std::shared_ptr<nn::RecurrentCell> cell;
    nn::Linear head;
    bool my_code = false;
    CharLM(std::size_t V, std::size_t E, std::size_t H, const std::string& kind, Rng& rng)
        : embed(V, E, rng), cell(nn::make_cell(kind, E, H, rng)), head(H, V, rng) {
        register_module("embed", embed);
        register_module("cell", cell);
        register_module("head", head);
    }
    std::string describe() const override { return "CharLM"; }

    nn::CellState step(const Tensor& x, const nn::CellState& s) const {
        if (!my_code) return cell->forward(x, s);
        const auto& c = dynamic_cast<const nn::RNNCell&>(*cell);
        return {exercises::my_rnn_step(x, s.h, c.weight_x, c.weight_h, c.bias), Tensor()};
    }

    // x (B, T) -> scores (B, T, V). `state` comes in as the state before the window and
    // leaves as the state after it. With memory = false every step starts from zeros: the
    // ablation that sees only the current character. `hs`, if given, receives every h_t.
    // [unroll]
    Tensor forward(const IndexArray& x, nn::CellState& state, bool memory,
                   std::vector<Tensor>* hs = nullptr) const {
        const std::size_t B = x.shape()[0], T = x.shape()[1];
        Tensor e = embed(x);  // (B, T, E)
        std::vector<Tensor> outs;
        for (std::size_t t = 0; t < T; ++t) {
            state = step(select(e, 1, t), memory ? state : cell->initial_state(B));  // h: (B, H)
            outs.push_back(state.h);
        }
        if (hs) *hs = outs;
        return head(stack(outs, 1));  // (B, T, H) -> (B, T, V)
    }
    // [unroll]
};

nn::CellState detached(const nn::CellState& s) {
    return {s.h.detach(), s.c.defined() ? s.c.detach() : Tensor()};
}

// Bits per character of `model` on `tokens`, read as B streams with the state carried along.
double bits_per_char(const CharLM& model, const std::vector<Index>& tokens, bool memory) {
    NoGrad no_grad;
    data::StreamBatcher streams(tokens, 16, 64);
    nn::CellState state = model.cell->initial_state(16);
    IndexArray x, y;
    double nats = 0.0;
    std::size_t windows = 0;
    while (streams.next(x, y)) {
        nats += double(cross_entropy(model.forward(x, state, memory), y).item());
        ++windows;
    }
    return nats / static_cast<double>(windows) / kLn2;
}

// A bigram model: P(next | current) from counts over the training text (add-0.1 smoothing).
// It knows exactly one character of the past — the bar the RNN must clear.
double bigram_bits_per_char(const std::vector<Index>& train, const std::vector<Index>& valid, std::size_t V) {
    std::vector<double> counts(V * V, 0.1), totals(V, 0.1 * static_cast<double>(V));
    for (std::size_t i = 0; i + 1 < train.size(); ++i) {
        counts[static_cast<std::size_t>(train[i]) * V + static_cast<std::size_t>(train[i + 1])] += 1.0;
        totals[static_cast<std::size_t>(train[i])] += 1.0;
    }
    double bits = 0.0;
    for (std::size_t i = 0; i + 1 < valid.size(); ++i) {
        const auto a = static_cast<std::size_t>(valid[i]), b = static_cast<std::size_t>(valid[i + 1]);
        bits -= std::log2(counts[a * V + b] / totals[a]);
    }
    return bits / static_cast<double>(valid.size() - 1);
}

// `length` characters sampled from the model after `prompt`, at `temperature`.
std::string sample_text(const CharLM& model, const data::CharTokenizer& tok, const std::string& prompt,
                        std::size_t length, float temperature, bool memory, Rng& rng) {
    NoGrad no_grad;
    nn::CellState state = model.cell->initial_state(1);
    std::vector<Index> ids = tok.encode(prompt);
    auto one = [](Index id) { return IndexArray(IndexArray::shape_type{1, 1}, id); };  // (1, 1)
    Tensor scores;
    for (Index id : ids) scores = model.forward(one(id), state, memory);  // read the prompt
    std::vector<Index> out;
    for (std::size_t i = 0; i < length; ++i) {
        Array z = scores.value();  // (1, 1, V); the special tokens never occur in text: rule them out
        for (Index special = 0; special <= data::Vocab::mask_id; ++special) z(0, 0, special) = -1e9f;
        const Index next = nn::sample_token(z.data(), z.shape()[2], temperature, rng);
        out.push_back(next);
        scores = model.forward(one(next), state, memory);
    }
    return prompt + tok.decode(out);
}

// Share of the sampled words (letters only) that occur in the training text.
double real_word_fraction(const std::string& text, const std::set<std::string>& words) {
    std::istringstream in(text);
    std::string w;
    std::size_t real = 0, all = 0;
    while (in >> w) {
        std::string letters;
        for (char ch : w)
            if (std::isalpha(static_cast<unsigned char>(ch))) letters += ch;
        if (letters.empty()) continue;
        ++all;
        real += words.count(letters);
    }
    return all ? static_cast<double>(real) / static_cast<double>(all) : 0.0;
}

// How far back does the loss reach? The norm of dL/dh_t, where L is the loss at the last
// step of a T-step window, for t = T-1, T-2, ...: entry k is the distance k back in time.
std::vector<double> gradient_norms(const CharLM& model, const std::vector<Index>& tokens, std::size_t T) {
    const std::size_t B = 16;
    data::StreamBatcher streams(tokens, B, T);
    IndexArray x, y;
    streams.next(x, y);
    nn::CellState state = model.cell->initial_state(B);
    std::vector<Tensor> hs;
    Tensor scores = model.forward(x, state, true, &hs);  // (B, T, V)
    for (Tensor& h : hs) h.retain_grad();
    IndexArray last = xt::view(y, xt::all(), T - 1);
    cross_entropy(select(scores, 1, T - 1), last).backward();
    std::vector<double> norms;
    for (std::size_t k = 0; k < T; ++k) {
        const Array& g = hs[T - 1 - k].grad();  // (B, H)
        norms.push_back(std::sqrt(double(xt::sum(g * g)())) / std::sqrt(double(B)));
    }
    return norms;
}
}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 2000;
    opt.lr = 3e-3f;
    std::string cell = "rnn";
    std::size_t hidden = 256, embed = 32, batch = 32, bptt = 64;
    int ablation_steps = -1;
    float temperature = 0.8f;
    bool no_memory = false, use_my_code = false;
    cli::Parser cli("01_rnn_cell", "A character language model whose hidden state is its memory", opt);
    cli.add_choice("--cell", cell, {"rnn", "gru", "lstm"}, "recurrent cell");
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
    if (use_my_code && cell != "rnn")
        throw ValueError("--use-my-code replaces the plain RNN cell: use it with --cell rnn");
    if (opt.quick) opt.steps = std::min(opt.steps, 150);
    if (ablation_steps < 0) ablation_steps = opt.steps;
    if (no_memory) ablation_steps = 0;
    io::RunFolder run(opt.out);
    cli.print_config();

    // ---- 1. Data ----------------------------------------------------------------------------
    // The general-English corpus, one paragraph per line, read as one long string of
    // characters. The vocabulary is every character that occurs (plus the special tokens).
    auto join = [](const std::vector<std::string>& lines) {
        std::string s;
        for (const auto& l : lines) s += l + "\n";
        return s;
    };
    const std::string train_text = join(data::read_corpus(data::find_dataset("text/general/train.txt")));
    std::string valid_text = join(data::read_corpus(data::find_dataset("text/general/valid.txt")));
    if (opt.quick) valid_text.resize(std::min<std::size_t>(valid_text.size(), 20000));
    const auto tok = data::CharTokenizer::build({train_text});
    const std::vector<Index> train_ids = tok.encode(train_text), valid_ids = tok.encode(valid_text);
    const std::size_t V = tok.vocab().size();
    std::printf("\n1. Data: %zu training and %zu validation characters, %zu symbols\n", train_ids.size(),
                valid_ids.size(), V);
    std::set<std::string> corpus_words;
    {
        std::istringstream in(train_text);
        for (std::string w; in >> w;) corpus_words.insert(w);
    }

    // ---- 2. The bar to clear: a bigram model ------------------------------------------------
    const double bigram = bigram_bits_per_char(train_ids, valid_ids, V);
    std::printf("\n2. Bigram model (one character of context): %.3f bits per character\n", bigram);

    // ---- 3. Model ---------------------------------------------------------------------------
    Rng rng(opt.seed);
    CharLM model(V, embed, hidden, cell, rng);
    model.my_code = use_my_code;
    std::printf("\n3. Model: embedding -> %s -> linear head\n\n%s\n", model.cell->describe().c_str(),
                model.summary().c_str());
    const std::size_t grad_window = 48;
    const std::vector<double> norms_at_init = gradient_norms(model, valid_ids, grad_window);
    model.zero_grad();
    Rng sample_rng(opt.seed + 1);
    const std::string before = sample_text(model, tok, "the ", 120, temperature, !no_memory, sample_rng);

    // ---- 4. Train ---------------------------------------------------------------------------
    // Truncated backpropagation through time: every step reads the next `bptt` characters of
    // each of `batch` streams, starting from the state the last window ended in — but detached,
    // so the gradient flows back at most `bptt` steps.
    io::MetricsWriter metrics(
        run.file("metrics.csv", "training loss per step (bits per character), gradient norm"),
        {"model", "train_bits_per_char", "grad_norm"});
    std::string halfway;  // a sample from the middle of training
    auto train = [&](CharLM& m, bool memory, int steps, std::vector<double>& curve) {
        optim::Adam adam(m, {opt.lr});
        data::StreamBatcher streams(train_ids, batch, bptt);
        nn::CellState state = m.cell->initial_state(batch);
        viz::ProgressBar bar(static_cast<std::size_t>(steps), memory ? "train" : "train (no memory)");
        bar.unit("char", static_cast<double>(batch * bptt));
        IndexArray x, y;
        const std::vector<Tensor> params = m.parameters();  // once: clipping needs the list
        for (int step = 1; step <= steps; ++step) {
            if (!streams.next(x, y)) {  // a new epoch: start every stream from a clean state
                streams.next(x, y);
                state = m.cell->initial_state(batch);
            }
            Tensor loss = cross_entropy(m.forward(x, state, memory), y);
            m.zero_grad();
            loss.backward();
            const float norm = optim::clip_grad_norm(params, 1.0f);
            adam.step();
            state = detached(state);
            curve.push_back(double(loss.item()) / kLn2);
            metrics.log(static_cast<std::size_t>(step), {memory ? 1.0 : 0.0, curve.back(), double(norm)});
            bar.update(static_cast<std::size_t>(step), {{"bits/char", curve.back()}});
            if (memory && step == steps / 2)
                halfway = sample_text(m, tok, "the ", 120, temperature, true, sample_rng);
        }
        bar.finish();
    };
    std::vector<double> curve, ablation_curve;
    std::printf("\n4. Training for %d steps of %zu streams x %zu characters%s\n", opt.steps, batch, bptt,
                no_memory ? ", memory wiped" : "");
    train(model, !no_memory, opt.steps, curve);
    double no_memory_bits = std::nan("");
    if (ablation_steps > 0) {  // the same network, trained the same way, but with its memory wiped
        Rng ablation_rng(opt.seed);
        CharLM ablation(V, embed, hidden, cell, ablation_rng);
        ablation.my_code = use_my_code;
        train(ablation, false, ablation_steps, ablation_curve);
        no_memory_bits = bits_per_char(ablation, valid_ids, false);
    }

    // ---- 5. What did it learn? ----------------------------------------------------------------
    const double val_bits = bits_per_char(model, valid_ids, !no_memory);
    const std::vector<double> norms = gradient_norms(model, valid_ids, grad_window);
    const std::string after = sample_text(model, tok, "the ", 300, temperature, !no_memory, sample_rng);
    const double real_words = real_word_fraction(after, corpus_words);
    std::printf("\n5. Validation, bits per character (lower is better)\n\n");
    std::printf("  %-34s %6.3f\n", "bigram model", bigram);
    if (!std::isnan(no_memory_bits))
        std::printf("  %-34s %6.3f\n", "same network, memory wiped", no_memory_bits);
    std::printf("  %-34s %6.3f\n", (cell + (no_memory ? ", memory wiped" : ", with its memory")).c_str(),
                val_bits);
    std::printf("\n  samples (temperature %.1f), each starting from \"the \":\n", double(temperature));
    auto one_line = [](std::string s) {  // paragraph breaks shown as ¶
        for (std::size_t at; (at = s.find('\n')) != std::string::npos;) s.replace(at, 1, " ¶ ");
        return s;
    };
    std::printf("    before training  %s\n    halfway          %s\n    after training   %s\n",
                one_line(before).c_str(), one_line(halfway).c_str(), one_line(after).c_str());
    std::printf("\n  %.0f%% of the sampled words are real words of the corpus\n", 100.0 * real_words);
    std::printf("\n  |dL/dh| going back in time %s  (%.2g at 0 steps, %.2g at %zu)\n",
                viz::sparkline(std::vector<float>(norms.begin(), norms.end())).c_str(), norms.front(),
                norms.back(), grad_window - 1);

    auto steps_axis = [](std::size_t n) {
        std::vector<double> s(n);
        for (std::size_t i = 0; i < n; ++i) s[i] = double(i + 1);
        return s;
    };
    viz::LinePlot loss_plot("Training loss of the character model");
    loss_plot.x_label("step")
        .y_label("bits per character")
        .add_series(cell + (no_memory ? " (memory wiped)" : " with memory"), steps_axis(curve.size()), curve);
    if (!ablation_curve.empty())
        loss_plot.add_series("memory wiped", steps_axis(ablation_curve.size()), ablation_curve);
    loss_plot.add_series("bigram (validation)", {1.0, double(curve.size())}, {bigram, bigram},
                         /*dashed=*/true);
    loss_plot.write_svg(run.file("loss.svg", "training loss, against the bigram model"));
    std::vector<double> distance(grad_window);
    for (std::size_t k = 0; k < grad_window; ++k) distance[k] = double(k);
    viz::LinePlot("How far back the gradient reaches (" + cell + ")")
        .x_label("steps back in time (t' = T - 1 - t)")
        .y_label("|dL/dh_t'|")
        .log_y()
        .add_series("before training", distance, norms_at_init, /*dashed=*/true)
        .add_series("after training", distance, norms)
        .write_svg(run.file("gradient_norms.svg", "the norm of dL/dh_t against the distance back in time"));
    io::save_checkpoint(run.file("char_lm.safetensors", "the trained model (vocabulary in its metadata)"),
                        model,
                        {{"lesson", "01_rnn_cell"},
                         {"cell", cell},
                         {"vocabulary", nlohmann::json(tok.vocab().tokens()).dump()}});
    nlohmann::json summary = {
        {"cell", cell},
        {"memory", !no_memory},
        {"val_bits_per_char", val_bits},
        {"bigram_bits_per_char", bigram},
        {"sample", after},
        {"sample_before_training", before},
        {"real_word_fraction", real_words},
        {"grad_norm_at_0", norms.front()},
        {"grad_norm_at_" + std::to_string(grad_window - 1), norms.back()},
        {"grad_norm_before_training_at_0", norms_at_init.front()},
        {"grad_norm_before_training_at_" + std::to_string(grad_window - 1), norms_at_init.back()},
        {"steps", opt.steps},
        {"seed", opt.seed}};
    if (!std::isnan(no_memory_bits)) summary["no_memory_bits_per_char"] = no_memory_bits;
    io::write_summary_json(run.file("summary.json", "the numbers above"), summary);
    std::printf("\n%s", run.written().c_str());
    return 0;
} catch (const std::exception& e) {  // dikkat::Error says what is wrong and where
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
