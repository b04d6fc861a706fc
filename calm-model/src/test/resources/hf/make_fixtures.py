#!/usr/bin/env python3
"""Make tiny Hugging Face parity fixtures for CALM for Java.

Every reference output in these fixtures is computed by the Hugging Face
``transformers`` library itself (models) or by ``tokenizers`` /
``transformers.AutoTokenizer`` (tokenizers), never by this project's code.

Usage::

    python3 make_fixtures.py OUT_DIR

Writes, under OUT_DIR:

    gpt2-tiny/            GPT2LMHeadModel, F32, tied embeddings, byte-level BPE tokenizer
    llama-tiny/           LlamaForCausalLM, F32, GQA (4 q heads, 2 kv heads), untied lm_head,
                          Llama-2 style (SentencePiece-like BPE + byte fallback) tokenizer
    llama-tiny-sharded/   the same weights as llama-tiny, saved as several shards + index
    llama-tiny-bf16/      the same weights stored as BF16
    llama-tiny-f16/       the same weights stored as F16
    qwen2-tiny/           Qwen2ForCausalLM, F32, q/k/v biases, tied embeddings, GQA,
                          Qwen2 style byte-level BPE tokenizer
    MANIFEST.json         versions, configs, tensor listings and semantic checks

Each model folder holds config.json, model.safetensors (or shards + index),
tokenizer.json, tokenizer_config.json, reference.safetensors and
tokenizer-reference.json.  See README.md beside this script for the semantics.

Determinism: fixed seeds, CPU, float32, eager attention, one thread.  All
reference outputs are computed from a model re-loaded from the saved folder
with dtype float32 (for BF16/F16 folders: the stored weights widened exactly).
"""
import hashlib
import json
import math
import os
import shutil
import struct
import sys

import torch

import tokenizers
import transformers
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (AutoModelForCausalLM, AutoTokenizer, GPT2Config, LlamaConfig,
                          PreTrainedTokenizerFast, Qwen2Config)

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

BATCH, SEQ, GEN_STEPS = 2, 12, 8

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "A frozen anchor model and a frozen augmenting model are composed by cross-attention.",
    "Composition adds a few new parameters; the base models are never changed.",
    "Keys and values: apple=3, banana=7, cherry=12. What is apple + cherry? 15.",
    "Hello world! Hello there, world. Hello again and again.",
    "Large language models learn from text; small models learn from less text.",
    "The cat sat on the mat, and the dog sat on the log.",
    "Numbers like 2024, 1999 and 42 appear in the text too.",
    "def add(a, b):\n    return a + b\n",
    "Translation: the house is red. La maison est rouge.",
    "It's what they're doing, and we'll see what I'd've done.",
    "One, two, three, four, five, six, seven, eight, nine, ten.",
]

TOKENIZER_TEXTS = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog.",
    " leading space and  two  spaces",
    "trailing spaces   ",
    "Numbers 12345 and 3.14159",
    "line one\nline two\n\n  indented",
    "It's we'll they're I'd",
    "caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \U0001F600",
    "composition of frozen models",
    "a<|endoftext|>b <s> x</s> <|im_start|>user<|im_end|>",
    "",
]

# Qwen2's pre-tokenizer split pattern (as in Qwen2's tokenizer.json).
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
                 r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def log(*a):
    print(*a, flush=True)


# ----------------------------------------------------------------------------- tokenizers

def gpt2_tokenizer(vocab_size):
    """GPT-2 style: byte-level BPE (full 256-byte alphabet), <|endoftext|> as the last id."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size - 1, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    tok.train_from_iterator(CORPUS, trainer)
    tok.add_special_tokens(["<|endoftext|>"])
    assert tok.get_vocab_size() == vocab_size, tok.get_vocab_size()
    assert tok.token_to_id("<|endoftext|>") == vocab_size - 1
    return tok, dict(eos_token="<|endoftext|>", bos_token="<|endoftext|>", unk_token="<|endoftext|>")


def qwen2_tokenizer(vocab_size):
    """Qwen2 style: NFC, regex split + byte-level BPE, three special tokens at the end."""
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size - len(specials), show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    tok.train_from_iterator(CORPUS, trainer)
    tok.add_special_tokens(specials)
    assert tok.get_vocab_size() == vocab_size, tok.get_vocab_size()
    return tok, dict(eos_token="<|endoftext|>", pad_token="<|endoftext|>")


def llama_tokenizer(vocab_size):
    """Llama-2 style (as converted from SentencePiece, 'legacy' layout):
    ids 0,1,2 = <unk>,<s>,</s>; ids 3..258 = <0x00>..<0xFF> byte-fallback tokens; then learned pieces.
    normalizer Prepend('▁') + Replace(' ', '▁'), no pre-tokenizer, BPE with byte_fallback,
    post-processor adds <s> in front."""
    specials = ["<unk>", "<s>", "</s>"]
    t = Tokenizer(models.BPE(unk_token="<unk>"))
    # Train on whitespace-split words (like sentencepiece's split_by_whitespace) ...
    t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size - 256, show_progress=False, special_tokens=specials)
    t.train_from_iterator(CORPUS, trainer)
    j = json.loads(t.to_str())
    old = j["model"]["vocab"]
    assert [old[s] for s in specials] == [0, 1, 2]
    new = {s: i for i, s in enumerate(specials)}
    for b in range(256):
        new["<0x%02X>" % b] = 3 + b
    for piece, i in sorted(old.items(), key=lambda kv: kv[1]):
        if piece in specials:
            continue
        assert piece not in new, piece
        new[piece] = i + 256
    assert sorted(new.values()) == list(range(len(new)))
    j["model"]["vocab"] = new
    j["model"]["byte_fallback"] = True
    j["model"]["fuse_unk"] = True
    tok = Tokenizer.from_str(json.dumps(j))
    # ... and encode like Llama-2's converted tokenizer.json.
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tok.pre_tokenizer = None
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                       special_tokens=[("<s>", 1)])
    assert tok.get_vocab_size() == vocab_size, tok.get_vocab_size()
    return tok, dict(bos_token="<s>", eos_token="</s>", unk_token="<unk>")


def save_tokenizer(tok, special_kwargs, folder):
    """Writes tokenizer.json (exactly as the tokenizers library serialises it) and tokenizer_config.json
    (from transformers), then the reference encodings; checks AutoTokenizer agrees with tokenizers."""
    problems = []
    try:
        fast = PreTrainedTokenizerFast(tokenizer_object=tok, **special_kwargs)
        fast.save_pretrained(folder)
    except Exception as e:  # recorded, not fatal
        problems.append("PreTrainedTokenizerFast.save_pretrained: %r" % (e,))
    tok.save(os.path.join(folder, "tokenizer.json"))  # the tokenizers library's own serialisation
    raw = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    try:
        auto = AutoTokenizer.from_pretrained(folder)
        auto_name = type(auto).__name__
    except Exception as e:  # recorded, not fatal
        auto, auto_name = None, "ERROR: %r" % (e,)
        problems.append(auto_name)
    refs = []
    for text in TOKENIZER_TEXTS:
        e0 = raw.encode(text, add_special_tokens=False)
        e1 = raw.encode(text, add_special_tokens=True)
        entry = {"text": text, "ids": e0.ids, "tokens": e0.tokens,
                 "ids_with_special_tokens": e1.ids,
                 "decoded": raw.decode(e0.ids, skip_special_tokens=False)}
        if auto is not None:
            a0 = auto(text, add_special_tokens=False)["input_ids"]
            a1 = auto(text, add_special_tokens=True)["input_ids"]
            if a0 != e0.ids or a1 != e1.ids:
                problems.append("AutoTokenizer differs on %r: %s / %s vs %s / %s" % (text, a0, a1, e0.ids, e1.ids))
        refs.append(entry)
    with open(os.path.join(folder, "tokenizer-reference.json"), "w", encoding="utf-8") as f:
        json.dump(refs, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return {"auto_tokenizer_class": auto_name, "problems": problems, "vocab_size": raw.get_vocab_size()}


# ----------------------------------------------------------------------------- models

def cfg_kwargs_rope(cls, theta):
    """transformers 5 keeps RoPE settings in rope_parameters; 4.x in rope_theta."""
    import inspect
    if "rope_parameters" in inspect.signature(cls.__init__).parameters:
        return {"rope_parameters": {"rope_type": "default", "rope_theta": float(theta)}}
    return {"rope_theta": float(theta)}


def make_gpt2_config(vocab):
    return GPT2Config(vocab_size=vocab, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=None,
                      activation_function="gelu_new", layer_norm_epsilon=1e-5, resid_pdrop=0.0,
                      embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=vocab - 1, eos_token_id=vocab - 1,
                      tie_word_embeddings=True, scale_attn_weights=True)


def make_llama_config(vocab):
    return LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, hidden_act="silu",
                       max_position_embeddings=64, rms_norm_eps=1e-6, tie_word_embeddings=False,
                       attention_bias=False, mlp_bias=False, bos_token_id=1, eos_token_id=2,
                       **cfg_kwargs_rope(LlamaConfig, 10000.0))


def make_qwen2_config(vocab):
    return Qwen2Config(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, hidden_act="silu",
                       max_position_embeddings=64, rms_norm_eps=1e-6, tie_word_embeddings=True,
                       use_sliding_window=False, bos_token_id=None, eos_token_id=vocab - 3,
                       **cfg_kwargs_rope(Qwen2Config, 1000000.0))


def randomize(model, seed, conv1d_names=()):
    """Re-draw every parameter so that no bias is 0 and no norm weight is 1 (default inits would hide
    bias/norm bugs), with scales that keep activations O(1): matrices N(0, 1/fan_in), embeddings and
    lm_head N(0, 0.35^2), position embeddings N(0, 0.1^2), norm weights 1 + N(0, 0.1^2),
    biases N(0, 0.1^2).  Tied parameters are one Parameter and are drawn once."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():  # deduplicated: tied weights appear once
            shape = tuple(p.shape)
            if p.ndim == 1:
                if "bias" in name:
                    v = 0.1 * torch.randn(shape, generator=g)
                else:  # norm weights
                    v = 1.0 + 0.1 * torch.randn(shape, generator=g)
            elif "wpe" in name:
                v = 0.1 * torch.randn(shape, generator=g)
            elif "wte" in name or "embed_tokens" in name or "lm_head" in name:
                v = 0.35 * torch.randn(shape, generator=g)
            else:
                fan_in = shape[0] if any(c in name for c in conv1d_names) else shape[1]
                v = torch.randn(shape, generator=g) / math.sqrt(fan_in)
            p.copy_(v.to(p.dtype))


def rope_err(model, theta, head_dim=8):
    """Max abs difference between the model's RoPE inverse frequencies and 1/theta^(2i/d)."""
    try:
        inv = model.model.rotary_emb.inv_freq
        exp = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
        return float((inv.float() - exp).abs().max())
    except Exception as e:
        return "ERROR: %r" % (e,)


def save_model(model, folder, **kw):
    try:
        model.save_pretrained(folder, safe_serialization=True, **kw)
    except TypeError:  # transformers versions without the argument always write safetensors
        model.save_pretrained(folder, **kw)


def load_f32(folder):
    try:
        m = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    except TypeError:
        m = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager")
    bad = [n for n, p in m.named_parameters() if p.dtype != torch.float32]
    assert not bad, bad
    return m.eval()


def parts(model):
    if hasattr(model, "transformer"):  # GPT-2
        return model.transformer.h, model.transformer.ln_f
    return model.model.layers, model.model.norm


def reference(model, input_ids, folder):
    """Runs transformers' forward and writes reference.safetensors; returns the semantic checks."""
    layers, final_norm = parts(model)
    outs = []
    hooks = [l.register_forward_hook(lambda m, i, o: outs.append((o[0] if isinstance(o, tuple) else o).detach().clone()))
             for l in layers]
    with torch.no_grad():
        res = model(input_ids=input_ids, output_hidden_states=True, use_cache=False, return_dict=True)
    for h in hooks:
        h.remove()
    hs = res.hidden_states
    L = len(layers)
    assert len(hs) == L + 1, len(hs)
    assert len(outs) == L
    checks = {"num_hidden_states": len(hs)}
    with torch.no_grad():
        if hasattr(model, "transformer"):
            pos = torch.arange(input_ids.shape[1]).unsqueeze(0)
            emb = model.transformer.wte(input_ids) + model.transformer.wpe(pos)
        else:
            emb = model.model.embed_tokens(input_ids)
        checks["hidden_states.0 == token embedding (+ position embedding for GPT-2)"] = bool(torch.equal(hs[0], emb))
        for k in range(1, L):
            checks["hidden_states.%d == output of layer %d" % (k, k - 1)] = bool(torch.equal(hs[k], outs[k - 1]))
        normed = final_norm(outs[L - 1])
        checks["hidden_states.%d == final_norm(output of layer %d) (bitwise)" % (L, L - 1)] = bool(torch.equal(hs[L], normed))
        checks["hidden_states.%d ~= final_norm(output of layer %d) (max abs diff)" % (L, L - 1)] = float((hs[L] - normed).abs().max())
        checks["hidden_states.%d == output of layer %d (un-normed)" % (L, L - 1)] = bool(torch.equal(hs[L], outs[L - 1]))
        lm = model.get_output_embeddings()(hs[L])
        checks["logits == lm_head(hidden_states.%d) (max abs diff)" % L] = float((res.logits - lm).abs().max())

        # Greedy decoding by repeated full forward passes (no cache): argmax of the last position.
        ids = input_ids.clone()
        step_logits, margins = [], []
        for _ in range(GEN_STEPS):
            lg = model(input_ids=ids, use_cache=False, return_dict=True).logits[:, -1, :]
            top2 = torch.topk(lg, 2, dim=-1).values
            margins.append(float((top2[:, 0] - top2[:, 1]).min()))
            step_logits.append(lg)
            ids = torch.cat([ids, lg.argmax(-1, keepdim=True)], dim=1)
        checks["greedy: smallest top1-top2 logit margin"] = min(margins)
        # The same with transformers' own KV-cached generate(), for comparison.
        try:
            gen = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                 max_new_tokens=GEN_STEPS, do_sample=False, eos_token_id=None,
                                 pad_token_id=0, use_cache=True)
            checks["generate() with KV cache == greedy full-forward ids"] = bool(torch.equal(gen, ids))
        except Exception as e:
            checks["generate() with KV cache == greedy full-forward ids"] = "ERROR: %r" % (e,)

    tensors = {"input_ids": input_ids.to(torch.int64).contiguous(),
               "logits": res.logits.float().contiguous()}
    for k, h in enumerate(hs):
        tensors["hidden_states.%d" % k] = h.float().contiguous()
    tensors["final_layer_prenorm"] = outs[L - 1].float().contiguous()
    tensors["greedy_ids"] = ids.to(torch.int64).contiguous()
    tensors["greedy_step_logits"] = torch.stack(step_logits, dim=1).float().contiguous()
    from safetensors.torch import save_file
    save_file(tensors, os.path.join(folder, "reference.safetensors"), metadata={
        "producer": "transformers %s / torch %s" % (transformers.__version__, torch.__version__),
        "note": "see README.md"})
    return checks


# ----------------------------------------------------------------------------- listing helpers

def st_header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        h = json.loads(f.read(n))
    meta = h.pop("__metadata__", None)
    return {k: [v["dtype"], v["shape"]] for k, v in sorted(h.items())}, meta


def listing(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        p = os.path.join(folder, name)
        entry = {"bytes": os.path.getsize(p), "sha256": hashlib.sha256(open(p, "rb").read()).hexdigest()}
        if name.endswith(".safetensors"):
            entry["tensors"], entry["metadata"] = st_header(p)
        out[name] = entry
    return out


def main():
    out = sys.argv[1]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    log("python", sys.version.split()[0], "torch", torch.__version__, "transformers", transformers.__version__,
        "tokenizers", tokenizers.__version__)
    import safetensors
    manifest = {"versions": {"python": sys.version.split()[0], "torch": torch.__version__,
                             "transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
                             "safetensors": safetensors.__version__},
                "command": "python3 make_fixtures.py OUT_DIR", "models": {}}

    def ids_for(vocab, seed):
        g = torch.Generator().manual_seed(seed)
        return torch.randint(0, vocab, (BATCH, SEQ), generator=g, dtype=torch.int64)

    def finish(name, folder, model_checks, tok_info, extra=None):
        with open(os.path.join(folder, "config.json")) as f:
            cfg = json.load(f)
        manifest["models"][name] = {"config": cfg, "reference_checks": model_checks, "tokenizer": tok_info,
                                    "files": listing(folder), **(extra or {})}
        log("==", name, json.dumps(model_checks, indent=1), json.dumps(tok_info))

    # ---- GPT-2
    V = 320
    folder = os.path.join(out, "gpt2-tiny")
    tok, sk = gpt2_tokenizer(V)
    torch.manual_seed(1001)
    m = AutoModelForCausalLM.from_config(make_gpt2_config(V), attn_implementation="eager")
    randomize(m, 1001, conv1d_names=("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"))
    tied_gpt2 = m.lm_head.weight.data_ptr() == m.transformer.wte.weight.data_ptr()
    save_model(m, folder)
    ti = save_tokenizer(tok, sk, folder)
    r = load_f32(folder)
    sd0, sd1 = m.state_dict(), r.state_dict()
    rt = all(torch.equal(sd0[k], sd1[k]) for k in sd0 if k in sd1)
    finish("gpt2-tiny", folder, reference(r, ids_for(V, 2001), folder), ti, {"reload_bitwise_equal": rt, "lm_head_tied_in_memory": tied_gpt2})

    # ---- Llama (F32, sharded, BF16, F16 share weights)
    V = 384
    tok, sk = llama_tokenizer(V)
    torch.manual_seed(1002)
    m = AutoModelForCausalLM.from_config(make_llama_config(V), attn_implementation="eager")
    randomize(m, 1002)
    rope_ok = rope_err(m, 10000.0)
    llama_ids = ids_for(V, 2002)
    variants = [("llama-tiny", torch.float32, {}), ("llama-tiny-sharded", torch.float32, {"max_shard_size": "64KB"}),
                ("llama-tiny-bf16", torch.bfloat16, {}), ("llama-tiny-f16", torch.float16, {})]
    sd_f32 = {k: v.clone() for k, v in m.state_dict().items()}
    for name, dt, kw in variants:
        folder = os.path.join(out, name)
        mm = m.to(dt) if dt != torch.float32 else m
        save_model(mm, folder, **kw)
        m = m.to(torch.float32)
        for k in sd_f32:  # restore exact f32 weights after the round trip through dt
            m.state_dict()[k].copy_(sd_f32[k])
        ti = save_tokenizer(tok, sk, folder)
        r = load_f32(folder)
        sd1 = r.state_dict()
        widened = all(torch.equal(sd1[k], sd_f32[k].to(dt).to(torch.float32)) for k in sd_f32 if k in sd1)
        extra = {"reload_equals_stored_weights_widened_to_f32": widened, "rope_inv_freq_max_abs_err": rope_ok}
        if name == "llama-tiny-sharded":
            shards = [f for f in os.listdir(folder) if f.startswith("model-") and f.endswith(".safetensors")]
            assert len(shards) >= 2, shards
            extra["shards"] = sorted(shards)
        finish(name, folder, reference(r, llama_ids, folder), ti, extra)

    # ---- Qwen2
    V = 320
    folder = os.path.join(out, "qwen2-tiny")
    tok, sk = qwen2_tokenizer(V)
    torch.manual_seed(1003)
    m = AutoModelForCausalLM.from_config(make_qwen2_config(V), attn_implementation="eager")
    randomize(m, 1003)
    tied_q = m.lm_head.weight.data_ptr() == m.model.embed_tokens.weight.data_ptr()
    assert m.model.layers[0].self_attn.q_proj.bias is not None
    rope_q = rope_err(m, 1000000.0)
    save_model(m, folder)
    ti = save_tokenizer(tok, sk, folder)
    r = load_f32(folder)
    sd0, sd1 = m.state_dict(), r.state_dict()
    rt = all(torch.equal(sd0[k], sd1[k]) for k in sd0 if k in sd1)
    finish("qwen2-tiny", folder, reference(r, ids_for(V, 2003), folder), ti,
           {"reload_bitwise_equal": rt, "rope_inv_freq_max_abs_err": rope_q, "lm_head_tied_in_memory": tied_q})

    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    total = 0
    for root, _, files in os.walk(out):
        for fn in sorted(files):
            p = os.path.join(root, fn)
            total += os.path.getsize(p)
            log("%8d %s" % (os.path.getsize(p), os.path.relpath(p, out)))
    log("total bytes", total)


if __name__ == "__main__":
    main()
