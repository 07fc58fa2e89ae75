// The models of torch_peer (see torch_peer.cpp): the PyTorch peers of tests/perf/bench in
// libtorch's C++ frontend, layer for layer as tests/perf/torch_peer.py builds them, and
// make(), which builds one configuration with its data.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace torch_peer {

namespace nn = torch::nn;
namespace F = torch::nn::functional;
using torch::Tensor;
using torch::indexing::None;
using torch::indexing::Slice;

// x W^T + b as Python's F.linear computes it: aten::linear, one addmm (bias folded into the
// GEMM) for 2-D and contiguous 3-D inputs. libtorch 1.13's nn::Linear::forward instead does
// matmul + a separate in-place bias add whenever the input is not 2-D: an extra op and an
// extra autograd node per call, and other rounding once K spans several OpenBLAS blocks. The
// nn::Linear modules are kept for their parameters and initialisation; every call goes here.
inline Tensor linear(const nn::Linear& layer, const Tensor& x) {
    return torch::linear(x, layer->weight, layer->bias);
}

// A hand-unrolled tanh RNN, as the Python peer writes it: h_t = tanh(i2h x_t + h2h h_{t-1}) from
// h = 0, over the T steps of e (B, T, E). Every h_t, each (B, H).
inline std::vector<Tensor> tanh_rnn(const nn::Linear& i2h, const nn::Linear& h2h, const Tensor& e,
                                    int64_t H) {
    Tensor h = torch::zeros({e.size(0), H}, e.options());
    std::vector<Tensor> hs;
    for (int64_t t = 0; t < e.size(1); ++t) {
        h = torch::tanh(linear(i2h, e.select(1, t)) + linear(h2h, h));  // (B, H)
        hs.push_back(h);
    }
    return hs;
}

// Cross-entropy over every position: logits (..., V), labels (...).
inline Tensor cross_entropy_all(const Tensor& logits, const Tensor& labels) {
    return F::cross_entropy(logits.reshape({-1, logits.size(-1)}), labels.reshape({-1}));
}

// ---------------------------------------------------------------------------------------------
// Models. Shapes: B batch, T time, S source length, E embedding, H hidden, A attention,
// V vocabulary, D model width. Submodules are created in the Python's order, so that they
// draw the same initial values from the global generator.
// ---------------------------------------------------------------------------------------------

// rnn_lm: tanh RNN language model, hand-unrolled; V 64, E 32, H 128.
//   h_t = tanh(i2h(x_t) + h2h(h_{t-1})), logits_t = out(h_t)
struct RnnLM : nn::Module {
    int64_t H;
    nn::Embedding emb{nullptr};  // V -> E
    nn::Linear i2h{nullptr};     // E -> H
    nn::Linear h2h{nullptr};     // H -> H
    nn::Linear out{nullptr};     // H -> V
    RnnLM(int64_t V, int64_t E, int64_t hidden) : H(hidden) {
        emb = register_module("emb", nn::Embedding(V, E));
        i2h = register_module("i2h", nn::Linear(E, H));
        h2h = register_module("h2h", nn::Linear(H, H));
        out = register_module("out", nn::Linear(H, V));
    }
    // tokens (B, T+1): predict tokens[:, 1:] from tokens[:, :-1].
    Tensor forward(const Tensor& tokens) {
        Tensor x = tokens.index({Slice(), Slice(None, -1)});
        Tensor y = tokens.index({Slice(), Slice(1, None)});
        Tensor hs = torch::stack(tanh_rnn(i2h, h2h, emb(x), H), 1);  // (B, T, H)
        return cross_entropy_all(linear(out, hs), y);
    }
};

// seq2seq / bahdanau: tanh-RNN encoder-decoder, hand-unrolled, teacher forcing; V 64, E 32,
// H 128 (A 128). The decoder starts from the last encoder state. With attention (Bahdanau,
// additive): score_j = v . tanh(W_q s_{t-1} + W_k h_j), context = sum_j softmax(score)_j h_j,
// concatenated to the decoder's input embedding (so dec_i2h takes E + H).
struct Seq2Seq : nn::Module {
    int64_t H;
    bool attention;
    nn::Embedding src_emb{nullptr}, tgt_emb{nullptr};  // V -> E
    nn::Linear enc_i2h{nullptr};                       // E -> H
    nn::Linear enc_h2h{nullptr};                       // H -> H
    nn::Linear dec_i2h{nullptr};                       // E (+ H with attention) -> H
    nn::Linear dec_h2h{nullptr};                       // H -> H
    nn::Linear out{nullptr};                           // H -> V
    nn::Linear W_q{nullptr}, W_k{nullptr};             // H -> A, no bias
    nn::Linear v{nullptr};                             // A -> 1, no bias
    Seq2Seq(int64_t V, int64_t E, int64_t hidden, int64_t A, bool with_attention)
        : H(hidden), attention(with_attention) {
        src_emb = register_module("src_emb", nn::Embedding(V, E));
        tgt_emb = register_module("tgt_emb", nn::Embedding(V, E));
        enc_i2h = register_module("enc_i2h", nn::Linear(E, H));
        enc_h2h = register_module("enc_h2h", nn::Linear(H, H));
        dec_i2h = register_module("dec_i2h", nn::Linear(attention ? E + H : E, H));
        dec_h2h = register_module("dec_h2h", nn::Linear(H, H));
        out = register_module("out", nn::Linear(H, V));
        if (attention) {
            W_q = register_module("W_q", nn::Linear(nn::LinearOptions(H, A).bias(false)));
            W_k = register_module("W_k", nn::Linear(nn::LinearOptions(H, A).bias(false)));
            v = register_module("v", nn::Linear(nn::LinearOptions(A, 1).bias(false)));
        }
    }
    // src (B, S); tgt (B, T+1) with tgt[:, 0] the BOS.
    Tensor forward(const Tensor& src, const Tensor& tgt) {
        std::vector<Tensor> enc = tanh_rnn(enc_i2h, enc_h2h, src_emb(src), H);  // each (B, H)
        Tensor h = enc.back();
        Tensor dec_in = tgt.index({Slice(), Slice(None, -1)});
        Tensor labels = tgt.index({Slice(), Slice(1, None)});
        Tensor te = tgt_emb(dec_in);  // (B, T, E)
        Tensor s = h;                 // the decoder starts from the last encoder state
        Tensor Hs, K;
        if (attention) {
            Hs = torch::stack(enc, 1);  // (B, S, H)
            K = linear(W_k, Hs);        // (B, S, A), computed once
        }
        std::vector<Tensor> outs;
        for (int64_t t = 0; t < dec_in.size(1); ++t) {
            Tensor x = te.select(1, t);  // (B, E)
            if (attention) {
                Tensor q = linear(W_q, s).unsqueeze(1);                    // (B, 1, A)
                Tensor score = linear(v, torch::tanh(q + K)).squeeze(-1);  // (B, S)
                Tensor a = torch::softmax(score, 1);                       // (B, S)
                Tensor ctx = torch::bmm(a.unsqueeze(1), Hs).squeeze(1);    // (B, H)
                x = torch::cat({x, ctx}, 1);                               // (B, E + H)
            }
            s = torch::tanh(linear(dec_i2h, x) + linear(dec_h2h, s));  // (B, H)
            outs.push_back(s);
        }
        Tensor logits = linear(out, torch::stack(outs, 1));  // (B, T, V)
        return cross_entropy_all(logits, labels);
    }
};

// Sinusoidal positions (n, d): even columns sin(pos * div), odd columns cos(pos * div).
inline Tensor sinusoid(int64_t n, int64_t d) {
    Tensor pos = torch::arange(n, torch::kFloat32).unsqueeze(1);
    Tensor div =
        torch::exp(torch::arange(0, d, 2, torch::kFloat32) * (-std::log(10000.0) / static_cast<double>(d)));
    Tensor pe = torch::zeros({n, d});
    pe.index_put_({Slice(), Slice(0, None, 2)}, torch::sin(pos * div));
    pe.index_put_({Slice(), Slice(1, None, 2)}, torch::cos(pos * div));
    return pe;
}

// Additive causal mask (n, n): -inf above the diagonal, 0 elsewhere.
Tensor causal_mask(int64_t n) { return torch::triu(torch::full({n, n}, -INFINITY), 1); }

// Own multi-head attention: separate q/k/v/o Linear(D, D), matmul + softmax.
struct MultiHeadAttention : nn::Module {
    int64_t h, dk;
    nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};  // D -> D each
    MultiHeadAttention(int64_t d, int64_t heads) : h(heads), dk(d / heads) {
        q = register_module("q", nn::Linear(d, d));
        k = register_module("k", nn::Linear(d, d));
        v = register_module("v", nn::Linear(d, d));
        o = register_module("o", nn::Linear(d, d));
    }
    // x (B, Tq, D) attends to mem (B, Tk, D); mask: additive (Tq, Tk), or undefined for none.
    Tensor forward(const Tensor& x, const Tensor& mem, const Tensor& mask = {}) {
        const int64_t B = x.size(0), Tq = x.size(1), D = x.size(2), Tk = mem.size(1);
        Tensor Q = linear(q, x).view({B, Tq, h, dk}).transpose(1, 2);    // (B, h, Tq, dk)
        Tensor K = linear(k, mem).view({B, Tk, h, dk}).transpose(1, 2);  // (B, h, Tk, dk)
        Tensor V = linear(v, mem).view({B, Tk, h, dk}).transpose(1, 2);  // (B, h, Tk, dk)
        Tensor att =
            torch::matmul(Q, K.transpose(-2, -1)) / std::sqrt(static_cast<double>(dk));  // (B, h, Tq, Tk)
        if (mask.defined()) att = att + mask;
        att = torch::softmax(att, -1);
        Tensor y = torch::matmul(att, V);                         // (B, h, Tq, dk)
        return linear(o, y.transpose(1, 2).reshape({B, Tq, D}));  // (B, Tq, D)
    }
};

// Feed-forward: Linear(D, FF) -> ReLU -> Linear(FF, D).
struct FeedForward : nn::Module {
    nn::Linear l1{nullptr}, l2{nullptr};
    FeedForward(int64_t d, int64_t ff) {
        l1 = register_module("l1", nn::Linear(d, ff));
        l2 = register_module("l2", nn::Linear(ff, d));
    }
    Tensor forward(const Tensor& x) { return linear(l2, torch::relu(linear(l1, x))); }
};

// Pre-LN encoder layer (also the GPT block): x + att(ln1 x), then + ff(ln2 x).
struct EncLayer : nn::Module {
    nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    std::shared_ptr<MultiHeadAttention> att;
    std::shared_ptr<FeedForward> ff;
    EncLayer(int64_t d, int64_t heads, int64_t d_ff) {
        ln1 = register_module("ln1", nn::LayerNorm(nn::LayerNormOptions({d})));
        att = register_module("att", std::make_shared<MultiHeadAttention>(d, heads));
        ln2 = register_module("ln2", nn::LayerNorm(nn::LayerNormOptions({d})));
        ff = register_module("ff", std::make_shared<FeedForward>(d, d_ff));
    }
    Tensor forward(Tensor x, const Tensor& mask = {}) {
        Tensor y = ln1(x);
        x = x + att->forward(y, y, mask);
        return x + ff->forward(ln2(x));
    }
};

// Pre-LN decoder layer: masked self-attention, cross-attention to the encoder's memory, FF.
struct DecLayer : nn::Module {
    nn::LayerNorm ln1{nullptr}, ln2{nullptr}, ln3{nullptr};
    std::shared_ptr<MultiHeadAttention> self_att, cross;
    std::shared_ptr<FeedForward> ff;
    DecLayer(int64_t d, int64_t heads, int64_t d_ff) {
        ln1 = register_module("ln1", nn::LayerNorm(nn::LayerNormOptions({d})));
        self_att = register_module("self_att", std::make_shared<MultiHeadAttention>(d, heads));
        ln2 = register_module("ln2", nn::LayerNorm(nn::LayerNormOptions({d})));
        cross = register_module("cross", std::make_shared<MultiHeadAttention>(d, heads));
        ln3 = register_module("ln3", nn::LayerNorm(nn::LayerNormOptions({d})));
        ff = register_module("ff", std::make_shared<FeedForward>(d, d_ff));
    }
    Tensor forward(Tensor x, const Tensor& mem, const Tensor& mask) {
        Tensor y = ln1(x);
        x = x + self_att->forward(y, y, mask);
        x = x + cross->forward(ln2(x), mem);
        return x + ff->forward(ln3(x));
    }
};

// transformer: encoder-decoder, pre-LN with a final LN on both stacks, sinusoidal positions,
// embeddings scaled by sqrt(D), no dropout, untied output Linear; V 64, D 64, 4 heads, FF 256,
// 2 + 2 layers, S = T = 20.
struct Transformer : nn::Module {
    int64_t d;
    nn::Embedding src_emb{nullptr}, tgt_emb{nullptr};  // V -> D
    Tensor pe, mask;                                   // (max(S, T), D), (T, T)
    std::vector<std::shared_ptr<EncLayer>> enc;
    std::vector<std::shared_ptr<DecLayer>> dec;
    nn::LayerNorm enc_ln{nullptr}, dec_ln{nullptr};
    nn::Linear out{nullptr};  // D -> V
    Transformer(int64_t V, int64_t d_model, int64_t heads, int64_t d_ff, int64_t enc_layers,
                int64_t dec_layers, int64_t src_len, int64_t tgt_len)
        : d(d_model) {
        src_emb = register_module("src_emb", nn::Embedding(V, d));
        tgt_emb = register_module("tgt_emb", nn::Embedding(V, d));
        pe = register_buffer("pe", sinusoid(std::max(src_len, tgt_len), d));
        mask = register_buffer("mask", causal_mask(tgt_len));
        for (int64_t i = 0; i < enc_layers; ++i)
            enc.push_back(
                register_module("enc" + std::to_string(i), std::make_shared<EncLayer>(d, heads, d_ff)));
        for (int64_t i = 0; i < dec_layers; ++i)
            dec.push_back(
                register_module("dec" + std::to_string(i), std::make_shared<DecLayer>(d, heads, d_ff)));
        enc_ln = register_module("enc_ln", nn::LayerNorm(nn::LayerNormOptions({d})));
        dec_ln = register_module("dec_ln", nn::LayerNorm(nn::LayerNormOptions({d})));
        out = register_module("out", nn::Linear(d, V));
    }
    // src (B, S); tgt (B, T+1).
    Tensor forward(const Tensor& src, const Tensor& tgt) {
        Tensor dec_in = tgt.index({Slice(), Slice(None, -1)});
        Tensor labels = tgt.index({Slice(), Slice(1, None)});
        const double scale = std::sqrt(static_cast<double>(d));
        Tensor s = src_emb(src) * scale + pe.index({Slice(None, src.size(1))});        // (B, S, D)
        Tensor t = tgt_emb(dec_in) * scale + pe.index({Slice(None, dec_in.size(1))});  // (B, T, D)
        for (auto& layer : enc) s = layer->forward(s);
        Tensor mem = enc_ln(s);
        for (auto& layer : dec) t = layer->forward(t, mem, mask);
        Tensor y = dec_ln(t);
        return cross_entropy_all(linear(out, y), labels);  // logits (B, T, V)
    }
};

// gpt_small: decoder-only causal LM, token + learned position embeddings, pre-LN blocks (own
// MHA), final LN, untied Linear head; V 96, D 128, 4 heads, 4 layers, FF 512, context 64.
struct GPT : nn::Module {
    nn::Embedding tok{nullptr};  // V -> D
    nn::Embedding pos{nullptr};  // ctx -> D
    std::vector<std::shared_ptr<EncLayer>> blocks;
    nn::LayerNorm ln_f{nullptr};
    nn::Linear head{nullptr};  // D -> V
    Tensor mask;               // (ctx, ctx)
    GPT(int64_t V, int64_t d, int64_t heads, int64_t layers, int64_t d_ff, int64_t ctx) {
        tok = register_module("tok", nn::Embedding(V, d));
        pos = register_module("pos", nn::Embedding(ctx, d));
        for (int64_t i = 0; i < layers; ++i)
            blocks.push_back(
                register_module("block" + std::to_string(i), std::make_shared<EncLayer>(d, heads, d_ff)));
        ln_f = register_module("ln_f", nn::LayerNorm(nn::LayerNormOptions({d})));
        head = register_module("head", nn::Linear(d, V));
        mask = register_buffer("mask", causal_mask(ctx));
    }
    // idx (B, T) -> features (B, T, D)
    Tensor features(const Tensor& idx) {
        const int64_t T = idx.size(1);
        Tensor x = tok(idx) + pos->weight.index({Slice(None, T)});
        Tensor m = mask.index({Slice(None, T), Slice(None, T)});
        for (auto& b : blocks) x = b->forward(x, m);
        return ln_f(x);
    }
    // tokens (B, T+1): predict tokens[:, 1:] from tokens[:, :-1].
    Tensor forward(const Tensor& tokens) {
        Tensor x = tokens.index({Slice(), Slice(None, -1)});
        Tensor y = tokens.index({Slice(), Slice(1, None)});
        return cross_entropy_all(linear(head, features(x)), y);  // logits (B, T, V)
    }
};

// finetune_head: the gpt_small body, frozen (no gradients, eval mode), mean-pooled over time,
// and a trained Linear(D, classes) head.
struct FinetuneHead : nn::Module {
    std::shared_ptr<GPT> body;
    nn::Linear head{nullptr};  // D -> classes
    FinetuneHead(int64_t V, int64_t d, int64_t heads, int64_t layers, int64_t d_ff, int64_t ctx,
                 int64_t classes) {
        body = register_module("body", std::make_shared<GPT>(V, d, heads, layers, d_ff, ctx));
        for (auto& p : body->parameters()) p.requires_grad_(false);
        body->eval();
        head = register_module("head", nn::Linear(d, classes));
    }
    // x (B, T) tokens, y (B) class labels
    Tensor forward(const Tensor& x, const Tensor& y) {
        Tensor feats;
        {
            torch::NoGradGuard no_grad;
            feats = body->features(x).mean(1);  // (B, D)
        }
        return F::cross_entropy(linear(head, feats), y);
    }
};

// ---------------------------------------------------------------------------------------------
// The configurations, as torch_peer.py's CONFIGS and make().
// ---------------------------------------------------------------------------------------------

inline const std::vector<std::string> kConfigs = {
    "rnn_lm", "seq2seq", "bahdanau", "transformer", "gpt_small", "gpt_small_infer", "finetune_head"};

struct Setup {
    std::shared_ptr<nn::Module> model;
    std::function<Tensor()> run;  // training: the loss; inference: the features
    bool train = true;
    int64_t tokens_per_step = 0;
};

inline Setup make(const std::string& name) {
    torch::manual_seed(0);  // the models' initial values
    at::Generator g = at::detail::createCPUGenerator();
    g.set_current_seed(1234);  // the data, as torch.Generator().manual_seed(1234)
    auto ri = [&g](int64_t high, std::vector<int64_t> shape) {
        return torch::randint(0, high, shape, g);  // int64, as Python's torch.randint
    };
    Setup s;
    if (name == "rnn_lm") {
        const int64_t V = 64, E = 32, H = 128, B = 32, T = 32;
        auto m = std::make_shared<RnnLM>(V, E, H);
        Tensor tokens = ri(V, {B, T + 1});
        s.model = m;
        s.run = [m, tokens] { return m->forward(tokens); };
        s.tokens_per_step = B * T;
    } else if (name == "seq2seq" || name == "bahdanau") {
        const int64_t V = 64, E = 32, H = 128, A = 128, B = 32, S = 20, T = 20;
        auto m = std::make_shared<Seq2Seq>(V, E, H, A, name == "bahdanau");
        Tensor src = ri(V, {B, S});
        Tensor tgt = ri(V, {B, T + 1});
        s.model = m;
        s.run = [m, src, tgt] { return m->forward(src, tgt); };
        s.tokens_per_step = B * T;
    } else if (name == "transformer") {
        const int64_t V = 64, D = 64, heads = 4, FF = 256, B = 32, S = 20, T = 20;
        auto m = std::make_shared<Transformer>(V, D, heads, FF, 2, 2, S, T);
        Tensor src = ri(V, {B, S});
        Tensor tgt = ri(V, {B, T + 1});
        s.model = m;
        s.run = [m, src, tgt] { return m->forward(src, tgt); };
        s.tokens_per_step = B * T;
    } else if (name == "gpt_small" || name == "gpt_small_infer") {
        const int64_t V = 96, D = 128, heads = 4, layers = 4, FF = 512, ctx = 64, B = 16;
        auto m = std::make_shared<GPT>(V, D, heads, layers, FF, ctx);
        Tensor tokens = ri(V, {B, ctx + 1});
        s.model = m;
        s.tokens_per_step = B * ctx;
        s.train = name == "gpt_small";
        if (s.train) {
            s.run = [m, tokens] { return m->forward(tokens); };
        } else {
            Tensor x = tokens;
            s.run = [m, x] { return m->features(x.index({Slice(), Slice(None, -1)})); };
        }
    } else if (name == "finetune_head") {
        const int64_t V = 96, D = 128, heads = 4, layers = 4, FF = 512, ctx = 64, B = 32, T = 64, classes = 2;
        auto m = std::make_shared<FinetuneHead>(V, D, heads, layers, FF, ctx, classes);
        Tensor x = ri(V, {B, T});
        Tensor y = ri(classes, {B});
        s.model = m;
        s.run = [m, x, y] { return m->forward(x, y); };
        s.tokens_per_step = B * T;
    }
    return s;
}

}  // namespace torch_peer
