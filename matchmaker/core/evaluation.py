"""Rolling temporal back-test: fit on what formed before year t, query what formed in t.

Each member of an arrangement formed in a test year asks for partners in the arrangement's
first service, on the graph before that year; the relevant answers are its new partners.
Every model and baseline ranks the same queries in the same run, and bootstrap intervals
resample queries (paired, so differences against the nearest-by-distance ranking and the
hand-tuned rule are fair); the hard slice (no partner among the 5 nearest) gets them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from .baselines import BASELINES
from .features import query_features
from .graph import OrgIndex
from .model import Model
from .training_examples import DEFAULT_NEGATIVES, Query, SnapshotCache, formation_queries, query_blocks, stack
from .types import Dataset

TIER_NAMES = {"lower": "district", "upper": "county", "single": "unitary"}
METRICS = ("recall_at_k", "mrr", "hit_rate")


@dataclass
class QueryResult:
    query: Query
    ranks: dict[str, list[int]]  # method -> 1-based ranks of the relevant candidates
    hard: bool
    cold_start: bool
    tier_pair: str


def ranks_of(scores: np.ndarray, candidates: np.ndarray, relevant: set[int]) -> list[int]:
    order = np.lexsort((candidates, -scores))
    ranked = candidates[order]
    return sorted(int(k) + 1 for k in np.flatnonzero(np.isin(ranked, list(relevant))))


def query_metrics(ranks: list[int], n_relevant: int, k: int) -> tuple[float, float, float]:
    hits = sum(r <= k for r in ranks)
    return hits / n_relevant, 1.0 / ranks[0], float(hits > 0)


def _tier_pair(index: OrgIndex, i: int, j: int) -> str:
    a, b = sorted(TIER_NAMES.get(index.orgs[p].tier or "", "other") for p in (i, j))
    return f"{a}-{b}"


def run_queries(
    cache: SnapshotCache,
    queries: list[Query],
    models: dict[str, Model],
    seed: int,
    pairs: dict[str, list] | None = None,
) -> list[QueryResult]:
    """Rank each query's candidates by every model and baseline. ``pairs``, when given, gathers each
    model's (scores, is-partner) of every candidate, for calibration."""
    rng = np.random.default_rng(seed)
    out = []
    for q in queries:
        snap = cache.get(q.year)
        candidates = cache.candidates(q)
        relevant = q.relevant & set(candidates.tolist())
        if not relevant:
            continue
        X = query_features(snap, q.council, candidates, q.service).X
        scores = {name: m.score(X) for name, m in models.items()}
        ranks = {name: ranks_of(scores[name], candidates, relevant) for name in models}
        if pairs is not None:
            is_partner = np.isin(candidates, list(relevant))
            for name, values in scores.items():
                pairs.setdefault(name, []).append((values, is_partner))
        for name, fn in BASELINES.items():
            ranks[name] = ranks_of(fn(snap, q.council, candidates, q.service, rng), candidates, relevant)
        nearest5 = set(
            candidates[np.argsort(snap.index.distances_from(q.council)[candidates], kind="stable")[:5]].tolist()
        )
        out.append(
            QueryResult(
                q,
                ranks,
                hard=not (relevant & nearest5),
                cold_start=snap.load[q.council] == 0,
                tier_pair=_tier_pair(snap.index, q.council, min(relevant)),
            )
        )
    return out


def _interval(values: np.ndarray, boot: np.ndarray) -> dict[str, float]:
    means = values[boot].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"mean": round(float(values.mean()), 4), "low": round(float(low), 4), "high": round(float(high), 4)}


def summarise(
    results: list[QueryResult], k: int, n_boot: int, seed: int, references: tuple[str, ...] = ("nearest",)
) -> dict:
    """Mean and 95% interval per method and metric, and paired differences against each reference."""
    if not results:
        return {"queries": 0, "methods": {}, **{"versus_" + ref: {} for ref in references}}
    methods = list(results[0].ranks)
    table = {m: np.array([query_metrics(r.ranks[m], len(r.ranks[m]), k) for r in results]) for m in methods}
    boot = np.random.default_rng(seed).integers(0, len(results), size=(n_boot, len(results)))
    summary = {m: {name: _interval(table[m][:, c], boot) for c, name in enumerate(METRICS)} for m in methods}
    out = {"queries": len(results), "methods": summary}
    for ref in references:
        if ref in table:
            out["versus_" + ref] = {
                m: {name: _interval(table[m][:, c] - table[ref][:, c], boot) for c, name in enumerate(METRICS)}
                for m in methods
                if m != ref
            }
    return out


def fit(model: Model, train) -> Model:
    """Fit on a training set, with the rows' queries for models that rank within them."""
    if getattr(model, "wants_groups", False):
        return model.fit(train.X, train.y, train.weight, groups=train.groups)
    return model.fit(train.X, train.y, train.weight)


def _members(cache: SnapshotCache, query: Query) -> set[int]:
    arr = next(a for a in cache.index.dataset.arrangements if a.id == query.arrangement_id)
    return set(cache.get(query.year)._members(arr))


def backtest(
    dataset: Dataset,
    factories: dict[str, Callable[[], Model]],
    k: int = 10,
    n_boot: int = 1000,
    min_train_queries: int = 30,
    max_negatives: int | None = DEFAULT_NEGATIVES,
    seed: int = 0,
    pairs: dict[str, list] | None = None,
) -> dict:
    """``pairs``: see ``run_queries``; filled with every fold's out-of-sample scores."""
    # many small fits: one BLAS thread each is faster than threads fighting over the cores
    with threadpool_limits(limits=1):
        return _backtest(dataset, factories, k, n_boot, min_train_queries, max_negatives, seed, pairs)


def pooled_pairs(pairs: dict[str, list], name: str) -> tuple[np.ndarray, np.ndarray]:
    """One model's gathered back-test scores and partner flags, as two flat arrays."""
    found = pairs.get(name) or [(np.zeros(0), np.zeros(0, bool))]
    return np.concatenate([s for s, _ in found]), np.concatenate([y for _, y in found])


def _backtest(
    dataset: Dataset,
    factories: dict[str, Callable[[], Model]],
    k: int,
    n_boot: int,
    min_train_queries: int,
    max_negatives: int | None,
    seed: int,
    pairs: dict[str, list] | None,
) -> dict:
    cache = SnapshotCache(OrgIndex(dataset))
    train_queries = formation_queries(cache, all_services=True)
    test_queries = formation_queries(cache, all_services=False)
    years = sorted({q.year for q in test_queries if sum(t.year < q.year for t in train_queries) >= min_train_queries})
    left_out = {
        "partners_through_undated_arrangements": sum(
            len(q.ambiguous & _members(cache, q)) for q in test_queries if q.year in years
        )
    }
    results: list[QueryResult] = []
    blocks = query_blocks(cache, [q for q in train_queries if years and q.year < years[-1]], max_negatives, seed)
    for year in years:
        train = stack([b for b in blocks if b.query.year < year])
        models = {name: fit(make(), train) for name, make in factories.items()}
        results += run_queries(cache, [q for q in test_queries if q.year == year], models, seed + year, pairs)
    references = ("nearest", "rule", *(m for m in ("logistic",) if m in factories))
    report = {
        "k": k,
        "test_years": years,
        "bootstrap_resamples": n_boot,
        "queries_left_out": left_out,
        "overall": summarise(results, k, n_boot, seed, references),
        "slices": {
            "hard": summarise([r for r in results if r.hard], k, n_boot, seed, ("nearest", "rule")),
            "cold_start": summarise([r for r in results if r.cold_start], k, n_boot, seed),
            "tier_pair": {
                tp: summarise([r for r in results if r.tier_pair == tp], k, n_boot, seed)
                for tp in sorted({r.tier_pair for r in results})
            },
        },
    }
    return report
