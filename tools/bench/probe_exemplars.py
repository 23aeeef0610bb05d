#!/usr/bin/env python3
"""How the exemplar vote's settings (ADR 0022: k=10, t=0.02, w=0.5) were chosen.

Reads the frozen-encoder embeddings that tools/bench/probe-embeddings.ts dumps for the
quality split (80/20, stratified, seed 42) and, on the TRAINING part only, splits again
80/20 (stratified, --select-seed 7): a logistic-regression head (scikit-learn, C from
--c) is fitted on the 80%, and every (k, t, w) of the grid is scored on the 20% by
precision of the answered turns at 90% coverage (confidence = the blend's top
probability). The held-out 20% of the quality split is never read unless --test is
given, which scores the chosen setting there once.

  blend = w * head + (1 - w) * vote,  vote = softmax(top-k cosine / t) summed per label

    pip install -r tools/bench/requirements.txt
    npx tsx --tsconfig tools/tsconfig.json tools/bench/probe-embeddings.ts --datasets banking77
    python3 tools/bench/probe_exemplars.py [--in .cache/bench/probe] [--dataset banking77]
    python3 tools/bench/probe_exemplars.py --test --k 10 --t 0.02 --w 0.5
"""
import argparse
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def load(folder, name):
    meta = json.load(open(os.path.join(folder, f"{name}.json")))
    dim = meta["dim"]
    read = lambda part: np.fromfile(os.path.join(folder, f"{name}.{part}.f32"), dtype="<f4").reshape(-1, dim).astype(np.float64)
    return meta, read("train"), np.array(meta["trainLabels"]), read, np.array(meta["heldOutLabels"])


def precision_at_coverage(conf, correct, coverage=0.9):
    order = np.argsort(-conf)
    n = int(round(coverage * len(conf)))
    return float(correct[order[:n]].mean())


def vote(x_ref, y_ref, x, k, t, classes):
    sims = x @ x_ref.T
    top = np.argpartition(-sims, k, axis=1)[:, :k]
    out = np.zeros((len(x), classes))
    for i in range(len(x)):
        s = sims[i, top[i]]
        w = np.exp((s - s.max()) / t)
        np.add.at(out[i], y_ref[top[i]], w)
    return out / out.sum(1, keepdims=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--in", dest="folder", default=".cache/bench/probe")
    ap.add_argument("--dataset", default="banking77")
    ap.add_argument("--c", type=float, default=30.0, help="LogisticRegression C")
    ap.add_argument("--select-seed", type=int, default=7)
    ap.add_argument("--test", action="store_true", help="score one setting on the held-out part")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--t", type=float, default=0.02)
    ap.add_argument("--w", type=float, default=0.5)
    a = ap.parse_args()
    meta, x_train, y_train, read, y_held = load(a.folder, a.dataset)
    classes = len(meta["labels"])
    if a.test:
        fit_x, fit_y, x_eval, y_eval = x_train, y_train, read("heldout"), y_held
        grid = [(a.k, a.t, a.w)]
    else:
        fit_x, x_eval, fit_y, y_eval = train_test_split(x_train, y_train, test_size=0.2, stratify=y_train, random_state=a.select_seed)
        grid = [(k, t, w) for k in (5, 10, 20) for t in (0.01, 0.02, 0.05) for w in (0.3, 0.5, 0.7)]
    head = LogisticRegression(C=a.c, max_iter=3000).fit(fit_x, fit_y).predict_proba(x_eval)
    rows = [{"k": 0, "t": 0, "w": 1.0, "accuracy": float((head.argmax(1) == y_eval).mean()),
             "precisionAt0.9": precision_at_coverage(head.max(1), head.argmax(1) == y_eval)}]
    for k, t, w in grid:
        blend = w * head + (1 - w) * vote(fit_x, fit_y, x_eval, k, t, classes)
        correct = blend.argmax(1) == y_eval
        rows.append({"k": k, "t": t, "w": w, "accuracy": float(correct.mean()), "precisionAt0.9": precision_at_coverage(blend.max(1), correct)})
    print(json.dumps({"dataset": a.dataset, "part": "held-out" if a.test else f"selection split of the training part (seed {a.select_seed})",
                      "rows": len(y_eval), "C": a.c, "results": rows}, indent=1))


if __name__ == "__main__":
    main()
