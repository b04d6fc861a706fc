# KV-arithmetic CALM recipe probe in PyTorch (run on a GPU machine, not part of the build): a fast
# search for a recipe that composes, to guide configs/kv-arithmetic.yaml. One JSON line per run.
import json, math, random, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

dev = 'cuda' if torch.cuda.is_available() else 'cpu'
torch.backends.cuda.matmul.allow_tf32 = False
CH = ['<pad>', '<bos>', '<eos>'] + list('0123456789abcdefghijklmnopqrstuvwxyz+-=')
STOI = {c: i for i, c in enumerate(CH)}
PAD, BOS, EOS = 0, 1, 2
V = len(CH)


def fmt(x, lsd):
    s = str(abs(x))
    if lsd:
        s = s[::-1]
    return ('-' if x < 0 else '') + s


def make_store(n, seed):
    r = random.Random(seed)
    keys = set()
    while len(keys) < n:
        keys.add(''.join(r.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(r.randint(2, 6))))
    keys = sorted(keys)
    r.shuffle(keys)
    vals = list(range(1, n + 1))
    r.shuffle(vals)
    return dict(zip(keys, vals)), keys


def expr(r, pool, lo, hi):
    k = r.randint(lo, hi)
    ops = [r.choice('+-') for _ in range(k - 1)]
    return [r.choice(pool) for _ in range(k)], ops


def evaluate(nums, ops):
    acc = nums[0]
    for o, x in zip(ops, nums[1:]):
        acc = acc + x if o == '+' else acc - x
    return acc


def render(items, ops):
    s = items[0]
    for o, x in zip(ops, items[1:]):
        s += o + x
    return s


def example(task, r, store, pool, lsd, lo, hi, n):
    if task == 'num':
        nums = [r.randint(1, n) for _ in range(r.randint(lo, hi))]
        ops = [r.choice('+-') for _ in range(len(nums) - 1)]
        return render([fmt(x, lsd) for x in nums], ops) + '=', fmt(evaluate(nums, ops), lsd)
    keys, ops = expr(r, pool, lo, hi)
    vals = [store[k] for k in keys]
    if task == 'sub':
        return render(keys, ops) + '=', render([fmt(v, lsd) for v in vals], ops)
    return render(keys, ops) + '=', fmt(evaluate(vals, ops), lsd)


def encode(batch):
    seqs, masks = [], []
    for p, t in batch:
        ids = [BOS] + [STOI[c] for c in p] + [STOI[c] for c in t] + [EOS]
        m = [0] * (1 + len(p)) + [1] * (len(t) + 1)
        seqs.append(ids)
        masks.append(m)
    L = max(len(s) for s in seqs)
    x = torch.full((len(seqs), L), PAD, dtype=torch.long)
    y = torch.full((len(seqs), L), -100, dtype=torch.long)
    for i, (s, m) in enumerate(zip(seqs, masks)):
        x[i, :len(s)] = torch.tensor(s)
        for j in range(len(s) - 1):
            if m[j + 1]:
                y[i, j] = s[j + 1]
    return x.to(dev), y.to(dev)


class Block(nn.Module):
    def __init__(s, d, h):
        super().__init__()
        s.h = h
        s.ln1, s.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        s.qkv, s.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        s.fc, s.out = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(s, x):
        B, T, D = x.shape
        q, k, v = s.qkv(s.ln1(x)).split(D, 2)
        q, k, v = [t.view(B, T, s.h, -1).transpose(1, 2) for t in (q, k, v)]
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, T, D)
        x = x + s.proj(a)
        return x + s.out(F.gelu(s.fc(s.ln2(x))))


class GPT(nn.Module):
    def __init__(s, d, L, h, ctx=128):
        super().__init__()
        s.wte, s.wpe = nn.Embedding(V, d), nn.Embedding(ctx, d)
        s.blocks = nn.ModuleList(Block(d, h) for _ in range(L))
        s.lnf = nn.LayerNorm(d)
        s.d, s.L, s.h = d, L, h
        for p in s.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, 0, 0.02)

    def forward(s, x, hook=None, upto=None):
        T = x.shape[1]
        h = s.wte(x) + s.wpe(torch.arange(T, device=x.device))
        states = [h]
        for i, b in enumerate(s.blocks):
            if upto is not None and i >= upto:
                return states
            h = b(h)
            if hook is not None:
                h = hook(i + 1, h)
            states.append(h)
        if upto is not None:
            return states
        return s.lnf(h) @ s.wte.weight.T


class Cross(nn.Module):
    def __init__(s, dA, dB, h, norm):
        super().__init__()
        s.h = h
        s.norm = nn.LayerNorm(dA) if norm else nn.Identity()
        s.proj = nn.Linear(dA, dB)
        s.q, s.k, s.v, s.o = [nn.Linear(dB, dB, bias=False) for _ in range(4)]
        nn.init.zeros_(s.o.weight)

    def forward(s, hB, hA):
        B, T, D = hB.shape
        p = s.proj(s.norm(hA))
        q, k, v = [t.view(B, T, s.h, -1).transpose(1, 2) for t in (s.q(hB), s.k(p), s.v(p))]
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, T, D)
        return s.o(a)


class CALM(nn.Module):
    def __init__(s, mA, mB, pairs, norm):
        super().__init__()
        s.mA, s.mB, s.pairs = mA, mB, pairs
        s.cross = nn.ModuleList(Cross(mA.d, mB.d, mB.h, norm) for _ in pairs)
        for p in list(mA.parameters()) + list(mB.parameters()):
            p.requires_grad_(False)

    def forward(s, x):
        with torch.no_grad():
            sa = s.mA(x, upto=max(i for i, _ in s.pairs))

        def hook(layer, h):
            out = h
            for c, (i, j) in zip(s.cross, s.pairs):
                if j == layer:
                    out = out + c(h, sa[i])
            return out
        return s.mB(x, hook=hook)


def train(model, params, data_fn, steps, lr, bs, seed):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01, betas=(0.9, 0.98))
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: min(1, (t + 1) / warm) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(t, steps) / steps))))
    r = random.Random(seed)
    model.train()
    for t in range(steps):
        x, y = encode([data_fn(r) for _ in range(bs)])
        loss = F.cross_entropy(model(x)[:, :, :].reshape(-1, V), y.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
    return loss.item()


@torch.no_grad()
def accuracy(model, exs):
    model.eval()
    ok = 0
    for i in range(0, len(exs), 256):
        x, y = encode(exs[i:i + 256])
        pred = model(x).argmax(-1)
        good = ((pred == y) | (y == -100)).all(1)
        ok += good.sum().item()
    return 100.0 * ok / len(exs)


def run(cfg, cache):
    n, lsd, lo, hi = cfg['n'], cfg['lsd'], cfg.get('lo', 3), cfg.get('hi', 6)
    store, keys = make_store(n, 1)
    cut = int(0.2 * n)
    seen, unseen = keys[:cut], keys[cut:]
    t0 = time.time()
    base_key = (n, lsd, lo, hi, cfg['dA'], cfg['LA'], cfg['dB'], cfg['LB'], cfg['base_steps'])
    if base_key not in cache:
        torch.manual_seed(1)
        mA = GPT(cfg['dA'], cfg['LA'], 4).to(dev)
        la = train(mA, list(mA.parameters()), lambda r: example('sub', r, store, keys, lsd, lo, hi, n), cfg['base_steps'], 1e-3, cfg.get('bs', 64), 1)
        torch.manual_seed(2)
        mB = GPT(cfg['dB'], cfg['LB'], 4).to(dev)
        lb = train(mB, list(mB.parameters()), lambda r: example('num', r, store, keys, lsd, lo, hi, n), cfg['base_steps'], 1e-3, cfg.get('bs', 64), 2)
        cache[base_key] = (mA, mB, la, lb)
    mA, mB, la, lb = cache[base_key]
    ev = random.Random(99)
    E = 1000
    sets = {
        'sub': [example('sub', ev, store, keys, lsd, lo, hi, n) for _ in range(E)],
        'num': [example('num', ev, store, keys, lsd, lo, hi, n) for _ in range(E)],
        'kv_seen': [example('kv', ev, store, seen, lsd, lo, hi, n) for _ in range(E)],
        'kv_unseen': [example('kv', ev, store, unseen, lsd, lo, hi, n) for _ in range(E)],
    }
    res = {'cfg': cfg, 'base_loss': [la, lb]}
    res['mA'] = {k: accuracy(mA, v) for k, v in sets.items()}
    res['mB'] = {k: accuracy(mB, v) for k, v in sets.items()}
    L = min(cfg['LA'], cfg['LB'])
    pairs = [(i, i) for i in range(1, L + 1)] if cfg['wiring'] == 'all' else [(cfg['LA'], cfg['LB'])]
    torch.manual_seed(3)
    calm = CALM(mA, mB, pairs, cfg.get('norm', False)).to(dev)
    mix = cfg.get('mix', 0.0)

    def dc(r):
        if r.random() < mix:
            return example('num', r, store, keys, lsd, lo, hi, n)
        return example('kv', r, store, seen, lsd, lo, hi, n)
    lc = train(calm, list(calm.cross.parameters()), dc, cfg['calm_steps'], cfg.get('calm_lr', 1e-3), cfg.get('bs', 64), 3)
    res['calm_loss'] = lc
    res['CALM'] = {k: accuracy(calm, v) for k, v in sets.items()}
    res['seconds'] = round(time.time() - t0, 1)
    print(json.dumps(res), flush=True)


if __name__ == '__main__':
    configs = json.loads(sys.argv[1])
    cache = {}
    for c in configs:
        run(c, cache)
