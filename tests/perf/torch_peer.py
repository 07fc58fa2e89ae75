#!/usr/bin/python3
"""torch_peer.py: the PyTorch peers of tests/perf/bench, in eager Python PyTorch.

This is the side a learner would otherwise use: each of the seven benchmark configurations built
in plain eager PyTorch (no torch.compile,
no JIT), float32, and timed as whole training steps
    zero_grad -> forward -> cross-entropy -> backward -> Adam(lr 1e-3).step
tests/perf/torch_peer.cpp builds the very same models in libtorch's C++ frontend (same shapes,
same layer order, so the same initialisation from torch.manual_seed(0); the same random tokens
from a generator seeded 1234): the difference between the two peers is the cost of Python, the
difference to bench is Dikkat's. Their last_loss agrees to the bit.

Configs: rnn_lm, seq2seq, bahdanau, transformer, gpt_small, gpt_small_infer, finetune_head.
  gpt_small_infer  forward only, under torch.no_grad() with the model in eval mode: the step is
                   the body's features (no LM head, no loss), and "last_loss" is their mean.
  finetune_head    the gpt_small body frozen and run under torch.no_grad(), mean-pooled; only
                   the Linear(128, 2) head is trained.

Run, with Debian's interpreter (it sees python3-torch; a python3 earlier on PATH may not):
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 tests/perf/torch_peer.py --config gpt_small
        --threads 1 [--steps 30] [--warmup 5]

Threads: --threads N calls torch.set_num_threads(N) first thing (torch's OpenMP pool). But
Debian's torch does its matmuls in the *pthread* OpenBLAS, whose thread count that call does NOT
control: the caller must set OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) in the environment before
the program starts (tests/perf/compare sets both). The "blas" object of the result says which
OpenBLAS core and how many threads the time was measured with.

FLOPs are counted, not guessed: the first untimed step runs under a TorchDispatchMode that adds
up 2*M*N*K for every aten mm / addmm / bmm / baddbmm, forward and backward (elementwise ops,
softmax and Adam are not counted).

Output, as torch_peer and bench print it: the untimed warm-up steps (--warmup, plus the one that
counts FLOPs; "warmup" reports that total), then --steps timed steps; one line "RESULT {json}"
(median_ms, min_ms, p90_ms, params: every parameter of the model, trainable_params: those Adam
updates, matmul_flops_per_step, peak_rss_mb, last_loss, ...), then one line
    config=NAME threads=N ms_per_step=MEDIAN peak_rss_mb=RSS
"""
import ctypes
import json
import math
import os
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Callable

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils._python_dispatch import TorchDispatchMode
except ImportError as e:
    sys.exit("error: cannot import torch (%s): run with Debian's /usr/bin/python3 and "
             "apt-get install python3-torch" % e)


# ---------------------------------------------------------------------------------------------
# Models. Shapes: B batch, T time, S source length, E embedding, H hidden, A attention,
# V vocabulary, D model width. Submodules are created in the order torch_peer_models.hpp creates
# them, so that they draw the same initial values from the global generator.
# ---------------------------------------------------------------------------------------------

def cross_entropy_all(logits, labels):
    """Cross-entropy over every position: logits (..., V), labels (...)."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))


def tanh_rnn(i2h, h2h, e, H):
    """A hand-unrolled tanh RNN: h_t = tanh(i2h x_t + h2h h_{t-1}) from h = 0, over the T steps of
    e (B, T, E). Every h_t, each (B, H)."""
    h = e.new_zeros(e.shape[0], H)
    hs = []
    for t in range(e.shape[1]):
        h = torch.tanh(i2h(e[:, t]) + h2h(h))  # (B, H)
        hs.append(h)
    return hs


class RnnLM(nn.Module):
    """rnn_lm: tanh RNN language model, hand-unrolled; V 64, E 32, H 128.
    h_t = tanh(i2h(x_t) + h2h(h_{t-1})), logits_t = out(h_t)"""

    def __init__(self, V, E, H):
        super().__init__()
        self.H = H
        self.emb = nn.Embedding(V, E)
        self.i2h = nn.Linear(E, H)
        self.h2h = nn.Linear(H, H)
        self.out = nn.Linear(H, V)

    def forward(self, tokens):
        """tokens (B, T+1): predict tokens[:, 1:] from tokens[:, :-1]."""
        x, y = tokens[:, :-1], tokens[:, 1:]
        hs = torch.stack(tanh_rnn(self.i2h, self.h2h, self.emb(x), self.H), 1)  # (B, T, H)
        return cross_entropy_all(self.out(hs), y)


class Seq2Seq(nn.Module):
    """seq2seq / bahdanau: tanh-RNN encoder-decoder, hand-unrolled, teacher forcing; V 64, E 32,
    H 128 (A 128). The decoder starts from the last encoder state. With attention (Bahdanau,
    additive): score_j = v . tanh(W_q s_{t-1} + W_k h_j), context = sum_j softmax(score)_j h_j,
    concatenated to the decoder's input embedding (so dec_i2h takes E + H)."""

    def __init__(self, V, E, H, A, attention):
        super().__init__()
        self.H, self.attention = H, attention
        self.src_emb = nn.Embedding(V, E)
        self.tgt_emb = nn.Embedding(V, E)
        self.enc_i2h = nn.Linear(E, H)
        self.enc_h2h = nn.Linear(H, H)
        self.dec_i2h = nn.Linear(E + H if attention else E, H)
        self.dec_h2h = nn.Linear(H, H)
        self.out = nn.Linear(H, V)
        if attention:
            self.W_q = nn.Linear(H, A, bias=False)
            self.W_k = nn.Linear(H, A, bias=False)
            self.v = nn.Linear(A, 1, bias=False)

    def forward(self, src, tgt):
        """src (B, S); tgt (B, T+1) with tgt[:, 0] the BOS."""
        enc = tanh_rnn(self.enc_i2h, self.enc_h2h, self.src_emb(src), self.H)  # each (B, H)
        h = enc[-1]
        dec_in, labels = tgt[:, :-1], tgt[:, 1:]
        te = self.tgt_emb(dec_in)  # (B, T, E)
        s = h  # the decoder starts from the last encoder state
        if self.attention:
            Hs = torch.stack(enc, 1)  # (B, S, H)
            K = self.W_k(Hs)  # (B, S, A), computed once
        outs = []
        for t in range(dec_in.shape[1]):
            x = te[:, t]  # (B, E)
            if self.attention:
                q = self.W_q(s).unsqueeze(1)  # (B, 1, A)
                score = self.v(torch.tanh(q + K)).squeeze(-1)  # (B, S)
                a = torch.softmax(score, dim=1)  # (B, S)
                ctx = torch.bmm(a.unsqueeze(1), Hs).squeeze(1)  # (B, H)
                x = torch.cat([x, ctx], dim=1)  # (B, E + H)
            s = torch.tanh(self.dec_i2h(x) + self.dec_h2h(s))  # (B, H)
            outs.append(s)
        logits = self.out(torch.stack(outs, 1))  # (B, T, V)
        return cross_entropy_all(logits, labels)


def sinusoid(n, d):
    """Sinusoidal positions (n, d): even columns sin(pos * div), odd columns cos(pos * div)."""
    pos = torch.arange(n, dtype=torch.float32).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


def causal_mask(n):
    """Additive causal mask (n, n): -inf above the diagonal, 0 elsewhere."""
    return torch.triu(torch.full((n, n), float("-inf")), diagonal=1)


class MultiHeadAttention(nn.Module):
    """Own multi-head attention: separate q/k/v/o Linear(D, D), matmul + softmax."""

    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, x, mem, mask=None):
        """x (B, Tq, D) attends to mem (B, Tk, D); mask: additive (Tq, Tk), or None for none."""
        B, Tq, D = x.shape
        Tk = mem.shape[1]
        Q = self.q(x).view(B, Tq, self.h, self.dk).transpose(1, 2)  # (B, h, Tq, dk)
        K = self.k(mem).view(B, Tk, self.h, self.dk).transpose(1, 2)  # (B, h, Tk, dk)
        V = self.v(mem).view(B, Tk, self.h, self.dk).transpose(1, 2)  # (B, h, Tk, dk)
        att = torch.matmul(Q, K.transpose(-2, -1)) / math.sqrt(self.dk)  # (B, h, Tq, Tk)
        if mask is not None:
            att = att + mask
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, V)  # (B, h, Tq, dk)
        return self.o(y.transpose(1, 2).reshape(B, Tq, D))  # (B, Tq, D)


class FeedForward(nn.Module):
    """Feed-forward: Linear(D, FF) -> ReLU -> Linear(FF, D)."""

    def __init__(self, d, ff):
        super().__init__()
        self.l1 = nn.Linear(d, ff)
        self.l2 = nn.Linear(ff, d)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


class EncLayer(nn.Module):
    """Pre-LN encoder layer (also the GPT block): x + att(ln1 x), then + ff(ln2 x)."""

    def __init__(self, d, heads, d_ff):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.att = MultiHeadAttention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.ff = FeedForward(d, d_ff)

    def forward(self, x, mask=None):
        y = self.ln1(x)
        x = x + self.att(y, y, mask)
        return x + self.ff(self.ln2(x))


class DecLayer(nn.Module):
    """Pre-LN decoder layer: masked self-attention, cross-attention to the encoder's memory, FF."""

    def __init__(self, d, heads, d_ff):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.self_att = MultiHeadAttention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.cross = MultiHeadAttention(d, heads)
        self.ln3 = nn.LayerNorm(d)
        self.ff = FeedForward(d, d_ff)

    def forward(self, x, mem, mask):
        y = self.ln1(x)
        x = x + self.self_att(y, y, mask)
        x = x + self.cross(self.ln2(x), mem)
        return x + self.ff(self.ln3(x))


class Transformer(nn.Module):
    """transformer: encoder-decoder, pre-LN with a final LN on both stacks, sinusoidal positions,
    embeddings scaled by sqrt(D), no dropout, untied output Linear; V 64, D 64, 4 heads, FF 256,
    2 + 2 layers, S = T = 20."""

    def __init__(self, V, d, heads, d_ff, enc_layers, dec_layers, src_len, tgt_len):
        super().__init__()
        self.d = d
        self.src_emb = nn.Embedding(V, d)
        self.tgt_emb = nn.Embedding(V, d)
        self.register_buffer("pe", sinusoid(max(src_len, tgt_len), d))  # (max(S, T), D)
        self.register_buffer("mask", causal_mask(tgt_len))  # (T, T)
        self.enc = nn.ModuleList(EncLayer(d, heads, d_ff) for _ in range(enc_layers))
        self.dec = nn.ModuleList(DecLayer(d, heads, d_ff) for _ in range(dec_layers))
        self.enc_ln = nn.LayerNorm(d)
        self.dec_ln = nn.LayerNorm(d)
        self.out = nn.Linear(d, V)

    def forward(self, src, tgt):
        """src (B, S); tgt (B, T+1)."""
        dec_in, labels = tgt[:, :-1], tgt[:, 1:]
        scale = math.sqrt(self.d)
        s = self.src_emb(src) * scale + self.pe[:src.shape[1]]  # (B, S, D)
        t = self.tgt_emb(dec_in) * scale + self.pe[:dec_in.shape[1]]  # (B, T, D)
        for layer in self.enc:
            s = layer(s)
        mem = self.enc_ln(s)
        for layer in self.dec:
            t = layer(t, mem, self.mask)
        y = self.dec_ln(t)
        return cross_entropy_all(self.out(y), labels)  # logits (B, T, V)


class GPT(nn.Module):
    """gpt_small: decoder-only causal LM, token + learned position embeddings, pre-LN blocks (own
    MHA), final LN, untied Linear head; V 96, D 128, 4 heads, 4 layers, FF 512, context 64."""

    def __init__(self, V, d, heads, layers, d_ff, ctx):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList(EncLayer(d, heads, d_ff) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, V)
        self.register_buffer("mask", causal_mask(ctx))  # (ctx, ctx)

    def features(self, idx):
        """idx (B, T) -> features (B, T, D)"""
        T = idx.shape[1]
        x = self.tok(idx) + self.pos.weight[:T]
        m = self.mask[:T, :T]
        for b in self.blocks:
            x = b(x, m)
        return self.ln_f(x)

    def forward(self, tokens):
        """tokens (B, T+1): predict tokens[:, 1:] from tokens[:, :-1]."""
        x, y = tokens[:, :-1], tokens[:, 1:]
        return cross_entropy_all(self.head(self.features(x)), y)  # logits (B, T, V)


class FinetuneHead(nn.Module):
    """finetune_head: the gpt_small body, frozen (no gradients, eval mode), mean-pooled over time,
    and a trained Linear(D, classes) head."""

    def __init__(self, V, d, heads, layers, d_ff, ctx, classes):
        super().__init__()
        self.body = GPT(V, d, heads, layers, d_ff, ctx)
        for p in self.body.parameters():
            p.requires_grad_(False)
        self.body.eval()
        self.head = nn.Linear(d, classes)

    def forward(self, x, y):
        """x (B, T) tokens, y (B) class labels"""
        with torch.no_grad():
            feats = self.body.features(x).mean(dim=1)  # (B, D)
        return F.cross_entropy(self.head(feats), y)


# ---------------------------------------------------------------------------------------------
# The configurations, as torch_peer_models.hpp's make().
# ---------------------------------------------------------------------------------------------

CONFIGS = ["rnn_lm", "seq2seq", "bahdanau", "transformer", "gpt_small", "gpt_small_infer",
           "finetune_head"]


@dataclass
class Setup:
    model: nn.Module
    run: Callable[[], torch.Tensor]  # training: the loss; inference: the features
    train: bool
    tokens_per_step: int


def make(name):
    torch.manual_seed(0)  # the models' initial values
    g = torch.Generator().manual_seed(1234)  # the data

    def ri(high, *shape):
        return torch.randint(0, high, shape, generator=g)  # int64

    if name == "rnn_lm":
        V, E, H, B, T = 64, 32, 128, 32, 32
        m = RnnLM(V, E, H)
        tokens = ri(V, B, T + 1)
        return Setup(m, lambda: m(tokens), True, B * T)
    if name in ("seq2seq", "bahdanau"):
        V, E, H, A, B, S, T = 64, 32, 128, 128, 32, 20, 20
        m = Seq2Seq(V, E, H, A, attention=name == "bahdanau")
        src = ri(V, B, S)
        tgt = ri(V, B, T + 1)
        return Setup(m, lambda: m(src, tgt), True, B * T)
    if name == "transformer":
        V, D, heads, FF, B, S, T = 64, 64, 4, 256, 32, 20, 20
        m = Transformer(V, D, heads, FF, 2, 2, S, T)
        src = ri(V, B, S)
        tgt = ri(V, B, T + 1)
        return Setup(m, lambda: m(src, tgt), True, B * T)
    if name in ("gpt_small", "gpt_small_infer"):
        V, D, heads, layers, FF, ctx, B = 96, 128, 4, 4, 512, 64, 16
        m = GPT(V, D, heads, layers, FF, ctx)
        tokens = ri(V, B, ctx + 1)
        if name == "gpt_small":
            return Setup(m, lambda: m(tokens), True, B * ctx)
        return Setup(m, lambda: m.features(tokens[:, :-1]), False, B * ctx)
    if name == "finetune_head":
        V, D, heads, layers, FF, ctx, B, T, classes = 96, 128, 4, 4, 512, 64, 32, 64, 2
        m = FinetuneHead(V, D, heads, layers, FF, ctx, classes)
        x = ri(V, B, T)
        y = ri(classes, B)
        return Setup(m, lambda: m(x, y), True, B * T)
    raise ValueError("unknown config '%s'" % name)


# ---------------------------------------------------------------------------------------------
# Command line, measurement, report.
# ---------------------------------------------------------------------------------------------

USAGE = """\
usage: torch_peer.py --config NAME [--threads N] [--steps 30] [--warmup 5]
  Milliseconds per training step of the PyTorch peers, in eager Python PyTorch.
  --config NAME  rnn_lm | seq2seq | bahdanau | transformer | gpt_small | gpt_small_infer |
                 finetune_head (default rnn_lm)
  --threads N    torch.set_num_threads(N) (default 1); set OPENBLAS_NUM_THREADS and
                 OMP_NUM_THREADS in the environment too: Debian's torch multiplies
                 matrices in OpenBLAS, which this flag does not control
  --steps N      timed steps (default 30)
  --warmup N     untimed steps before them, plus one (default 5)
  --help         this text
Prints 'RESULT {json}' and 'config=NAME threads=N ms_per_step=X peak_rss_mb=Y'.
"""


@dataclass
class Args:
    config: str = "rnn_lm"
    threads: int = 1
    steps: int = 30
    warmup: int = 5


def usage_error(message):
    """A usage error: one line naming the bad value, the usage line, exit code 2."""
    print("error: " + message, file=sys.stderr)
    print(USAGE.splitlines()[0] + " (run 'torch_peer.py --help' for details)", file=sys.stderr)
    sys.exit(2)


def parse_int(flag, value, minimum):
    if not re.fullmatch(r"[+-]?[0-9]+", value) or int(value) < minimum:
        usage_error("%s wants an integer >= %d, got '%s'" % (flag, minimum, value))
    return int(value)


def parse_args(argv):
    a = Args()
    i = 0
    while i < len(argv):
        flag, value = argv[i], None
        if flag in ("--help", "-h"):
            print(USAGE, end="")
            sys.exit(0)
        if flag.startswith("--") and "=" in flag:
            flag, value = flag.split("=", 1)  # --flag=value
        elif flag in ("--config", "--threads", "--steps", "--warmup"):
            if i + 1 >= len(argv):
                usage_error(flag + " needs a value")
            i += 1
            value = argv[i]
        if flag == "--config":
            if value not in CONFIGS:
                usage_error("unknown config '%s'; valid configs: %s" % (value, ", ".join(CONFIGS)))
            a.config = value
        elif flag == "--threads":
            a.threads = parse_int(flag, value, 1)
        elif flag == "--steps":
            a.steps = parse_int(flag, value, 1)
        elif flag == "--warmup":
            a.warmup = parse_int(flag, value, 0)
        else:
            usage_error("unknown argument '%s'; valid flags: --config, --threads, --steps, --warmup, "
                        "--help" % argv[i])
        i += 1
    return a


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def blas_info():
    """The OpenBLAS that torch's matmuls run in, looked up among the libraries the process has
    loaded (torch loads it, we do not). None when the BLAS is not OpenBLAS. Python loads torch's
    libraries privately (RTLD_LOCAL), so the global scope, ctypes.CDLL(None), usually does not
    see OpenBLAS's symbols: then each mapped library is asked in turn (RTLD_NOLOAD: only one
    already loaded)."""
    with open("/proc/self/maps") as f:
        mapped = sorted({line.split()[-1] for line in f if ".so" in line})
    for path in [None] + mapped:
        try:
            lib = ctypes.CDLL(path, mode=os.RTLD_NOLOAD | os.RTLD_LAZY) if path else ctypes.CDLL(None)
            corename, threads = lib.openblas_get_corename, lib.openblas_get_num_threads
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        threads.restype = ctypes.c_int
        return {"library": "OpenBLAS", "core": corename().decode(), "threads": threads()}
    return None


class MatmulFlops(TorchDispatchMode):
    """Adds up 2*M*N*K for every aten mm / addmm / bmm / baddbmm run under it."""

    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        aten = torch.ops.aten
        op = func.overloadpacket
        if op in (aten.mm, aten.addmm):
            a, b = (args[0], args[1]) if op is aten.mm else (args[1], args[2])  # (M, K), (K, N)
            self.flops += 2 * a.shape[0] * a.shape[1] * b.shape[1]
        elif op in (aten.bmm, aten.baddbmm):
            a, b = (args[0], args[1]) if op is aten.bmm else (args[1], args[2])  # (n, M, K), (n, K, N)
            self.flops += 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
        return func(*args, **(kwargs or {}))


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)

    s = make(args.config)
    params = sum(p.numel() for p in s.model.parameters())
    trainable = [p for p in s.model.parameters() if p.requires_grad]
    n_trainable = sum(p.numel() for p in trainable)
    adam = torch.optim.Adam(trainable, lr=1e-3) if s.train else None
    if not s.train:
        s.model.eval()

    def step():
        if not s.train:
            with torch.no_grad():
                return s.run()
        adam.zero_grad(set_to_none=True)
        loss = s.run()
        loss.backward()
        adam.step()
        return loss

    counter = MatmulFlops()
    with counter:  # the first untimed step counts the FLOPs
        step()
    for _ in range(args.warmup):
        step()
    ms = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        out = step()
        ms.append((time.perf_counter() - t0) * 1e3)
    ms.sort()
    median = statistics.median(ms)
    rss = peak_rss_mb()

    result = {"config": args.config,
              "threads": args.threads,
              "median_ms": median,
              "min_ms": ms[0],
              "p90_ms": ms[int(0.9 * (len(ms) - 1))],
              "steps": args.steps,
              "warmup": args.warmup + 1,
              "params": params,
              "trainable_params": n_trainable,
              "tokens_per_step": s.tokens_per_step,
              "matmul_flops_per_step": counter.flops,
              "peak_rss_mb": rss,
              "last_loss": float(out.float().mean()),
              "torch": torch.__version__,
              "torch_threads": torch.get_num_threads(),
              "blas": blas_info(),
              "peer": "python"}
    print("RESULT " + json.dumps(result))
    print("config=%s threads=%d ms_per_step=%.3f peak_rss_mb=%.1f" % (args.config, args.threads, median, rss))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
