#!/usr/bin/env python3
"""Train bookmesh's fraud model (XGBoost, binary:logistic) on the SYNTHETIC data set and export it.

Writes, next to the engine that embeds them:
  engine/data/fraud_model.json         our own compact tree format (read by engine/src/fraud/model.rs)
  engine/data/fraud_test_vectors.json  rows + XGBoost's own probability, for the Rust parity test

Model JSON ("bookmesh-fraud-gbt-v1"):
  feature_names   model input order (must equal FEATURE_NAMES in engine/src/fraud/features.rs)
  base_margin     added to the leaf sum (log-odds of XGBoost's base_score)
  trees[]         one object per tree, parallel arrays indexed by node id (node 0 is the root):
                    feature       split feature index, -1 on a leaf
                    value         split threshold (go left iff x < value), or the leaf value on a leaf
                    left, right   child node ids (-1 on a leaf)
                    default_left  1 if a missing value goes left
  metadata        held-out AUC, sizes, hyper-parameters, versions; "synthetic": true
  Every number in value/base_margin is an f32, written as the exact decimal of that f32 so any
  JSON reader that parses to f64 and narrows to f32 gets the same bits back.

Prediction: margin = base_margin + sum over trees of the reached leaf (summed in f64, tree order);
probability = 1 / (1 + exp(-margin)). Confidence = |sum of leaves| / sum of |leaves|: the share
of the trees' total push that is not cancelled by trees pushing the other way (see README.md).

Before writing anything this script checks its own reference evaluator of the exported format
against XGBoost's predictions on the whole test split and stops if they differ by more than 1e-6.
"""

import argparse
import csv
import json
import math
import os
import sys

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from generate_dataset import DEFAULT_SEED, FEATURE_NAMES, LABEL, fraud_logit

FORMAT = "bookmesh-fraud-gbt-v1"
PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "auc",
    "max_depth": 4,
    "eta": 0.15,
    "subsample": 0.9,
    "colsample_bytree": 0.9,
    "min_child_weight": 5,
    "tree_method": "hist",
    "seed": 7,
    "nthread": 2,
}
NUM_TREES = 60
TEST_SHARE = 0.25
SPLIT_SEED = 11
TEST_VECTOR_ROWS = 200
PARITY_TOLERANCE = 1e-6


def load_csv(path):
    """Feature matrix (float32, as XGBoost sees it) and labels from the generator's CSV."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != FEATURE_NAMES + [LABEL]:
            sys.exit(f"{path}: unexpected columns {reader.fieldnames}")
        rows = [[int(r[name]) for name in FEATURE_NAMES + [LABEL]] for r in reader]
    data = np.array(rows, dtype=np.int64)
    return data[:, :-1], data[:, -1]


def f32(x):
    """The f32 nearest to x, as a Python float (exact)."""
    return float(np.float32(x))


def export_trees(booster):
    """XGBoost's JSON dump -> our flat per-tree arrays, plus the base margin."""
    raw = json.loads(booster.save_raw(raw_format="json"))
    learner = raw["learner"]
    base_score = learner["learner_model_param"]["base_score"].strip("[]")
    p0 = f32(float(base_score))
    base_margin = f32(math.log(p0 / (1.0 - p0)))
    trees = []
    for t in learner["gradient_booster"]["model"]["trees"]:
        left, right = t["left_children"], t["right_children"]
        feature = [-1 if left[i] == -1 else int(t["split_indices"][i]) for i in range(len(left))]
        trees.append({
            "feature": feature,
            "value": [f32(v) for v in t["split_conditions"]],
            "left": [int(v) for v in left],
            "right": [int(v) for v in right],
            "default_left": [int(v) for v in t["default_left"]],
        })
    return base_margin, trees


def reached_leaves(trees, x):
    """The leaf value each tree reaches for one row (x as float32 values)."""
    leaves = []
    for t in trees:
        node = 0
        while t["feature"][node] != -1:
            v = x[t["feature"][node]]
            if math.isnan(v):
                node = t["left"][node] if t["default_left"][node] else t["right"][node]
            else:
                node = t["left"][node] if v < t["value"][node] else t["right"][node]
        leaves.append(t["value"][node])
    return leaves


def reference_predict(base_margin, trees, x):
    """(probability, confidence_permille) exactly as engine/src/fraud/model.rs computes them."""
    leaves = reached_leaves(trees, x)
    margin = base_margin
    total_push = 0.0
    net_push = 0.0
    for leaf in leaves:
        margin += leaf
        net_push += leaf
        total_push += abs(leaf)
    probability = 1.0 / (1.0 + math.exp(-margin))
    confidence = 0 if total_push == 0.0 else int(math.floor(abs(net_push) / total_push * 1000.0 + 0.5))
    return probability, min(confidence, 1000)


def rust_features(row):
    """One row in the serde shape of engine's FraudFeatures (model fields only)."""
    named = dict(zip(FEATURE_NAMES, (int(v) for v in row)))
    for flag in ("billing_country_mismatch", "name_has_vowel", "email_disposable", "gift_wrap", "po_box"):
        named[flag] = bool(named[flag])
    named["shipping_method"] = ["standard", "priority", "express"][named["shipping_method"]]
    return named


def boundary_rows(trees, x_test, count):
    """Rows nudged so one feature sits exactly on a split threshold (tests strict `<`)."""
    out = []
    for i, t in enumerate(trees[:count]):
        feat, thr = t["feature"][0], t["value"][0]
        if thr != math.floor(thr) or thr < 0:
            continue  # features are integers: only integer thresholds can be hit exactly
        row = x_test[i].copy()
        row[feat] = int(thr)
        out.append(row)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    engine_data = os.path.normpath(os.path.join(here, "..", "..", "engine", "data"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(here, "build", "fraud_transactions.csv"))
    parser.add_argument("--model-out", default=os.path.join(engine_data, "fraud_model.json"))
    parser.add_argument("--vectors-out", default=os.path.join(engine_data, "fraud_test_vectors.json"))
    args = parser.parse_args()

    x, y = load_csv(args.data)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SHARE, random_state=SPLIT_SEED, stratify=y)
    dtrain = xgb.DMatrix(x_train.astype(np.float32), label=y_train, feature_names=FEATURE_NAMES)
    dtest = xgb.DMatrix(x_test.astype(np.float32), label=y_test, feature_names=FEATURE_NAMES)
    booster = xgb.train(PARAMS, dtrain, num_boost_round=NUM_TREES)
    p_test = booster.predict(dtest)
    auc = float(roc_auc_score(y_test, p_test))
    train_auc = float(roc_auc_score(y_train, booster.predict(dtrain)))
    # The label formula without its noise and hidden intent: what a perfect model of the
    # observable features could score on the same rows (a ceiling, to judge the model by).
    formula = [fraud_logit(dict(zip(FEATURE_NAMES, (int(v) for v in row))), 0, 0.0) for row in x_test]
    formula_auc = float(roc_auc_score(y_test, formula))

    base_margin, trees = export_trees(booster)
    xt32 = x_test.astype(np.float32).astype(np.float64)
    worst = max(abs(reference_predict(base_margin, trees, xt32[i])[0] - float(p_test[i]))
                for i in range(len(xt32)))
    if worst > PARITY_TOLERANCE:
        sys.exit(f"exported trees disagree with XGBoost by {worst:.3g} (> {PARITY_TOLERANCE}); not writing")

    model = {
        "format": FORMAT,
        "objective": "binary:logistic",
        "feature_names": FEATURE_NAMES,
        "base_margin": base_margin,
        "trees": trees,
        "metadata": {
            "synthetic": True,
            "description": "trained on ml/fraud/generate_dataset.py's synthetic checkouts; not real data",
            "heldout_auc": round(auc, 6),
            "train_auc": round(train_auc, 6),
            "label_formula_auc": round(formula_auc, 6),
            "train_rows": int(len(y_train)),
            "test_rows": int(len(y_test)),
            "fraud_share_permille": int(round(1000 * float(y.mean()))),
            "dataset_seed": DEFAULT_SEED,
            "num_trees": len(trees),
            "max_depth": PARAMS["max_depth"],
            "eta": PARAMS["eta"],
            "xgboost_version": xgb.__version__,
            "reference_parity_max_abs_error": float(worst),
        },
    }
    os.makedirs(engine_data, exist_ok=True)
    with open(args.model_out, "w") as f:
        json.dump(model, f, separators=(",", ":"))
        f.write("\n")

    picked = list(x_test[:TEST_VECTOR_ROWS]) + boundary_rows(trees, x_test[TEST_VECTOR_ROWS:], 20)
    picked = np.array(picked, dtype=np.int64)
    p_picked = booster.predict(xgb.DMatrix(picked.astype(np.float32), feature_names=FEATURE_NAMES))
    vectors = []
    for row, p in zip(picked, p_picked):
        ref_p, confidence = reference_predict(base_margin, trees, row.astype(np.float32).astype(np.float64))
        vectors.append({"features": rust_features(row), "x": [int(v) for v in row],
                        "p_xgb": float(p), "confidence_permille": confidence})
    with open(args.vectors_out, "w") as f:
        json.dump({"format": FORMAT, "model_heldout_auc": round(auc, 6), "rows": vectors}, f,
                  separators=(",", ":"))
        f.write("\n")

    report_confidence(base_margin, trees, xt32, p_test)
    print(f"held-out AUC {auc:.4f} (train {train_auc:.4f}) on {len(y_test)} synthetic test rows; "
          f"the noise-free label formula scores {formula_auc:.4f} on the same rows")
    print(f"parity with XGBoost: max |p_ref - p_xgb| = {worst:.2e}")
    print(f"wrote {args.model_out} ({os.path.getsize(args.model_out)} bytes, {len(trees)} trees)")
    print(f"wrote {args.vectors_out} ({len(vectors)} rows)")


def report_confidence(base_margin, trees, xt, p_test):
    """How confidence spreads among high-risk test rows (guides the engine's thresholds)."""
    high = [i for i in range(len(xt)) if p_test[i] >= 0.7]
    if not high:
        return
    conf = sorted(reference_predict(base_margin, trees, xt[i])[1] for i in high)
    q = [conf[int(k * (len(conf) - 1))] for k in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)]
    print(f"{len(high)} test rows with p >= 0.7; confidence permille quantiles 0/10/25/50/75/90/100 %: {q}")


if __name__ == "__main__":
    main()
