#!/usr/bin/env python3
"""Reference outputs of CALM's composed forward pass, from an implementation independent of the project.

Usage (Debian's python3-torch, PyTorch 1.13, is enough; no transformers, no safetensors package)::

    /usr/bin/python3 make_reference.py            # writes beside this script

The anchor m_B is the Hugging Face parity fixture ../hf/gpt2-tiny (weights drawn by
make_fixtures.py, reference logits computed by transformers).  This script's GPT-2 is written
from the GPT-2 definition and checked first against those transformers logits, so the models
under the composition are known to be right before the composition is computed.

It writes:

    augmenting-a/   a GPT-2 checkpoint (Hugging Face layout): 3 layers, n_embd 24, 2 heads, vocab 320
    augmenting-b/   a GPT-2 checkpoint: 2 layers, n_embd 16, 2 heads, vocab 320
    connections-<case>.safetensors   every connection's parameters, named as the project's
                    ComposedModel.compositionBlock() names them: connections.A.K.(proj|q|k|v|o).(weight|bias),
                    weights [out, in] as torch.nn.Linear stores them
    reference.safetensors   the inputs and, per case, the composed logits [B, T, V]

The composition, written here from the CALM paper (arXiv 2401.02412, section 3.1) and the
project's documented options:
    for connection (i, j) of augmenting model A:  P = f_proj(H_A[i]) = H_A[i] W_p^T + b_p
    H_B[j] += softmax(Q K^T / sqrt(Dh) + mask + position) V W_O^T,
        Q = H_B[j] W_Q^T, K = P W_K^T, V = P W_V^T, split into heads of Dh = D_B / heads;
    every connection into one anchor layer reads the same H_B[j] (before any of them adds);
    mask: anchor column t reads augmenting column s when s <= t and s is a real token (in encoder
        mode: a real prompt token); a padding query reads its own column only;
    normalize: both states standardised over their width (layer norm, eps 1e-5, no gain or bias)
        before W_p and W_Q;
    ALiBi: head h of H adds -2^(-8 (h + 1) / H) * max(0, t - s);
    position ids: the count of real tokens before a column (padding: max(0, count - 1)).

Cases: "explicit" (two augmenting models, three connections, two of them into anchor layer 1, one
from m_A's embeddings; 8 heads where the anchor has 4; normalize; ALiBi), "default" (the paper's
default wiring and the anchor's heads, no options) and "encoder" (m_A reads the prompt only;
2 heads; ALiBi).  Inputs: three rows, one unpadded, one left-padded, one right-padded; and two
rows for cached decoding (one left-padded), whose first 6 columns are the prompt.
"""
import json
import math
import os
import struct
import sys

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
torch.set_default_dtype(torch.float64)  # the reference is computed in float64, written as float32

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHOR = os.path.join(HERE, '..', 'hf', 'gpt2-tiny')
VOCAB = 320
PROMPT = 6


# ---- safetensors, by the format's definition (8-byte little-endian header length, JSON header, data)

DTYPES = {'F32': (torch.float32, 4), 'I64': (torch.int64, 8)}


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        dtype, size = DTYPES[info['dtype']]
        start, end = info['data_offsets']
        raw = bytearray(data[8 + n + start:8 + n + end])
        out[name] = torch.frombuffer(raw, dtype=dtype).reshape(info['shape']).clone() if raw else torch.zeros(info['shape'], dtype=dtype)
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        if t.dtype == torch.float64:
            t = t.float()
        code = 'F32' if t.dtype == torch.float32 else 'I64'
        blob = t.numpy().tobytes()
        header[name] = {'dtype': code, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header['__metadata__'] = {'producer': 'make_reference.py, torch ' + torch.__version__}
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ---- GPT-2, from its definition (pre-norm blocks, Conv1D weights [in, out], gelu_new, tied output)

def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def gelu_new(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def allowed(query_real, key_real):
    """[B, T, S] booleans: s <= t and key s real, or s == t for a padding query."""
    t = query_real.shape[1]
    s = key_real.shape[1]
    col_t = torch.arange(t).view(t, 1)
    col_s = torch.arange(s).view(1, s)
    causal = col_s <= col_t
    own = col_s == col_t
    return causal & (key_real.bool().view(-1, 1, s) | (own & ~query_real.bool().view(-1, t, 1)))


def attention(q, k, v, ok, bias=None):
    """q [B, H, T, Dh], k and v [B, H, S, Dh], ok [B, T, S]: softmax(q k^T / sqrt(Dh) + bias) v with blocked scores at -inf."""
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if bias is not None:
        scores = scores + bias
    scores = scores.masked_fill(~ok.unsqueeze(1), float('-inf'))
    return torch.softmax(scores, -1) @ v


def heads(x, h):
    b, t, d = x.shape
    return x.view(b, t, h, d // h).transpose(1, 2)


def merge(x):
    b, h, t, dh = x.shape
    return x.transpose(1, 2).reshape(b, t, h * dh)


class Gpt2:
    def __init__(self, folder):
        with open(os.path.join(folder, 'config.json')) as f:
            self.config = json.load(f)
        raw = read_safetensors(os.path.join(folder, 'model.safetensors'))
        self.w = {k.removeprefix('transformer.'): v.double() for k, v in raw.items()}
        self.layers = self.config['n_layer']
        self.heads = self.config['n_head']
        self.eps = self.config['layer_norm_epsilon']

    def run(self, tokens, real, hook=lambda layer, h: h):
        """The residual stream after the embeddings (layer 0) and each layer, through hook; returns the logits."""
        w = self.w
        positions = (real.long().cumsum(1) - 1).clamp(min=0)
        h = hook(0, w['wte.weight'][tokens] + w['wpe.weight'][positions])
        ok = allowed(real, real)
        for i in range(self.layers):
            p = 'h.%d.' % i
            a = layer_norm(h, w[p + 'ln_1.weight'], w[p + 'ln_1.bias'], self.eps)
            q, k, v = (a @ w[p + 'attn.c_attn.weight'] + w[p + 'attn.c_attn.bias']).split(h.shape[-1], -1)
            h = h + merge(attention(heads(q, self.heads), heads(k, self.heads), heads(v, self.heads), ok)) \
                @ w[p + 'attn.c_proj.weight'] + w[p + 'attn.c_proj.bias']
            m = layer_norm(h, w[p + 'ln_2.weight'], w[p + 'ln_2.bias'], self.eps)
            h = h + gelu_new(m @ w[p + 'mlp.c_fc.weight'] + w[p + 'mlp.c_fc.bias']) @ w[p + 'mlp.c_proj.weight'] \
                + w[p + 'mlp.c_proj.bias']
            h = hook(i + 1, h)
        return layer_norm(h, w['ln_f.weight'], w['ln_f.bias'], self.eps) @ w['wte.weight'].T

    def states(self, tokens, real):
        kept = {}

        def keep(layer, h):
            kept[layer] = h
            return h
        self.run(tokens, real, keep)
        return kept


def new_gpt2(folder, layers, width, n_heads, seed):
    """A GPT-2 checkpoint of random weights (no bias 0, no norm gain 1), saved in the Hugging Face layout."""
    g = torch.Generator().manual_seed(seed)

    def normal(*shape, std):
        return torch.randn(*shape, generator=g, dtype=torch.float32) * std
    t = {'transformer.wte.weight': normal(VOCAB, width, std=0.35), 'transformer.wpe.weight': normal(64, width, std=0.1),
         'transformer.ln_f.weight': 1 + normal(width, std=0.1), 'transformer.ln_f.bias': normal(width, std=0.1)}
    for i in range(layers):
        p = 'transformer.h.%d.' % i
        for norm in ('ln_1', 'ln_2'):
            t[p + norm + '.weight'] = 1 + normal(width, std=0.1)
            t[p + norm + '.bias'] = normal(width, std=0.1)
        for name, (n_in, n_out) in {'attn.c_attn': (width, 3 * width), 'attn.c_proj': (width, width),
                                    'mlp.c_fc': (width, 4 * width), 'mlp.c_proj': (4 * width, width)}.items():
            t[p + name + '.weight'] = normal(n_in, n_out, std=1 / math.sqrt(n_in))
            t[p + name + '.bias'] = normal(n_out, std=0.1)
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, 'model.safetensors'), t)
    config = {'architectures': ['GPT2LMHeadModel'], 'model_type': 'gpt2', 'activation_function': 'gelu_new',
              'n_embd': width, 'n_head': n_heads, 'n_layer': layers, 'n_positions': 64, 'n_inner': None,
              'vocab_size': VOCAB, 'layer_norm_epsilon': 1e-5, 'tie_word_embeddings': True,
              'scale_attn_weights': True, 'scale_attn_by_inverse_layer_idx': False, 'reorder_and_upcast_attn': False}
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
        f.write('\n')


# ---- the composition

def standardize(x):
    mean = x.mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(((x - mean) ** 2).mean(-1, keepdim=True) + 1e-5)


def new_connections(augmenting_widths, anchor_width, seed):
    """Every connection's parameters, drawn N(0, 0.3^2) (W_O too, so that every connection changes the logits)."""
    g = torch.Generator().manual_seed(seed)
    t = {}
    for a, widths in enumerate(augmenting_widths):
        for k, width in enumerate(widths):
            p = 'connections.%d.%d.' % (a, k)
            t[p + 'proj.weight'] = torch.randn(anchor_width, width, generator=g, dtype=torch.float32) * 0.3
            t[p + 'proj.bias'] = torch.randn(anchor_width, generator=g, dtype=torch.float32) * 0.3
            for name in 'qkvo':
                t[p + name + '.weight'] = torch.randn(anchor_width, anchor_width, generator=g, dtype=torch.float32) * 0.3
    return t


def composed_logits(anchor, augmenting, params, n_heads, normalize, alibi, tokens, real, prompt_real=None):
    """augmenting: [(model, [(i, j), ...], lockstep)]; prompt_real marks the prompt's real tokens (encoder mode)."""
    states = [model.states(tokens, real) for model, _, _ in augmenting]
    t = tokens.shape[1]
    distance = (torch.arange(t).view(t, 1) - torch.arange(t).view(1, t)).clamp(min=0).double()
    slopes = torch.tensor([-2 ** (-8 * (h + 1) / n_heads) for h in range(n_heads)]).view(1, n_heads, 1, 1)
    position = slopes * distance if alibi else None

    def hook(layer, h):
        total = h
        for a, (model, wiring, lockstep) in enumerate(augmenting):
            keys_real = real if lockstep else prompt_real
            ok = allowed(real, keys_real)
            for k, (i, j) in enumerate(wiring):
                if j != layer:
                    continue
                p = {name: v.double() for name, v in params.items() if name.startswith('connections.%d.%d.' % (a, k))}
                pre = 'connections.%d.%d.' % (a, k)
                source = standardize(states[a][i]) if normalize else states[a][i]
                projected = source @ p[pre + 'proj.weight'].T + p[pre + 'proj.bias']
                query = (standardize(h) if normalize else h) @ p[pre + 'q.weight'].T
                key = projected @ p[pre + 'k.weight'].T
                value = projected @ p[pre + 'v.weight'].T
                read = attention(heads(query, n_heads), heads(key, n_heads), heads(value, n_heads), ok, position)
                total = total + merge(read) @ p[pre + 'o.weight'].T
        return total
    return anchor.run(tokens, real, hook)


def main():
    anchor = Gpt2(ANCHOR)
    # The GPT-2 above against transformers' own logits for the anchor fixture.
    fixture = read_safetensors(os.path.join(ANCHOR, 'reference.safetensors'))
    ids = fixture['input_ids']
    ours = anchor.run(ids, torch.ones_like(ids))
    gap = (ours - fixture['logits'].double()).abs().max().item()
    print('GPT-2 here against transformers on gpt2-tiny: max |logit difference| %.2e' % gap)
    assert gap < 1e-4, gap

    new_gpt2(os.path.join(HERE, 'augmenting-a'), 3, 24, 2, seed=41)
    new_gpt2(os.path.join(HERE, 'augmenting-b'), 2, 16, 2, seed=42)
    model_a = Gpt2(os.path.join(HERE, 'augmenting-a'))
    model_b = Gpt2(os.path.join(HERE, 'augmenting-b'))

    g = torch.Generator().manual_seed(7)
    tokens = torch.randint(0, VOCAB, (3, 10), generator=g)
    real = torch.ones(3, 10, dtype=torch.long)
    real[1, :3] = 0      # left-padded
    real[2, 8:] = 0      # right-padded
    tokens[real == 0] = 0
    decode = torch.randint(0, VOCAB, (2, 10), generator=g)
    decode_real = torch.ones(2, 10, dtype=torch.long)
    decode_real[1, :3] = 0
    decode[decode_real == 0] = 0

    def prompt_of(r):
        p = r.clone()
        p[:, PROMPT:] = 0
        return p

    cases = {
        # name: (augmenting [(model, wiring, lockstep)], heads, normalize, alibi)
        'explicit': ([(model_a, [(1, 1), (3, 2), (0, 0)], True), (model_b, [(2, 1)], True)], 8, True, True),
        'default': ([(model_a, [(3, 2)], True)], 4, False, False),
        'encoder': ([(model_b, [(1, 2), (2, 1)], False)], 2, False, True),
    }
    widths = {id(model_a): 24, id(model_b): 16}
    out = {'tokens': tokens, 'mask': real, 'decode_tokens': decode, 'decode_mask': decode_real}
    for seed, (name, (augmenting, n_heads, normalize, alibi)) in enumerate(cases.items()):
        params = new_connections([[widths[id(m)]] * len(wiring) for m, wiring, _ in augmenting], 32, seed=100 + seed)
        write_safetensors(os.path.join(HERE, 'connections-%s.safetensors' % name), params)
        for prefix, (t, r) in {'': (tokens, real), 'decode_': (decode, decode_real)}.items():
            logits = composed_logits(anchor, augmenting, params, n_heads, normalize, alibi, t, r, prompt_of(r))
            out[prefix + 'logits_' + name] = logits
            change = (logits - anchor.run(t, r)).abs().max().item()
            print('%-8s %-7s max |composed - anchor logit| %.3f' % (name, prefix or 'batch', change))
    write_safetensors(os.path.join(HERE, 'reference.safetensors'), out)


if __name__ == '__main__':
    sys.exit(main())
