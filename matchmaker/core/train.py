"""Train a model on a Dataset and package it as an artefact with its back-test metrics."""

from __future__ import annotations

import time
from functools import partial
from typing import Any, Callable

import numpy as np

from .anchored import ListwiseModel
from .artefact import dataset_fingerprint, to_artefact
from .boosted import BoostedModel
from .calibration import Calibration, bands
from .evaluation import backtest, fit, pooled_pairs
from .graph import OrgIndex
from .model import BaselineModel, LogisticModel, Model
from .training_examples import DEFAULT_NEGATIVES, SnapshotCache, formation_queries, training_set
from .types import Dataset

RANKING_ALPHA = 0.3  # penalty on the corrections to the rule; see the model card's trials
MODEL_FACTORIES: dict[str, Callable[[], Model]] = {
    "logistic": LogisticModel,
    "boosted": BoostedModel,
    "listwise": partial(ListwiseModel, alpha=RANKING_ALPHA),
}
# compared in every back-test: the two trainable models and the documented fallback
COMPARED: dict[str, Callable[[], Model]] = {**MODEL_FACTORIES, "baseline": BaselineModel}


def choose_kind(report: dict) -> tuple[str, str]:
    """The rule-anchored ranking model when the paired back-test has it no worse than the logistic
    model on Recall@10 and better on MRR (means); else logistic or boosting (``_pointwise_kind``)."""
    kind, reason = _pointwise_kind(report)
    diff = report["overall"].get("versus_logistic", {}).get("listwise")
    if not diff or kind != "logistic":
        return kind, reason
    recall, mrr = diff["recall_at_k"], diff["mrr"]
    figures = (
        f"ranking minus logistic: Recall@10 {recall['mean']:+.3f} [{recall['low']:+.3f}, "
        f"{recall['high']:+.3f}], MRR {mrr['mean']:+.3f} [{mrr['low']:+.3f}, {mrr['high']:+.3f}]"
    )
    if recall["mean"] >= 0 and mrr["mean"] > 0:
        return "listwise", f"rule-anchored ranking model kept ({figures}); {reason}"
    return "logistic", f"rule-anchored ranking model not kept ({figures}); {reason}"


def _pointwise_kind(report: dict) -> tuple[str, str]:
    """Boosting only when the paired back-test says it is better than the logistic model on both
    Recall@10 and MRR (mean differences above zero, MRR interval clear of zero); else logistic."""
    diff = report["overall"].get("versus_logistic", {}).get("boosted")
    if not diff:
        return "logistic", "boosting was not compared"
    recall, mrr = diff["recall_at_k"], diff["mrr"]
    figures = (
        f"boosting minus logistic: Recall@10 {recall['mean']:+.3f} [{recall['low']:+.3f}, "
        f"{recall['high']:+.3f}], MRR {mrr['mean']:+.3f} [{mrr['low']:+.3f}, {mrr['high']:+.3f}]"
    )
    if recall["mean"] > 0 and mrr["mean"] > 0 and mrr["low"] > 0:
        return "boosted", "boosting kept: better in the back-test (" + figures + ")"
    return "logistic", "boosting not kept: not better in the back-test (" + figures + ")"


def fit_model(
    dataset: Dataset,
    kind: str = "logistic",
    max_negatives: int | None = DEFAULT_NEGATIVES,
    seed: int = 0,
    max_queries: int | None = None,
) -> tuple[Model, dict[str, Any]]:
    """Fit on every dated arrangement (or a seeded sample of ``max_queries`` queries on large data)."""
    cache = SnapshotCache(OrgIndex(dataset))
    queries = formation_queries(cache)
    if max_queries is not None and len(queries) > max_queries:
        keep = np.random.default_rng(seed).choice(len(queries), size=max_queries, replace=False)
        queries = [queries[k] for k in sorted(keep)]
    train = training_set(cache, queries, max_negatives, seed)
    if train.queries == 0:
        raise ValueError("no dated arrangements to learn from: need arrangements with a start year and 2+ members")
    model = fit(MODEL_FACTORIES[kind](), train)
    info = {
        "fingerprint": dataset_fingerprint(dataset),
        "organisations": len(dataset.organisations),
        "arrangements": len(dataset.arrangements),
        "queries": train.queries,
        "rows": int(len(train.y)),
        "positives": int(train.y.sum()),
        "years": [min(train.years), max(train.years)],
        "max_negatives": max_negatives,
        "max_queries": max_queries,
        "seed": seed,
    }
    return model, info


def train_artefact(dataset: Dataset, kind: str = "auto", evaluate: bool = True, n_boot: int = 1000) -> dict[str, Any]:
    """Back-test the compared models, pick the kind (``auto``: logistic unless boosting is better),
    fit it on everything and package it with the back-test figures."""
    started = time.perf_counter()
    metrics: dict[str, Any] = {}
    calibration = None
    if evaluate:
        pairs: dict[str, list] = {}
        report = backtest(
            dataset, COMPARED if kind == "auto" else {kind: MODEL_FACTORIES[kind]}, n_boot=n_boot, pairs=pairs
        )
        chosen, reason = choose_kind(report) if kind == "auto" else (kind, f"{kind} requested")
        scores, labels = pooled_pairs(pairs, chosen)
        if labels.any():
            calibration = Calibration.fit(scores, labels)
        metrics = {
            "backtest": report["overall"],
            "slices": report["slices"],
            "test_years": report["test_years"],
            "k": report["k"],
            "queries_left_out": report["queries_left_out"],
            "selected": chosen,
            "selection": reason,
            "calibration": bands(calibration.rate(scores), labels) if calibration else None,
        }
    else:
        chosen = "logistic" if kind == "auto" else kind
    model, info = fit_model(dataset, chosen)
    model.calibration = calibration
    info["seconds"] = round(time.perf_counter() - started, 2)
    return to_artefact(model, info, metrics)
