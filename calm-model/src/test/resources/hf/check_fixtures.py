#!/usr/bin/env python3
"""Checks the committed Hugging Face fixtures without torch or transformers.

Usage::

    python3 check_fixtures.py [FIXTURE_DIR]      # default: the folder of this script

Always (plain Python): parses every safetensors header (8-byte little-endian length + JSON),
checks tensor names, dtypes and shapes against what README.md documents (derived from each
config.json), checks the data offsets tile the file, the shard index, and the sha256 sums in
MANIFEST.json.

With numpy: re-computes each model's forward pass in float64 from the stored weights and
compares with reference.safetensors (an independent check that README.md's description of
the architectures and of each reference tensor is right; the references themselves come from
transformers), and checks that the BF16/F16 weights are the F32 weights rounded to nearest even.

With the `tokenizers` package: re-encodes tokenizer-reference.json's texts.
"""
import hashlib
import json
import math
import os
import struct
import sys

try:
    import numpy as np
except ImportError:  # header checks only
    np = None

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ["gpt2-tiny", "llama-tiny", "llama-tiny-sharded", "llama-tiny-bf16", "llama-tiny-f16", "qwen2-tiny"]
DT = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        h = json.loads(f.read(n))
    size = os.path.getsize(path)
    h.pop("__metadata__", None)
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in h.items())
    pos = 0
    for b, e, k in spans:
        check(b == pos, "%s: %s starts at %d, expected %d" % (path, k, b, pos))
        want = DT[h[k]["dtype"]] * math.prod(h[k]["shape"])
        check(e - b == want, "%s: %s has %d bytes, expected %d" % (path, k, e - b, want))
        pos = e
    check(8 + n + pos == size, "%s: data ends at %d, file has %d" % (path, 8 + n + pos, size))
    return h, 8 + n


def tensors(path):
    """name -> numpy array (float32 for F32/F16/BF16, exact widening; int64 for I64)."""
    h, base = header(path)
    raw = open(path, "rb").read()
    out = {}
    for k, v in h.items():
        b, e = v["data_offsets"]
        buf = raw[base + b: base + e]
        if v["dtype"] == "F32":
            a = np.frombuffer(buf, "<f4")
        elif v["dtype"] == "F16":
            a = np.frombuffer(buf, "<f2").astype(np.float32)
        elif v["dtype"] == "BF16":
            a = (np.frombuffer(buf, "<u2").astype(np.uint32) << 16).view(np.float32)
        elif v["dtype"] == "I64":
            a = np.frombuffer(buf, "<i8")
        out[k] = a.reshape(v["shape"])
    return out


def expected_weights(cfg):
    dt = {"float32": "F32", "bfloat16": "BF16", "float16": "F16"}[cfg["dtype"]]
    e = {}
    if cfg["model_type"] == "gpt2":
        d, V, P = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
        e["transformer.wte.weight"] = [V, d]
        e["transformer.wpe.weight"] = [P, d]
        e["transformer.ln_f.weight"] = e["transformer.ln_f.bias"] = [d]
        for i in range(cfg["n_layer"]):
            p = "transformer.h.%d." % i
            for ln in ("ln_1", "ln_2"):
                e[p + ln + ".weight"] = e[p + ln + ".bias"] = [d]
            e[p + "attn.c_attn.weight"], e[p + "attn.c_attn.bias"] = [d, 3 * d], [3 * d]   # Conv1D: [in, out]
            e[p + "attn.c_proj.weight"], e[p + "attn.c_proj.bias"] = [d, d], [d]
            e[p + "mlp.c_fc.weight"], e[p + "mlp.c_fc.bias"] = [d, 4 * d], [4 * d]
            e[p + "mlp.c_proj.weight"], e[p + "mlp.c_proj.bias"] = [4 * d, d], [d]
        return {k: (dt, v) for k, v in e.items()}
    d, V, I = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = d // H
    e["model.embed_tokens.weight"] = [V, d]
    e["model.norm.weight"] = [d]
    if not cfg["tie_word_embeddings"]:
        e["lm_head.weight"] = [V, d]
    for i in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % i
        e[p + "input_layernorm.weight"] = e[p + "post_attention_layernorm.weight"] = [d]
        e[p + "self_attn.q_proj.weight"] = [H * hd, d]                 # nn.Linear: [out, in]
        e[p + "self_attn.k_proj.weight"] = e[p + "self_attn.v_proj.weight"] = [KV * hd, d]
        e[p + "self_attn.o_proj.weight"] = [d, H * hd]
        if cfg["model_type"] == "qwen2":
            e[p + "self_attn.q_proj.bias"] = [H * hd]
            e[p + "self_attn.k_proj.bias"] = e[p + "self_attn.v_proj.bias"] = [KV * hd]
        e[p + "mlp.gate_proj.weight"] = e[p + "mlp.up_proj.weight"] = [I, d]
        e[p + "mlp.down_proj.weight"] = [d, I]
    return {k: (dt, v) for k, v in e.items()}


def expected_reference(cfg, B=2, T=12, G=8):
    V = cfg["vocab_size"]
    d = cfg.get("n_embd") or cfg["hidden_size"]
    L = cfg.get("n_layer") or cfg["num_hidden_layers"]
    e = {"input_ids": ("I64", [B, T]), "logits": ("F32", [B, T, V]), "final_layer_prenorm": ("F32", [B, T, d]),
         "greedy_ids": ("I64", [B, T + G]), "greedy_step_logits": ("F32", [B, G, V])}
    for k in range(L + 1):
        e["hidden_states.%d" % k] = ("F32", [B, T, d])
    return e


# ----------------------------------------------------------------------------- numpy forward passes

def softmax(x):
    x = x - x.max(-1, keepdims=True)
    y = np.exp(x)
    return y / y.sum(-1, keepdims=True)


def causal_attention(q, k, v):
    """q: [B,H,T,hd], k/v: [B,H,T,hd] -> [B,T,H*hd]; scores scaled by 1/sqrt(hd), causal mask."""
    B, H, T, hd = q.shape
    s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)
    s = np.where(np.tril(np.ones((T, T), bool)), s, -np.inf)
    o = softmax(s) @ v
    return o.transpose(0, 2, 1, 3).reshape(B, T, H * hd)


def gpt2_forward(w, cfg, ids):
    d, H, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    B, T = ids.shape
    hd = d // H

    def ln(x, p):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * w[p + ".weight"] + w[p + ".bias"]

    def gelu_new(x):
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))

    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][np.arange(T)]
    hs = [x]
    for i in range(cfg["n_layer"]):
        p = "transformer.h.%d." % i
        h = ln(x, p + "ln_1")
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]       # Conv1D: x @ W + b
        q, k, v = (t.reshape(B, T, H, hd).transpose(0, 2, 1, 3) for t in np.split(qkv, 3, axis=-1))
        x = x + causal_attention(q, k, v) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = ln(x, p + "ln_2")
        m = gelu_new(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
        hs.append(x)
    prenorm = hs.pop()
    hs.append(ln(prenorm, "transformer.ln_f"))
    return hs, prenorm, hs[-1] @ w["transformer.wte.weight"].T


def llama_forward(w, cfg, ids):
    """Llama and Qwen2 (Qwen2 = Llama + q/k/v biases here)."""
    d, H, KV, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["rms_norm_eps"]
    theta = cfg["rope_parameters"]["rope_theta"] if "rope_parameters" in cfg else cfg["rope_theta"]
    B, T = ids.shape
    hd = d // H

    def rms(x, p):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w[p]

    def lin(x, p):
        y = x @ w[p + ".weight"].T
        return y + w[p + ".bias"] if p + ".bias" in w else y

    inv = 1.0 / theta ** (np.arange(0, hd, 2) / hd)
    ang = np.arange(T)[:, None] * inv[None, :]
    cos, sin = np.cos(np.concatenate([ang, ang], -1)), np.sin(np.concatenate([ang, ang], -1))

    def rope(t):  # rotate_half convention: pairs (j, j + hd/2)
        t1, t2 = t[..., : hd // 2], t[..., hd // 2:]
        return t * cos + np.concatenate([-t2, t1], -1) * sin

    x = w["model.embed_tokens.weight"][ids]
    hs = [x]
    for i in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms(x, p + "input_layernorm.weight")
        q = lin(h, p + "self_attn.q_proj").reshape(B, T, H, hd).transpose(0, 2, 1, 3)
        k = lin(h, p + "self_attn.k_proj").reshape(B, T, KV, hd).transpose(0, 2, 1, 3)
        v = lin(h, p + "self_attn.v_proj").reshape(B, T, KV, hd).transpose(0, 2, 1, 3)
        q, k = rope(q), rope(k)
        k, v = np.repeat(k, H // KV, axis=1), np.repeat(v, H // KV, axis=1)   # q head j uses kv head j // (H/KV)
        x = x + lin(causal_attention(q, k, v), p + "self_attn.o_proj")
        h = rms(x, p + "post_attention_layernorm.weight")
        g = lin(h, p + "mlp.gate_proj")
        x = x + lin(g / (1.0 + np.exp(-g)) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
        hs.append(x)
    prenorm = hs.pop()
    hs.append(rms(prenorm, "model.norm.weight"))
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return hs, prenorm, hs[-1] @ head.T


def close(a, b, what, tol=1e-4):
    err = float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).max())
    check(err <= tol, "%s: max abs diff %.3g > %g" % (what, err, tol))
    return err


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else HERE
    manifest = json.load(open(os.path.join(root, "MANIFEST.json")))
    f32_weights = None
    for name in MODELS:
        folder = os.path.join(root, name)
        cfg = json.load(open(os.path.join(folder, "config.json")))
        for fn, entry in manifest["models"][name]["files"].items():
            p = os.path.join(folder, fn)
            check(hashlib.sha256(open(p, "rb").read()).hexdigest() == entry["sha256"], "%s/%s: sha256" % (name, fn))
        index = os.path.join(folder, "model.safetensors.index.json")
        files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
        got = {}
        for fn in files:
            h, _ = header(os.path.join(folder, fn))
            for k, v in h.items():
                check(k not in got, "%s: %s in two shards" % (name, k))
                got[k] = (v["dtype"], v["shape"])
                if os.path.exists(index):
                    check(json.load(open(index))["weight_map"][k] == fn, "%s: index places %s elsewhere" % (name, k))
        exp = expected_weights(cfg)
        check(got == exp, "%s: weight names/dtypes/shapes differ from README: %s" % (
            name, sorted(k for k in set(got) | set(exp) if got.get(k) != exp.get(k))))
        ref_h, _ = header(os.path.join(folder, "reference.safetensors"))
        ref_got = {k: (v["dtype"], v["shape"]) for k, v in ref_h.items()}
        check(ref_got == expected_reference(cfg), "%s: reference tensors differ from README" % name)
        tok_vocab = len(json.load(open(os.path.join(folder, "tokenizer.json")))["model"]["vocab"])
        added = [t for t in json.load(open(os.path.join(folder, "tokenizer.json")))["added_tokens"]
                 if t["content"] not in json.load(open(os.path.join(folder, "tokenizer.json")))["model"]["vocab"]]
        check(tok_vocab + len(added) == cfg["vocab_size"], "%s: tokenizer size %d+%d != vocab_size %d" % (
            name, tok_vocab, len(added), cfg["vocab_size"]))
        line = "%-20s %2d weight tensors in %d file(s), %d reference tensors" % (name, len(got), len(files), len(ref_got))

        if np is not None:
            w = {}
            for fn in files:
                w.update({k: v.astype(np.float64) for k, v in tensors(os.path.join(folder, fn)).items()})
            ref = tensors(os.path.join(folder, "reference.safetensors"))
            fwd = gpt2_forward if cfg["model_type"] == "gpt2" else llama_forward
            hs, prenorm, logits = fwd(w, cfg, ref["input_ids"])
            errs = [close(hs[k], ref["hidden_states.%d" % k], "%s hidden_states.%d" % (name, k)) for k in range(len(hs))]
            errs.append(close(prenorm, ref["final_layer_prenorm"], name + " final_layer_prenorm"))
            errs.append(close(logits, ref["logits"], name + " logits"))
            T = ref["input_ids"].shape[1]
            check((ref["greedy_ids"][:, :T] == ref["input_ids"]).all(), name + ": greedy_ids prefix")
            _, _, glog = fwd(w, cfg, ref["greedy_ids"][:, :-1])
            errs.append(close(glog[:, T - 1:], ref["greedy_step_logits"], name + " greedy_step_logits"))
            check((glog[:, T - 1:].argmax(-1) == ref["greedy_ids"][:, T:]).all(), name + ": greedy argmax")
            line += ", numpy forward max abs diff %.2g" % max(errs)
            if name == "llama-tiny":
                f32_weights = tensors(os.path.join(folder, "model.safetensors"))
            elif name in ("llama-tiny-bf16", "llama-tiny-f16"):
                raw = tensors(os.path.join(folder, "model.safetensors"))
                for k, a in f32_weights.items():
                    if name == "llama-tiny-f16":
                        r = a.astype(np.float16).astype(np.float32)
                    else:  # round to nearest even on the upper 16 bits
                        u = a.view(np.uint32).astype(np.uint64)
                        r = (((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16).astype(np.uint32).view(np.float32)
                    check(np.array_equal(raw[k], r), "%s: %s is not the F32 weight rounded" % (name, k))
            elif name == "llama-tiny-sharded":
                a = tensors(os.path.join(root, "llama-tiny", "reference.safetensors"))
                check(all(np.array_equal(a[k], ref[k]) for k in a), "sharded reference != llama-tiny reference")
        try:
            from tokenizers import Tokenizer
            tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
            for e in json.load(open(os.path.join(folder, "tokenizer-reference.json"), encoding="utf-8")):
                check(tok.encode(e["text"], add_special_tokens=False).ids == e["ids"], "%s: ids of %r" % (name, e["text"]))
                check(tok.encode(e["text"]).ids == e["ids_with_special_tokens"], "%s: ids+special of %r" % (name, e["text"]))
            line += ", tokenizer re-encoded"
        except ImportError:
            pass
        print(line)
    print("FAILED: %d" % len(failures) if failures else "all fixture checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
