// Training-step benchmark, configured exactly as the PyTorch peers (torch_peer.py, torch_peer.cpp)
// so that they can be compared side by side (tests/perf/compare runs it and the peers in one go).
//
// One step = zero_grad -> forward -> cross-entropy -> backward -> Adam step, float32 (for
// gpt_small_infer: the forward pass alone, without a graph). We report the median (and min /
// p90) milliseconds over the timed steps after warm-up, the matrix products' GFLOP/s, and the
// peak resident memory. Output: a line "RESULT {json}" in the peer script's format, with a
// "blas" object (the OpenBLAS core and threads the time was measured with), then one line
//     config=NAME threads=N ms_per_step=X peak_rss_mb=Y
//
// Run: ./build/tests/perf/bench [--config NAME] [--threads 1] [--steps 30] [--warmup 5]
// Without --config it runs every configuration, each in a process of its own (so that each
// peak RSS is its own).
//
// With --soak N it times nothing: it trains N steps and checks that memory stays flat — the
// graph of every step freed (as many live nodes after each step as after the first) and the peak
// resident memory no higher at the end than after the first tenth of the steps (+1 MB) — and
// exits 1 if not. ctest runs a short soak; the full one is
//     ./build/tests/perf/bench --config transformer --soak 20000
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/blas.hpp>
#include <dikkat/cli/cli.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/nn/module_list.hpp>
#include <dikkat/nn/transformer.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>

using namespace dikkat;

namespace {

IndexArray random_tokens(Rng& rng, std::size_t vocab, const std::vector<std::size_t>& shape) {
    IndexArray ids(shape);
    for (auto& id : ids) id = static_cast<Index>(rng.below(static_cast<std::uint32_t>(vocab)));
    return ids;
}

// ids[:, first:last]
IndexArray slice_ids(const IndexArray& ids, std::size_t first, std::size_t last) {
    return xt::view(ids, xt::all(), xt::range(first, last));
}

// Every model below is the peers' (tests/perf/torch_peer.py), layer for layer, built from
// the library's modules; each batch is random tokens. Shapes: B batch, T target steps, S source
// steps, E embedding, H hidden, A attention, V vocabulary, D model size.

// rnn_lm: a tanh RNN, unrolled by hand, predicting the next token. V 64, E 32, H 128, B 32, T 32.
struct RnnLM : nn::Module {
    nn::Embedding emb;
    nn::Linear i2h, h2h, out;
    IndexArray tokens;  // (B, T + 1): predict tokens[:, 1:] from tokens[:, :-1]
    RnnLM(Rng& rng) : emb(64, 32, rng), i2h(32, 128, rng), h2h(128, 128, rng), out(128, 64, rng) {
        register_module("emb", emb);
        register_module("i2h", i2h);
        register_module("h2h", h2h);
        register_module("out", out);
        tokens = random_tokens(rng, 64, {32, 33});
    }
    Tensor loss() const {
        const std::size_t B = tokens.shape()[0], T = tokens.shape()[1] - 1;
        Tensor xin = i2h(emb(slice_ids(tokens, 0, T)));  // (B, T, H): every step's input at once
        Tensor h = zeros({B, 128});
        std::vector<Tensor> hs;
        for (std::size_t t = 0; t < T; ++t) {
            h = tanh(select(xin, 1, t) + h2h(h));  // (B, H)
            hs.push_back(h);
        }
        return cross_entropy(out(stack(hs, 1)), slice_ids(tokens, 1, T + 1));
    }
};

// seq2seq and bahdanau: a tanh-RNN encoder-decoder with teacher forcing; the decoder starts from
// the last encoder state. With attention, Bahdanau's additive score
// e_j = v . tanh(s W_q + h_j W_k) and the context concatenated to the decoder's input.
// V 64, E 32, H 128, A 128, B 32, S 20, T 20.
struct Seq2Seq : nn::Module {
    static constexpr std::size_t E = 32, H = 128, A = 128, V = 64;
    bool attention;
    nn::Embedding src_emb, tgt_emb;
    nn::Linear enc_i2h, enc_h2h, dec_i2h, dec_h2h, out;
    std::unique_ptr<nn::Linear> W_q, W_k;
    Tensor v;                   // (A)
    IndexArray source, target;  // (B, S), (B, T + 1) with target[:, 0] the start token
    Seq2Seq(bool with_attention, Rng& rng)
        : attention(with_attention),
          src_emb(V, E, rng),
          tgt_emb(V, E, rng),
          enc_i2h(E, H, rng),
          enc_h2h(H, H, rng),
          dec_i2h(with_attention ? E + H : E, H, rng),
          dec_h2h(H, H, rng),
          out(H, V, rng) {
        register_module("src_emb", src_emb);
        register_module("tgt_emb", tgt_emb);
        register_module("enc_i2h", enc_i2h);
        register_module("enc_h2h", enc_h2h);
        register_module("dec_i2h", dec_i2h);
        register_module("dec_h2h", dec_h2h);
        register_module("out", out);
        if (attention) {
            W_q = std::make_unique<nn::Linear>(H, A, rng, false);
            W_k = std::make_unique<nn::Linear>(H, A, rng, false);
            const float k = 1.0f / std::sqrt(float(A));
            v = register_parameter("v", rng.uniform_array({A}, -k, k));
            register_module("W_q", *W_q);
            register_module("W_k", *W_k);
        }
        source = random_tokens(rng, V, {32, 20});
        target = random_tokens(rng, V, {32, 21});
    }
    Tensor loss() const {
        const std::size_t B = source.shape()[0], S = source.shape()[1], T = target.shape()[1] - 1;
        Tensor xin = enc_i2h(src_emb(source));  // (B, S, H)
        Tensor h = zeros({B, H});
        std::vector<Tensor> enc;
        for (std::size_t j = 0; j < S; ++j) {
            h = tanh(select(xin, 1, j) + enc_h2h(h));
            enc.push_back(h);
        }
        Tensor te = tgt_emb(slice_ids(target, 0, T));  // (B, T, E)
        Tensor s = h, states, keys;
        if (attention) {
            states = stack(enc, 1);  // (B, S, H)
            keys = (*W_k)(states);   // (B, S, A), once per batch
        }
        std::vector<Tensor> outs;
        for (std::size_t t = 0; t < T; ++t) {
            Tensor x = select(te, 1, t);  // (B, E)
            if (attention) {
                Tensor a = softmax(additive_scores((*W_q)(s), keys, v), 1);  // (B, S)
                Tensor context =
                    reshape(matmul(reshape(a, {long(B), 1, long(S)}), states), {long(B), long(H)});
                x = concat({x, context}, 1);  // (B, E + H)
            }
            s = tanh(dec_i2h(x) + dec_h2h(s));
            outs.push_back(s);
        }
        return cross_entropy(out(stack(outs, 1)), slice_ids(target, 1, T + 1));
    }
};

// transformer: an encoder-decoder, pre-LN, D 64, 4 heads, FF 256, 2 + 2 layers, sinusoidal
// positions, no dropout, V 64, 32 pairs of 20 source and 20 target tokens, no padding (so no
// padding mask), the loss over every target position: lesson 4's TransformerTranslator.
struct TransformerBench {
    seq2seq::TransformerTranslator model;
    seq2seq::Batch batch;
    static seq2seq::TransformerConfig config() {
        seq2seq::TransformerConfig c;
        c.source_vocab = c.target_vocab = 64;
        c.sizes = {64, 4, 256, 2, 2, 0.0f, true};
        return c;
    }
    explicit TransformerBench(Rng& rng) : model(config(), rng) {
        batch.source = random_tokens(rng, 64, {32, 20});
        batch.target_in = random_tokens(rng, 64, {32, 20});
        batch.target_out = random_tokens(rng, 64, {32, 20});
    }
    Tensor loss() const { return cross_entropy(model.forward(batch), batch.target_out); }
};

// gpt_small: a decoder-only causal LM: token + learned position embeddings, 4 pre-LN blocks
// (lesson 5's layer with a causal mask), a final LayerNorm and an untied output layer.
// V 96, D 128, 4 heads, FF 512, context 64, B 16.
struct Gpt : nn::Module {
    static constexpr std::size_t V = 96, D = 128, context = 64;
    nn::Embedding tok, pos;
    nn::ModuleList<nn::EncoderLayer> blocks;
    nn::LayerNorm ln_f;
    nn::Linear head;
    explicit Gpt(Rng& rng) : tok(V, D, rng), pos(context, D, rng), ln_f(D), head(D, V, rng) {
        register_module("tok", tok);
        register_module("pos", pos);
        register_module("blocks", blocks);
        for (int i = 0; i < 4; ++i) blocks.add(std::make_shared<nn::EncoderLayer>(D, 4, 512, 0.0f, rng));
        register_module("ln_f", ln_f);
        register_module("head", head);
    }
    Tensor features(const IndexArray& ids) const {  // (B, T) -> (B, T, D)
        const std::size_t T = ids.shape()[1];
        Tensor x = tok(ids) + slice(pos.weight, 0, 0, T);
        const Array keep = causal_mask(T);
        for (const auto& block : blocks) x = block->forward(x, keep).output;
        return ln_f(x);
    }
    Tensor loss(const IndexArray& tokens) const {  // tokens (B, T + 1)
        const std::size_t T = tokens.shape()[1] - 1;
        return cross_entropy(head(features(slice_ids(tokens, 0, T))), slice_ids(tokens, 1, T + 1));
    }
};

// finetune_head: gpt_small's body, frozen and run without a graph, its features averaged over
// the positions, and a new Linear(128, 2) head: the only part trained. B 32, T 64.
struct FinetuneHead : nn::Module {
    Gpt body;
    nn::Linear head;
    explicit FinetuneHead(Rng& rng) : body(rng), head(Gpt::D, 2, rng) {
        register_module("body", body);
        register_module("head", head);
        body.freeze();
    }
    Tensor loss(const IndexArray& ids, const IndexArray& labels) const {
        Tensor pooled;
        {
            NoGrad no_graph;
            pooled = mean(body.features(ids), {1});  // (B, D)
        }
        return cross_entropy(head(pooled), labels);
    }
};

double peak_rss_mb() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return static_cast<double>(r.ru_maxrss) / 1024.0;
}

// --soak: `steps` training steps; true when memory stayed flat (see the top of this file).
// Prints a row every tenth of the way.
bool soak(const std::function<float()>& step, int steps) {
    constexpr double allowed_growth_mb = 1.0;
    const long nodes = Node::live_count();  // after the warm-up: the parameters, nothing else
    const int tenth = std::max(1, steps / 10);
    double settled_mb = 0.0;
    long worst_nodes = nodes;
    std::printf("%8s %10s %12s %14s\n", "step", "loss", "live nodes", "peak RSS (MB)");
    for (int i = 1; i <= steps; ++i) {
        const float loss = step();
        worst_nodes = std::max(worst_nodes, Node::live_count());
        if (i == tenth) settled_mb = peak_rss_mb();
        if (i % tenth == 0 || i == steps)
            std::printf("%8d %10.4f %12ld %14.1f\n", i, double(loss), Node::live_count(), peak_rss_mb());
    }
    const double growth = peak_rss_mb() - settled_mb;
    const bool flat = worst_nodes == nodes && growth <= allowed_growth_mb;
    std::printf(
        "soak: %d steps, live nodes %ld at the start and at most %ld after any step; peak RSS grew "
        "%.2f MB after step %d (allowed %.1f): %s\n",
        steps, nodes, worst_nodes, growth, tenth, allowed_growth_mb,
        flat ? "flat" : "NOT FLAT: something outlives its step");
    return flat;
}

// One configuration's model and what a step computes; `model` owns the trained parameters.
struct Config {
    std::shared_ptr<nn::Module> owner;
    nn::Module* model = nullptr;
    std::function<Tensor()> loss;  ///< a training step's loss; empty for a forward-only config
    std::function<void()> forward_only;
    std::size_t tokens_per_step = 0;
};

Config make_config(const std::string& name, Rng& rng) {
    Config c;
    if (name == "rnn_lm") {
        auto m = std::make_shared<RnnLM>(rng);
        c.loss = [m] { return m->loss(); };
        c.tokens_per_step = 32 * 32;
        c.owner = m;
    } else if (name == "seq2seq" || name == "bahdanau") {
        auto m = std::make_shared<Seq2Seq>(name == "bahdanau", rng);
        c.loss = [m] { return m->loss(); };
        c.tokens_per_step = 32 * 20;
        c.owner = m;
    } else if (name == "transformer") {
        auto t = std::make_shared<TransformerBench>(rng);
        c.loss = [t] { return t->loss(); };
        c.tokens_per_step = t->batch.target_out.size();
        c.owner = std::shared_ptr<nn::Module>(t, &t->model);
    } else if (name == "gpt_small" || name == "gpt_small_infer") {
        auto m = std::make_shared<Gpt>(rng);
        const IndexArray tokens = random_tokens(rng, Gpt::V, {16, Gpt::context + 1});
        if (name == "gpt_small") {
            c.loss = [m, tokens] { return m->loss(tokens); };
        } else {
            m->eval();
            c.forward_only = [m, ids = slice_ids(tokens, 0, Gpt::context)] {
                NoGrad no_graph;
                m->features(ids);
            };
        }
        c.tokens_per_step = 16 * Gpt::context;
        c.owner = m;
    } else {  // finetune_head
        auto m = std::make_shared<FinetuneHead>(rng);
        m->body.eval();
        const IndexArray ids = random_tokens(rng, Gpt::V, {32, 64}), labels = random_tokens(rng, 2, {32});
        c.loss = [m, ids, labels] { return m->loss(ids, labels); };
        c.tokens_per_step = 32 * 64;
        c.owner = m;
    }
    c.model = c.owner.get();
    return c;
}

}  // namespace

int main(int argc, char** argv) try {
    const std::vector<std::string> configs = {"rnn_lm",    "seq2seq",         "bahdanau",     "transformer",
                                              "gpt_small", "gpt_small_infer", "finetune_head"};
    cli::Options opt;
    opt.steps = 30;
    std::string config;
    int warmup = 5;
    int soak_steps = 0;
    cli::Parser cli("bench", "Milliseconds per training step, configured as the PyTorch peers", opt);
    std::vector<std::string> choices = configs;
    choices.insert(choices.begin(), "");
    cli.add_choice(
        "--config", config, choices,
        "one model configuration (as in tests/perf/torch_peer.py); default: all, each in its own process");
    cli.add_option("--warmup", warmup, "untimed steps before timing");
    cli.add_option("--soak", soak_steps,
                   "train this many steps, timing nothing, and fail unless memory stays flat (0: off)");
    if (auto code = cli.parse(argc, argv)) return *code;
    if (config.empty()) {  // every configuration, each in a fresh process of this program
        int failed = 0;
        for (const auto& name : configs) {
            std::string command = "'" + std::string(argv[0]) + "' --config " + name;
            for (int i = 1; i < argc; ++i) command += std::string(" '") + argv[i] + "'";
            failed += std::system(command.c_str()) != 0;
        }
        return failed ? 1 : 0;
    }

    Rng rng(opt.seed);
    Config c = make_config(config, rng);
    std::unique_ptr<optim::Adam> adam;
    if (c.loss) adam = std::make_unique<optim::Adam>(*c.model, optim::AdamOptions{1e-3f});
    auto step = [&] {
        if (!c.loss) {
            c.forward_only();
            return 0.0f;
        }
        c.model->zero_grad();
        Tensor loss = c.loss();
        loss.backward();
        adam->step();
        return loss.item();
    };
    for (int i = 0; i < warmup + 1; ++i) step();
    if (soak_steps > 0) return soak(step, soak_steps) ? 0 : 1;
    std::vector<double> ms;
    float last = 0.0f;
    const std::uint64_t flops_before = gemm_flops();
    for (int i = 0; i < opt.steps; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        last = step();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    const double flops_per_step = double(gemm_flops() - flops_before) / double(opt.steps);
    std::sort(ms.begin(), ms.end());
    const double median =
        ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
    const double rss = peak_rss_mb();
    nlohmann::json result = {{"config", config},
                             {"threads", opt.threads},
                             {"median_ms", median},
                             {"min_ms", ms.front()},
                             {"p90_ms", ms[static_cast<std::size_t>(0.9 * double(ms.size() - 1))]},
                             {"steps", opt.steps},
                             {"warmup", warmup + 1},
                             {"params", c.model->num_parameters()},
                             {"tokens_per_step", c.tokens_per_step},
                             {"matmul_flops_per_step", flops_per_step},
                             {"gflops", flops_per_step / (median * 1e-3) / 1e9},
                             {"peak_rss_mb", rss},
                             {"last_loss", last},
                             {"blas", blas::to_json(blas::info())}};
    std::cout << "RESULT " << result.dump() << "\n"
              << "config=" << config << " threads=" << opt.threads << " ms_per_step=" << median
              << " peak_rss_mb=" << rss << std::endl;
    return 0;
} catch (const dikkat::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
