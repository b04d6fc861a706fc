"""Linear read-outs of the values' digits from m_A's lockstep states (lockstep.jsh).

At answer position j a composition needs digit j of both values (and digit j - 1 for the carry).
For each j: how often m_A's greedy next token is digit j of the first key's value, and the accuracy
of ridge read-outs (one-hot targets, lambda = 10) of digit j and j - 1 of each value, fitted on the
states over D_C's keys and tested on those over the other keys ("DC->other"), and fitted on half of
the other-key prompts and tested on the rest ("other->other").
Usage: CALM_RUN=runs/kv-arithmetic python3 scripts/linear-probe/lockstep.py
"""
import os
import numpy as np

run = os.environ.get('CALM_RUN', 'runs/kv-arithmetic')
rows = [line.rstrip('\n').split(',') for line in open(os.path.join(run, 'lockstep-states.csv'))]


def ridge_accuracy(x_train, y_train, x_test, y_test, lam=10.0):
    mean, sd = x_train.mean(0), x_train.std(0) + 1e-6
    a = np.hstack([(x_train - mean) / sd, np.ones((len(x_train), 1))])
    b = np.hstack([(x_test - mean) / sd, np.ones((len(x_test), 1))])
    w = np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ np.eye(10)[y_train])
    return (np.argmax(b @ w, 1) == y_test).mean()


for j in range(3):
    at = [r for r in rows if int(r[3]) == j]
    x = np.array([[float(v) for v in r[7:]] for r in at])
    v1 = np.array([int(r[4]) for r in at])
    v2 = np.array([int(r[5]) for r in at])
    dc = np.array([r[0].endswith('dc-keys') for r in at])
    digit = lambda v, k: (v // 10 ** max(k, 0)) % 10
    greedy = np.array([r[6] for r in at]) == np.array([str(d) for d in digit(v1, j)])
    other = np.where(~dc)[0]
    half = len(other) // 2
    parts = [f"j={j}: greedy = v1 digit j: {greedy[~dc].mean() * 100:.0f}% (other keys)"]
    for name, y in [('v1[j]', digit(v1, j)), ('v2[j]', digit(v2, j)), ('v1[j-1]', digit(v1, j - 1)), ('v2[j-1]', digit(v2, j - 1))]:
        if name.endswith('[j-1]') and j == 0:
            continue
        parts.append(f"{name} DC->other {ridge_accuracy(x[dc], y[dc], x[~dc], y[~dc]) * 100:.0f}%, other->other "
                     f"{ridge_accuracy(x[other[:half]], y[other[:half]], x[other[half:]], y[other[half:]]) * 100:.0f}%")
    print('; '.join(parts))
