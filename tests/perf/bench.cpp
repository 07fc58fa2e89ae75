// Training-step benchmark, configured exactly as ../shared/peers/torch_peers.py so the two can
// be compared side by side (tests/perf/compare runs both in one go).
//
// One step = zero_grad -> forward -> cross-entropy -> backward -> Adam step, float32; we
// report the median (and min / p90) milliseconds over the timed steps after warm-up, and the
// peak resident memory. Output: a line "RESULT {json}" in the peer script's format, with a
// "blas" object: the OpenBLAS core and threads the time was measured with.
//
// Run: ./build/tests/perf/bench --config rnn_lm [--threads 1] [--steps 30] [--warmup 5]
//
// Configs so far: rnn_lm, transformer. (seq2seq, bahdanau and the GPT configs join as their
// lessons bring them.)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include <dikkat/blas.hpp>
#include <dikkat/cli/cli.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>

using namespace dikkat;

namespace {

// B batch, T time, E embedding, H hidden, V vocabulary
struct RnnLM : nn::Module {
    nn::Embedding emb;
    nn::Linear i2h, h2h, out;
    std::size_t H;
    RnnLM(std::size_t V, std::size_t E, std::size_t hidden, Rng& rng)
        : emb(V, E, rng), i2h(E, hidden, rng), h2h(hidden, hidden, rng), out(hidden, V, rng), H(hidden) {
        register_module("emb", emb);
        register_module("i2h", i2h);
        register_module("h2h", h2h);
        register_module("out", out);
    }
    // tokens (B, T+1): predict tokens[:, 1:] from tokens[:, :-1]
    Tensor loss(const IndexArray& tokens) const {
        const std::size_t B = tokens.shape()[0], T = tokens.shape()[1] - 1;
        IndexArray x = xt::view(tokens, xt::all(), xt::range(0, T));
        IndexArray y = xt::view(tokens, xt::all(), xt::range(1, T + 1));
        Tensor e = emb(x);    // (B, T, E)
        Tensor xin = i2h(e);  // (B, T, H): the input projection of every step at once
        Tensor h = zeros({B, H});
        std::vector<Tensor> hs;
        for (std::size_t t = 0; t < T; ++t) {
            h = tanh(select(xin, 1, t) + h2h(h));  // (B, H)
            hs.push_back(h);
        }
        Tensor logits = out(stack(hs, 1));  // (B, T, V)
        return cross_entropy(logits, y);
    }
};

// The peer's "transformer": an encoder-decoder, pre-LN, D 64, 4 heads, FF 256, 2 + 2 layers,
// sinusoidal positions, no dropout, vocabulary 64, 32 pairs of 20 source and 20 target tokens,
// no padding (so no padding mask), the loss over every target position.
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
        const std::size_t B = 32, S = 20, T = 20;
        batch.source = IndexArray(IndexArray::shape_type{B, S});
        batch.target_in = IndexArray(IndexArray::shape_type{B, T});
        batch.target_out = IndexArray(IndexArray::shape_type{B, T});
        for (auto* ids : {&batch.source, &batch.target_in, &batch.target_out})
            for (auto& id : *ids) id = static_cast<Index>(rng.below(64));
    }
    Tensor loss() const { return cross_entropy(model.forward(batch), batch.target_out); }
};

double peak_rss_mb() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return static_cast<double>(r.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.steps = 30;
    std::string config = "rnn_lm";
    int warmup = 5;
    cli::Parser cli("bench", "Milliseconds per training step, configured as the PyTorch peers", opt);
    cli.add_choice("--config", config, {"rnn_lm", "transformer"},
                   "model configuration (see ../shared/peers/README.md)");
    cli.add_option("--warmup", warmup, "untimed steps before timing");
    if (auto code = cli.parse(argc, argv)) return *code;

    Rng rng(opt.seed);
    const std::size_t V = 64, E = 32, H = 128, B = 32, T = 32;
    // Each configuration: a model (for its parameters) and its loss on one fixed batch.
    std::unique_ptr<RnnLM> lm;
    std::unique_ptr<TransformerBench> transformer;
    IndexArray tokens(IndexArray::shape_type{B, T + 1});
    nn::Module* model = nullptr;
    std::function<Tensor()> loss_of;
    std::size_t tokens_per_step = 0;
    if (config == "rnn_lm") {
        lm = std::make_unique<RnnLM>(V, E, H, rng);
        for (auto& id : tokens) id = static_cast<Index>(rng.below(V));
        model = lm.get();
        loss_of = [&] { return lm->loss(tokens); };
        tokens_per_step = B * T;
    } else {
        transformer = std::make_unique<TransformerBench>(rng);
        model = &transformer->model;
        loss_of = [&] { return transformer->loss(); };
        tokens_per_step = transformer->batch.target_out.size();
    }
    optim::Adam adam(*model, {1e-3f});
    auto step = [&] {
        model->zero_grad();
        Tensor loss = loss_of();
        loss.backward();
        adam.step();
        return loss.item();
    };
    for (int i = 0; i < warmup + 1; ++i) step();
    std::vector<double> ms;
    float last = 0.0f;
    for (int i = 0; i < opt.steps; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        last = step();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const double median =
        ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
    nlohmann::json result = {{"config", config},
                             {"threads", opt.threads},
                             {"median_ms", median},
                             {"min_ms", ms.front()},
                             {"p90_ms", ms[static_cast<std::size_t>(0.9 * double(ms.size() - 1))]},
                             {"steps", opt.steps},
                             {"warmup", warmup + 1},
                             {"params", model->num_parameters()},
                             {"tokens_per_step", tokens_per_step},
                             {"peak_rss_mb", peak_rss_mb()},
                             {"last_loss", last},
                             {"blas", blas::to_json(blas::info())}};
    std::cout << "RESULT " << result.dump() << std::endl;
    return 0;
} catch (const dikkat::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
