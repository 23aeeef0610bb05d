#!/usr/bin/env python3
"""Step 2 of the independent logistic-regression probe (docs/benchmarks.md).

Fits scikit-learn's LogisticRegression on the frozen-encoder embeddings that
tools/bench/probe-embeddings.ts dumped for the finetune-quality split (the 80%
training part; the library's own heads train on the same rows) and scores the
held-out 20%: accuracy and macro-F1, like the quality bench. It shares no code with
libs/finetune's head training, so it is a baseline for it, not a rerun of it.

Two probes per dataset:
  C=1      scikit-learn's default regularisation (the usual MTEB-style probe setting);
  C by CV  C picked by 5-fold stratified cross-validation on the training part only
           (the held-out rows are never seen when choosing it).

    pip install -r tools/bench/requirements.txt
    python3 tools/bench/probe_logreg.py [--in .cache/bench/probe] [--datasets banking77,financial_phrasebank]
                                        [--json docs/benchmarks/finetune.json]

With --json, the `<dataset>.logregProbe.*` keys of that file are replaced and
`logregProbe.command/date/machine/protocol` say how they were produced; other keys are kept.
"""
import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_score

C_GRID = [0.1, 1.0, 10.0, 100.0]
MAX_ITER = 2000
SEED = 42


def load(directory, name):
    with open(os.path.join(directory, f"{name}.json"), encoding="utf-8") as f:
        meta = json.load(f)
    dim = meta["dim"]

    def matrix(part, rows):
        x = np.fromfile(os.path.join(directory, f"{name}.{part}.f32"), dtype="<f4")
        if x.size != rows * dim:
            sys.exit(f"{name}.{part}.f32 holds {x.size} floats, expected {rows} x {dim}: rerun tools/bench/probe-embeddings.ts")
        return x.reshape(rows, dim).astype(np.float64)

    x_train = matrix("train", meta["trainRows"])
    x_test = matrix("heldout", meta["heldOutRows"])
    return meta, x_train, np.asarray(meta["trainLabels"]), x_test, np.asarray(meta["heldOutLabels"])


def fit_score(c, x_train, y_train, x_test, y_test):
    t0 = time.perf_counter()
    clf = LogisticRegression(C=c, max_iter=MAX_ITER)
    clf.fit(x_train, y_train)
    seconds = time.perf_counter() - t0
    pred = clf.predict(x_test)
    return {
        "heldOutAccuracy": round(float(accuracy_score(y_test, pred)), 4),
        "heldOutMacroF1": round(float(f1_score(y_test, pred, average="macro")), 4),
        "fitSeconds": round(seconds, 1),
        "iterations": int(np.max(clf.n_iter_)),
    }


def cpu_label():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} x {model}, Python {platform.python_version()}, scikit-learn {sklearn.__version__}, numpy {np.__version__}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--in", dest="directory", default=".cache/bench/probe", help="output of probe-embeddings.ts (default: %(default)s)")
    ap.add_argument("--datasets", default="banking77,financial_phrasebank", help="comma-separated names (default: %(default)s)")
    ap.add_argument("--json", default="", help="benchmark JSON whose logregProbe keys to replace (default: print only)")
    args = ap.parse_args()

    flat = {}
    embed_commands = set()
    for name in args.datasets.split(","):
        meta, x_train, y_train, x_test, y_test = load(args.directory, name)
        embed_commands.add(meta["command"])
        print(f"[probe] {name}: train {x_train.shape}, held-out {x_test.shape}, {len(meta['labels'])} labels", file=sys.stderr)
        default = fit_score(1.0, x_train, y_train, x_test, y_test)
        print(f"[probe] {name} C=1: {default}", file=sys.stderr)
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        t0 = time.perf_counter()
        cv = {c: float(np.mean(cross_val_score(LogisticRegression(C=c, max_iter=MAX_ITER), x_train, y_train, cv=folds, scoring="f1_macro")))
              for c in C_GRID}
        best_c = max(C_GRID, key=lambda c: cv[c])
        cv_seconds = time.perf_counter() - t0
        tuned = fit_score(best_c, x_train, y_train, x_test, y_test)
        print(f"[probe] {name} CV macro-F1 by C {cv} -> C={best_c}: {tuned}", file=sys.stderr)
        p = f"{name}.logregProbe"
        flat.update({
            f"{p}.heldOutAccuracy": default["heldOutAccuracy"], f"{p}.heldOutMacroF1": default["heldOutMacroF1"],
            f"{p}.C": 1.0, f"{p}.fitSeconds": default["fitSeconds"], f"{p}.iterations": default["iterations"],
            f"{p}.cvC": best_c, f"{p}.cvHeldOutAccuracy": tuned["heldOutAccuracy"], f"{p}.cvHeldOutMacroF1": tuned["heldOutMacroF1"],
            f"{p}.cvSeconds": round(cv_seconds, 1), f"{p}.trainRows": int(x_train.shape[0]), f"{p}.heldOutRows": int(x_test.shape[0]),
        })

    cmd = " ".join(["python3", "tools/bench/probe_logreg.py"] + sys.argv[1:])
    meta_keys = {
        "logregProbe.command": " && ".join(sorted(embed_commands) + [cmd]),
        "logregProbe.date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "logregProbe.machine": cpu_label(),
        "logregProbe.protocol": (
            "scikit-learn LogisticRegression (lbfgs, L2, multinomial, max_iter 2000) on the frozen encoder's embeddings "
            "(tools/bench/probe-embeddings.ts: same encoder, pooling and EmbeddingCache as libs/finetune) of the same 80/20 "
            "stratified seed-42 split; fit on the whole 80%, scored on the held-out 20% from the cached vectors (not through "
            "the fused graph). logregProbe.* = C 1; cv* = C from {0.1, 1, 10, 100} by 5-fold stratified CV macro-F1 on the 80%."
        ),
    }
    result = {**meta_keys, **flat}
    if args.json:
        with open(args.json, encoding="utf-8") as f:
            doc = json.load(f)
        kept = {k: v for k, v in doc.items() if not (k.startswith("logregProbe.") or ".logregProbe." in k)}
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(json.dumps({**kept, **result}, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
