"""Dikkat's transformer language model (lib/dikkat/lm/transformer_lm.hpp) in plain PyTorch.

The modules carry Dikkat's names, so a state dict's keys are a checkpoint's tensor names:
embed.weight, positions.table.weight (learned positions only), layers.N.{norm1, attention.{query,
key, value, output}, norm2, ff.{up, down}}.{weight, bias}, norm.{weight, bias}, head.bias.
Two differences in storage, none in the math:
  - Dikkat's Linear keeps W as (in, out) and computes x W; nn.Linear keeps (out, in) and computes
    x W^T. Every Linear weight is transposed on the way in and on the way out.
  - The output layer is tied to the embedding: there is no head.weight, only embed.weight.

    import torch
    from dikkat_torch import load_dikkat
    model, vocab = load_dikkat("runs/05_gpt_vs_bert/gpt.safetensors")
    ids = torch.tensor([[vocab.index(w) for w in "the film was".split()]])
    logits = model(ids)            # (1, 3, V), the same numbers Dikkat computes

Needs only torch (the safetensors reader and writer are below, a dozen lines each).
B batch, T positions, D model size, H heads, d = D / H, V vocabulary
"""
import json
import math
import struct

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.output = (nn.Linear(dim, dim) for _ in range(4))

    def forward(self, x, keep=None):  # x (B, T, D); keep broadcasts to (B, H, T, T), 1 = may read
        B, T, D = x.shape
        q, k, v = (f(x).view(B, T, self.heads, D // self.heads).transpose(1, 2)  # (B, H, T, d)
                   for f in (self.query, self.key, self.value))
        scores = q @ k.transpose(-2, -1) / math.sqrt(D // self.heads)  # (B, H, T, T)
        if keep is not None:
            scores = scores.masked_fill(keep == 0, -1e9)
        y = scores.softmax(-1) @ v  # (B, H, T, d)
        return self.output(y.transpose(1, 2).reshape(B, T, D))  # heads side by side, mixed


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.up, self.down = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.down(torch.relu(self.up(x)))


class EncoderLayer(nn.Module):  # pre-LN: x + attention(LN(x)), then x + ff(LN(x))
    def __init__(self, dim, heads, ff, dropout):
        super().__init__()
        self.norm1, self.attention = nn.LayerNorm(dim), MultiHeadAttention(dim, heads)
        self.norm2, self.ff = nn.LayerNorm(dim), FeedForward(dim, ff)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, keep=None):
        x = x + self.drop(self.attention(self.norm1(x), keep))
        return x + self.drop(self.ff(self.norm2(x)))


class PositionalEncoding(nn.Module):
    def __init__(self, kind, context, dim):
        super().__init__()
        if kind == "learned":
            self.table = nn.Embedding(context, dim)
        else:  # sinusoidal: PE(t, 2i) = sin(t / 10000^(2i/D)), PE(t, 2i+1) = cos(...), not saved
            t = torch.arange(context, dtype=torch.float64)[:, None]
            angle = t * 10000.0 ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)  # (T, D/2)
            fixed = torch.stack([angle.sin(), angle.cos()], dim=-1).reshape(context, dim)
            self.register_buffer("fixed", fixed.float(), persistent=False)

    def forward(self, x):  # x (B, T, D)
        T = x.shape[1]
        return x + (self.table.weight[:T] if hasattr(self, "table") else self.fixed[:T])


class TiedHead(nn.Module):  # logits = h W^T + b, W the token embedding's own (V, D) matrix
    def __init__(self, vocab):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, h, weight):
        return h @ weight.T + self.bias


class TransformerLM(nn.Module):
    """lm::TransformerLM: TransformerLM(objective="gpt", vocab=V, dim=..., ...), the keys of the
    checkpoint's config (lm::LMConfig, with its defaults)."""

    def __init__(self, objective="gpt", vocab=0, dim=128, heads=4, ff=512, layers=2, context=64,
                 positions="learned", dropout=0.1):
        super().__init__()
        if objective not in ("gpt", "bert") or positions not in ("learned", "sinusoidal"):
            raise ValueError(f"objective {objective!r} (gpt or bert), positions {positions!r} "
                             "(learned or sinusoidal)")
        self.config = dict(objective=objective, vocab=vocab, dim=dim, heads=heads, ff=ff,
                           layers=layers, context=context, positions=positions, dropout=dropout)
        self.embed = nn.Embedding(vocab, dim)
        self.positions = PositionalEncoding(positions, context, dim)
        self.layers = nn.ModuleList(EncoderLayer(dim, heads, ff, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.head = TiedHead(vocab)
        for p in (self.embed.weight, *self.positions.parameters()):  # GPT-2's start, as Dikkat's
            nn.init.normal_(p, std=0.02)

    def forward(self, ids, keep=None):  # ids (B, T); keep (B, T): 1 a token, 0 padding
        T = ids.shape[1]
        x = self.positions(self.embed(ids))  # (B, T, D)
        mask = keep[:, None, None, :] if keep is not None else None  # (B, 1, 1, T): padded keys
        if self.config["objective"] == "gpt":  # causal: position t reads positions <= t
            causal = torch.tril(torch.ones(T, T, device=ids.device))  # (T, T)
            mask = causal if mask is None else causal * mask
        for layer in self.layers:
            x = layer(x, mask)
        return self.head(self.norm(x), self.embed.weight)  # (B, T, V)


def linear_weights(model):
    """Names of the nn.Linear weights: stored (out, in) here, (in, out) in Dikkat."""
    return {f"{name}.weight" for name, m in model.named_modules() if isinstance(m, nn.Linear)}


def read_safetensors(path):
    """-> ({name: float32 tensor}, {metadata key: string})"""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))  # the header's length, u64 little-endian
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}; Dikkat writes F32")
        begin, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = flat.reshape(info["shape"])
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """tensors {name: tensor}, written as F32 back to back; metadata {key: string}."""
    header, blobs, at = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        blob = t.detach().to(torch.float32).contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(blob)]}
        blobs.append(blob)
        at += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-(8 + len(text)) % 8)  # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_dikkat(path):
    """A checkpoint lm::save_lm wrote -> (TransformerLM in eval mode, vocabulary as a list of words)."""
    tensors, meta = read_safetensors(path)
    if meta.get("kind", "transformer_lm") != "transformer_lm" or "config" not in meta:
        raise ValueError(f"{path}: not a Dikkat language model (kind {meta.get('kind')!r})")
    model = TransformerLM(**json.loads(meta["config"]))
    transposed = linear_weights(model)
    model.load_state_dict({k: v.T if k in transposed else v for k, v in tensors.items()}, strict=True)
    return model.eval(), json.loads(meta["vocabulary"])


def save_dikkat(model, vocab, path, lesson="pytorch"):
    """Writes `model` as lm::load_lm reads it: Dikkat's names, Linear weights as (in, out)."""
    if len(vocab) != model.config["vocab"]:
        raise ValueError(f"the vocabulary has {len(vocab)} words, the model {model.config['vocab']}")
    transposed = linear_weights(model)
    tensors = {k: v.T if k in transposed else v for k, v in model.state_dict().items()}
    write_safetensors(path, tensors, {"lesson": lesson, "kind": "transformer_lm",
                                      "config": json.dumps(model.config), "vocabulary": json.dumps(vocab)})
