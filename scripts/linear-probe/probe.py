"""Linear read-outs of m_A's value digits from the states states.jsh recorded.

For each layer, ridge regression (one-hot targets) predicts each digit of a key's value from m_A's
state at the key's last letter ("key") or at '=' ("=", the first key's value). Two splits by key:
trained on D_C's keys and tested on the other keys (what CALM must do), and trained on half the
other keys and tested on the rest. Usage: CALM_RUN=runs/kv-arithmetic python3 scripts/linear-probe/probe.py
"""
import json, os, numpy as np
run=os.environ.get('CALM_RUN','runs/kv-arithmetic')
store={}
for l in open(os.path.join(run,'data','key-values.jsonl')):
    r=json.loads(l); store[r['key']]=(r['value'], r['composition'])
rows=[l.rstrip('\n').split(',') for l in open(os.path.join(run,'probe-states.csv'))]
def ridge_acc(Xtr,ytr,Xte,yte,lam=1.0):
    mu=Xtr.mean(0); sd=Xtr.std(0)+1e-6
    A=(Xtr-mu)/sd; B=(Xte-mu)/sd
    A=np.hstack([A,np.ones((len(A),1))]); B=np.hstack([B,np.ones((len(B),1))])
    Y=np.eye(10)[ytr]
    W=np.linalg.solve(A.T@A+lam*np.eye(A.shape[1]),A.T@Y)
    return (np.argmax(B@W,1)==yte).mean()
rng=np.random.default_rng(0)
for kind in ['key','=']:
  for layer in range(5):
    X=[];keys=[];
    for r in rows:
        if int(r[3])!=layer: continue
        isEq=r[1].startswith('=')
        if (kind=='=')!=isEq: continue
        k=r[1][1:] if isEq else r[1]
        X.append([float(v) for v in r[4:]]); keys.append(k)
    X=np.array(X); vals=np.array([store[k][0] for k in keys]); dc=np.array([store[k][1] for k in keys])
    res=[]
    for digit in range(3):
        y=(vals//10**digit)%10
        a=ridge_acc(X[dc],y[dc],X[~dc],y[~dc],lam=10.0)
        other=sorted(set(k for k,d in zip(keys,dc) if not d)); rng.shuffle(other); half=set(other[:len(other)//2])
        m=np.array([k in half for k in keys]); o=~dc
        b=ridge_acc(X[o&m],y[o&m],X[o&~m],y[o&~m],lam=10.0)
        res.append(f"digit{digit}: DC->other {a*100:.0f}%, other-half->other-half {b*100:.0f}%")
    print(kind, 'layer', layer, len(X), '; '.join(res))
