"""Writes "fine-tuned" copies of two parity fixtures for the merge tests and notebook 04.

A merge combines models fine-tuned from one base. These folders stand in for such models: every
tensor of the base fixture plus a fixed-seed Gaussian delta, N(0, 0.02^2) on every entry, with a
sparse larger part (5% of entries get N(0, 0.1^2) more) so that magnitude trimming has something to
find. config.json and the tokenizer files are copied unchanged. Needs only numpy.

    python3 make_tuned.py          # from this folder; rewrites the three *-tuned* folders

Outputs (F32, one model.safetensors each):
    gpt2-tiny-tuned      from gpt2-tiny,  seed 3001
    llama-tiny-tuned-a   from llama-tiny, seed 3002
    llama-tiny-tuned-b   from llama-tiny, seed 3003
"""
import json
import shutil
import struct
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
COPIED = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json"]


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
    return tensors


def write(path, tensors):
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    names = sorted(tensors)
    for name in names:
        size = tensors[name].size * 4
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in names:
            f.write(tensors[name].astype("<f4").tobytes())


def tune(source, target, seed):
    rng = np.random.default_rng(seed)
    tensors = read(HERE / source / "model.safetensors")
    tuned = {}
    for name in sorted(tensors):
        base = tensors[name].astype(np.float64)
        delta = rng.normal(0.0, 0.02, base.shape)
        sparse = rng.random(base.shape) < 0.05
        delta += sparse * rng.normal(0.0, 0.1, base.shape)
        tuned[name] = (base + delta).astype(np.float32)
    out = HERE / target
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    for name in COPIED:
        if (HERE / source / name).exists():
            shutil.copy(HERE / source / name, out / name)
    write(out / "model.safetensors", tuned)
    print(target, len(tuned), "tensors")


if __name__ == "__main__":
    tune("gpt2-tiny", "gpt2-tiny-tuned", 3001)
    tune("llama-tiny", "llama-tiny-tuned-a", 3002)
    tune("llama-tiny", "llama-tiny-tuned-b", 3003)
