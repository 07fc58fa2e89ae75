#!/usr/bin/env python3
"""Dikkat and PyTorch compute the same language model, both directions.

    test_interop.py --tool build/tests/interop/dikkat_lm_logits [checkpoint.safetensors ...]

For GPT and BERT, with learned and with sinusoidal positions:
  dikkat->torch  Dikkat writes a random model (dikkat_lm_logits --init) and its logits on fixed
                 ids; dikkat_torch.load_dikkat reads the model and PyTorch computes the same logits.
  torch->dikkat  PyTorch builds a random model (LayerNorms and the head's bias moved away from
                 1 and 0, so that they count), dikkat_torch.save_dikkat writes it, and Dikkat's
                 logits from that file must be PyTorch's.
Each checkpoint given (lesson 5's trained GPT and BERT) is checked both ways too: read by
PyTorch, and written back by PyTorch for Dikkat to read.
Passes when max |dikkat - torch| / max |dikkat| <= 1e-4 in every case. Exits 77 (ctest: skipped)
when torch cannot be imported.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError as e:
    print(f"SKIP: 'import torch' fails under {sys.executable} ({e}). Install Debian's PyTorch "
          "(apt-get install python3-torch); if another python3 comes first on PATH, configure with "
          "-DPython3_EXECUTABLE=/usr/bin/python3.")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dikkat_torch import TransformerLM, load_dikkat, read_safetensors, save_dikkat  # noqa: E402

TOLERANCE = 1e-4
SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>", "<mask>"]  # ids 0-4 of every Dikkat vocabulary
SMALL = dict(vocab=40, dim=32, heads=4, ff=48, layers=2, context=12, dropout=0.1)  # a random model


def run_tool(tool, *args):
    done = subprocess.run([tool, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {os.path.basename(tool)} {' '.join(args)}\n{done.stdout}{done.stderr}")


def dikkat_logits(tool, checkpoint, ids, folder):
    """Dikkat's logits (B, T, V) for ids (B, T), computed by the checkpoint it reads."""
    out = os.path.join(folder, "logits.safetensors")
    run_tool(tool, "--checkpoint", checkpoint, "--ids", " ".join(map(str, ids.flatten().tolist())),
             "--batch-rows", str(ids.shape[0]), "--out", out)
    return read_safetensors(out)[0]["logits"]


def fixed_ids(config, seed):
    """2 rows of random ids, as many as the context holds (at most 24 per row)."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(0, config["vocab"], (2, min(config["context"], 24)), generator=generator)


def compare(label, direction, dikkat, torch_logits):
    """Prints the largest relative difference; returns whether it is within the tolerance."""
    if dikkat.shape != torch_logits.shape:
        print(f"FAIL {label}  {direction}  shapes differ: Dikkat {tuple(dikkat.shape)}, "
              f"PyTorch {tuple(torch_logits.shape)}")
        return False
    diff = ((dikkat - torch_logits).abs().max() / dikkat.abs().max()).item()
    ok = diff <= TOLERANCE
    print(f"{'ok  ' if ok else 'FAIL'} {label:<33} {direction}  max rel diff {diff:.1e}"
          + ("" if ok else f"  (more than {TOLERANCE:g})"))
    return ok


def perturb(model, seed):
    """LayerNorm weights and biases, and the head's bias, away from PyTorch's 1 and 0."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name or name == "head.bias":
                p.add_(0.3 * torch.randn(p.shape, generator=generator))


def torch_to_dikkat(tool, model, vocab, label, ids, folder):
    path = os.path.join(folder, "from_torch.safetensors")
    save_dikkat(model, vocab, path)
    with torch.no_grad():
        expected = model.eval()(ids)
    return compare(label, "torch->dikkat", dikkat_logits(tool, path, ids, folder), expected)


def dikkat_to_torch(tool, path, label, ids, folder):
    model, _ = load_dikkat(path)
    with torch.no_grad():
        return compare(label, "dikkat->torch", dikkat_logits(tool, path, ids, folder), model(ids))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", required=True, help="the dikkat_lm_logits program")
    parser.add_argument("checkpoints", nargs="*", help="lm::save_lm checkpoints to check too")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="dikkat-interop-") as folder:
        seed = 0
        for objective in ("gpt", "bert"):
            for positions in ("learned", "sinusoidal"):
                seed += 1
                config = dict(SMALL, objective=objective, positions=positions)
                label = f"{objective} {positions}"
                ids = fixed_ids(config, seed)
                path = os.path.join(folder, "from_dikkat.safetensors")
                run_tool(args.tool, "--init", json.dumps(config), "--seed", str(seed), "--save", path)
                ok &= dikkat_to_torch(args.tool, path, label, ids, folder)

                torch.manual_seed(seed)
                model = TransformerLM(**config)
                perturb(model, seed)
                vocab = SPECIALS + [f"w{i}" for i in range(len(SPECIALS), config["vocab"])]
                ok &= torch_to_dikkat(args.tool, model, vocab, label, ids, folder)

        for path in args.checkpoints:
            if not os.path.exists(path):
                sys.exit(f"FAIL: {path}: no such checkpoint (lesson 5's --quick run writes it)")
            model, vocab = load_dikkat(path)
            label = f"{model.config['objective']} {model.config['positions']} ({os.path.basename(path)})"
            ids = fixed_ids(model.config, seed=100)
            ok &= dikkat_to_torch(args.tool, path, label, ids, folder)
            ok &= torch_to_dikkat(args.tool, model, vocab, label, ids, folder)
    if not ok:
        sys.exit(f"FAIL: Dikkat and PyTorch disagree beyond {TOLERANCE:g} (relative to the largest logit); "
                 "see the cases marked FAIL above")
    print("Dikkat and PyTorch compute the same logits, both directions")


if __name__ == "__main__":
    main()
