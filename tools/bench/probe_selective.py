#!/usr/bin/env python3
"""Issue 11 probe: what could lift precision of answered turns at 90% coverage (the served
classifier, ADR 0022: bge-small CLS + linear head + exemplar vote k=10, t=0.02, w=0.5)?

Step 1 (skipped when the dumps exist): tools/bench/probe-embeddings.ts embeds --train with each
encoder of --encoders (NAME=BASE: a catalog name or a model directory) into --out/NAME/, split
80/20 stratified with seed 42 exactly as tools/bench/support-chat-quality.ts splits it.
Step 2: on the TRAINING part only, split again 80/20 (stratified, --select-seeds, 7 as
probe_exemplars.py), fit scikit-learn heads on the 80% and score every idea on the 20% by
precision of the answered turns at 90% coverage. Ideas (fixed settings, nothing tuned per idea):
  served        head + vote on the first encoder, confidence = top blended probability
  margin        the same answers, confidence = top1 - top2 of the blend
  stack         the same answers, confidence = P(correct) of a small logistic calibrator on
                head/vote features (top probabilities, margins, agreement, nearest cosine),
                cross-fitted on the selection rows (5 folds): no row is scored by a calibrator
                that saw it
  stack+class   plus the answered intent's share of correct answers on the calibrator's rows
                (shrunk to the mean): confusable intents get less confidence
  ens:A+B       heads of A and B averaged, votes averaged, then 0.5 * heads + 0.5 * votes
  ens:A+B/stack the ensemble ranked by the calibrator
  cat:A+B       one head and one vote on the concatenated unit vectors (/sqrt 2)
The held-out 20% is read only with --test IDEA, which fits on the whole training part and
scores that idea (and `served` for reference) once; a stacked idea's calibrator is fitted on
the selection split's rows of the first --select-seeds seed.

    pip install -r tools/bench/requirements.txt
    python3 tools/bench/probe_selective.py --train ../shared/datasets/banking77/train.csv \\
        --text-field text --label-field category --encoders bge=default,minilm=minilm
    python3 tools/bench/probe_selective.py ... --test stack
A third encoder such as bgemean=DIR (a copy of the bge-small catalog directory whose
tuneline.json says "pooling": "mean") adds the (c) ideas: mean pooling, CLS + mean.
Figures and reading: docs/benchmarks.md, "Support chat quality".
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from probe_logreg import load  # same dump format (probe-embeddings.ts)

COVERAGE = 0.9


def dump(enc_name, base, a):
    """Dump dir of one encoder; runs probe-embeddings.ts when missing."""
    folder = os.path.join(a.out, enc_name)
    name = os.path.splitext(os.path.basename(a.train))[0]
    meta_path = os.path.join(folder, f"{name}.json")
    if not os.path.exists(meta_path):
        # A model directory may share its catalog twin's sha256 (same weights, other pooling):
        # give it its own embedding cache so the two never read each other's vectors.
        cache = os.path.join(folder, "embedding-cache") if os.path.isdir(base) else ".cache/bench/embeddings"
        cmd = ["npx", "tsx", "--tsconfig", "tools/tsconfig.json", "tools/bench/probe-embeddings.ts", "--base", base,
               "--data", a.train, "--text-field", a.text_field, "--label-field", a.label_field, "--out", folder, "--cache", cache]
        print(f"[probe-selective] {' '.join(cmd)}", file=sys.stderr)
        subprocess.run(cmd, check=True)
    meta, x_train, _, x_heldout, _ = load(folder, name)
    return meta, x_train, x_heldout


def precision_at(conf, correct, coverage=COVERAGE):
    order = np.argsort(-conf, kind="stable")
    return float(correct[order[: int(round(coverage * len(conf)))]].mean())


def vote(x_ref, y_ref, x, k, t, classes, nearest=False):
    """Exemplar vote as fused in the graph (ADR 0022): softmax(top-k cosine / t) summed per label.
    With nearest, also the top cosine (how close the closest training message is)."""
    sims = x @ x_ref.T
    top = np.argpartition(-sims, k, axis=1)[:, :k]
    s = np.take_along_axis(sims, top, axis=1)
    w = np.exp((s - s.max(1, keepdims=True)) / t)
    out = np.zeros((len(x), classes))
    np.add.at(out, (np.repeat(np.arange(len(x)), k), y_ref[top].ravel()), w.ravel())
    out /= out.sum(1, keepdims=True)
    return (out, s.max(1)) if nearest else out


def top2(p):
    s = np.sort(p, axis=1)
    return s[:, -1], s[:, -1] - s[:, -2]


def class_reliability(pred, correct, classes, prior=5.0):
    """Share of correct answers per predicted intent, shrunk towards the overall share."""
    n = np.bincount(pred, minlength=classes)
    ok = np.bincount(pred, weights=correct.astype(float), minlength=classes)
    return (ok + prior * correct.mean()) / (n + prior)


def features(parts, blend, reliability=None):
    """Calibrator inputs for the blend's answer: what each head and vote think of it and of their
    own top, whether they agree with it, and how close the nearest training message is."""
    a = blend.argmax(1)
    rows = np.arange(len(a))
    bmax, bmargin = top2(blend)
    cols = [bmax, bmargin]
    for head, vot, near in parts:
        cols.append(near)
        for p in (head, vot):
            m, g = top2(p)
            cols += [p[rows, a], m, g, (p.argmax(1) == a).astype(float)]
    if reliability is not None:
        cols.append(reliability[a])
    return np.column_stack(cols)


def calibrator():
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))


class Heads:
    """Head probabilities per (encoder set, fit rows), cached on disk: reruns skip the fits."""

    def __init__(self, folder, c):
        self.folder, self.c = os.path.join(folder, "head-cache"), c
        os.makedirs(self.folder, exist_ok=True)

    def __call__(self, tag, x_fit, y_fit, x_eval):
        key = hashlib.sha1(f"{tag}|{self.c}|".encode() + x_fit.tobytes() + x_eval.tobytes()).hexdigest()[:20]
        path = os.path.join(self.folder, f"{key}.npy")
        if os.path.exists(path):
            return np.load(path)
        t0 = time.perf_counter()
        p = LogisticRegression(C=self.c, max_iter=3000).fit(x_fit, y_fit).predict_proba(x_eval)
        print(f"[probe-selective] head {tag}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        np.save(path, p)
        return p


def ideas(encoders):
    first = encoders[0]
    names = ["served", "served/head-only", "margin", "stack", "stack+class"]
    for other in encoders[1:]:
        names += [f"alone:{other}", f"ens:{first}+{other}", f"ens:{first}+{other}/stack", f"cat:{first}+{other}"]
    if len(encoders) > 2:
        allp = "+".join(encoders)
        names += [f"ens:{allp}", f"ens:{allp}/stack"]
    return names


def components(idea, X_fit, y_fit, X_eval, heads, tag, a, classes):
    """(list of (head, vote, nearest cosine) per view, blend) for an idea's answers."""
    base = idea.split("/")[0]
    kind, _, spec = base.partition(":")
    if kind == "cat":
        encs = spec.split("+")
        xf = np.hstack([X_fit[e] for e in encs]) / np.sqrt(len(encs))
        xe = np.hstack([X_eval[e] for e in encs]) / np.sqrt(len(encs))
        views = [(heads(f"{tag}:cat:{spec}", xf, y_fit, xe), *vote(xf, y_fit, xe, a.k, a.t, classes, nearest=True))]
    else:
        encs = spec.split("+") if kind in ("ens", "alone") else [a.enc_names[0]]
        views = [(heads(f"{tag}:{e}", X_fit[e], y_fit, X_eval[e]), *vote(X_fit[e], y_fit, X_eval[e], a.k, a.t, classes, nearest=True)) for e in encs]
    head = np.mean([h for h, _, _ in views], axis=0)
    vot = np.mean([v for _, v, _ in views], axis=0)
    blend = head if idea == "served/head-only" else a.w * head + (1 - a.w) * vot
    return views, blend


def confidence(idea, views, blend, calib=None):
    if idea == "margin":
        return top2(blend)[1]
    if "stack" in idea:
        model, reliability = calib
        return model.predict_proba(features(views, blend, reliability))[:, 1]
    return blend.max(1)


def fit_stack(idea, views, blend, correct, classes):
    """The calibrator (and, for +class, each intent's reliability) from rows the heads did not see."""
    reliability = class_reliability(blend.argmax(1), correct, classes) if idea.endswith("+class") else None
    return calibrator().fit(features(views, blend, reliability), correct), reliability


def cross_fitted_stack(idea, views, blend, correct, seed, classes):
    conf = np.zeros(len(correct))
    for fit, ev in StratifiedKFold(5, shuffle=True, random_state=seed).split(blend, correct):
        sub = [tuple(x[fit] for x in v) for v in views]
        calib = fit_stack(idea, sub, blend[fit], correct[fit], classes)
        conf[ev] = confidence(idea, [tuple(x[ev] for x in v) for v in views], blend[ev], calib)
    return conf


def score(conf, correct):
    order = np.argsort(-conf, kind="stable")
    n = int(round(COVERAGE * len(conf)))
    return {"accuracy": round(float(correct.mean()), 4), "precisionAt090": round(precision_at(conf, correct), 4),
            "wrongAmongAnswered": int((~correct[order[:n]]).sum()), "answered": n}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="../shared/datasets/banking77/train.csv", help="labelled file (.csv/.jsonl), split 80/20 seed 42")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--label-field", default="category")
    ap.add_argument("--encoders", default="bge=default,minilm=minilm", help="NAME=BASE,...; the first is the served one")
    ap.add_argument("--out", default=".cache/bench/probe-selective", help="embedding dumps and cached head outputs")
    ap.add_argument("--select-seeds", default="7", help="selection splits of the training part (comma-separated)")
    ap.add_argument("--c", type=float, default=30.0, help="LogisticRegression C (probe_exemplars.py's)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--t", type=float, default=0.02)
    ap.add_argument("--w", type=float, default=0.5)
    ap.add_argument("--only", default="", help="comma-separated ideas to score (default: all)")
    ap.add_argument("--test", default="", help="score this one idea on the held-out part, once")
    a = ap.parse_args()
    pairs = [s.split("=", 1) for s in a.encoders.split(",")]
    a.enc_names = [n for n, _ in pairs]
    loaded = {n: dump(n, b, a) for n, b in pairs}
    m0 = loaded[a.enc_names[0]][0]
    for n, (m, _, _) in loaded.items():
        if m["labels"] != m0["labels"] or m["trainLabels"] != m0["trainLabels"] or m["heldOutLabels"] != m0["heldOutLabels"]:
            sys.exit(f"encoder {n}: its dump holds another split or label order than {a.enc_names[0]}'s")
    classes = len(m0["labels"])
    y_train, y_held = np.array(m0["trainLabels"]), np.array(m0["heldOutLabels"])
    X_train = {n: v[1] for n, v in loaded.items()}
    X_held = {n: v[2] for n, v in loaded.items()}
    heads = Heads(a.out, a.c)
    names = ideas(a.enc_names)
    if a.only:
        names = [n for n in names if n in a.only.split(",")]
    seeds = [int(s) for s in a.select_seeds.split(",")]

    def selection(seed):
        idx = np.arange(len(y_train))
        fit, ev = train_test_split(idx, test_size=0.2, stratify=y_train, random_state=seed)
        return ({n: x[fit] for n, x in X_train.items()}, y_train[fit], {n: x[ev] for n, x in X_train.items()}, y_train[ev])

    out = {"train": a.train, "labelField": a.label_field, "encoders": dict(pairs), "classes": classes, "trainRows": len(y_train),
           "C": a.c, "vote": {"k": a.k, "t": a.t, "w": a.w}, "coverage": COVERAGE}
    if not a.test:
        results = {}
        for seed in seeds:
            xf, yf, xe, ye = selection(seed)
            for idea in names:
                views, blend = components(idea, xf, yf, xe, heads, f"sel{seed}", a, classes)
                correct = blend.argmax(1) == ye
                conf = cross_fitted_stack(idea, views, blend, correct, seed, classes) if "stack" in idea else confidence(idea, views, blend)
                results.setdefault(idea, {})[seed] = score(conf, correct)
        out["part"] = f"selection split(s) of the training part, seeds {seeds}, {len(ye)} rows each"
        out["results"] = {i: {"meanPrecisionAt090": round(float(np.mean([r["precisionAt090"] for r in per.values()])), 4),
                              "meanAccuracy": round(float(np.mean([r["accuracy"] for r in per.values()])), 4), "bySeed": per}
                          for i, per in results.items()}
    else:
        if a.test not in ideas(a.enc_names):
            sys.exit(f"--test {a.test}: unknown idea (known: {', '.join(ideas(a.enc_names))})")
        out["part"] = f"held-out 20% ({len(y_held)} rows), fitted on the whole training part"
        out["results"] = {}
        for idea in dict.fromkeys(["served", a.test]):
            calib = None
            if "stack" in idea:
                xf, yf, xe, ye = selection(seeds[0])
                views, blend = components(idea, xf, yf, xe, heads, f"sel{seeds[0]}", a, classes)
                calib = fit_stack(idea, views, blend, blend.argmax(1) == ye, classes)
            views, blend = components(idea, X_train, y_train, X_held, heads, "full", a, classes)
            out["results"][idea] = score(confidence(idea, views, blend, calib), blend.argmax(1) == y_held)
    for idea, r in out["results"].items():
        pa = r.get("meanPrecisionAt090", r.get("precisionAt090"))
        acc = r.get("meanAccuracy", r.get("accuracy"))
        print(f"[probe-selective] {idea:32s} precision@0.90 {pa:.4f}  accuracy {acc:.4f}", file=sys.stderr)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
