"""Ranking baselines for the back-test, scored like a model: higher is better.

Ties are broken by distance (nearer first) except for ``random``, so each baseline is as
strong as a sensible person would make it.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .features import FEATURE_POS, query_features
from .graph import TIER_INDEX, Snapshot

BaselineFn = Callable[[Snapshot, int, np.ndarray, str, np.random.Generator], np.ndarray]


def _distance(snap: Snapshot, i: int, candidates: np.ndarray) -> np.ndarray:
    km = snap.index.distances_from(i)[candidates]
    return np.where(np.isnan(km), 1e6, km)


def random_order(snap, i, candidates, service, rng):
    return rng.random(len(candidates))


def nearest(snap, i, candidates, service, rng):
    return -_distance(snap, i, candidates)


def same_county_then_distance(snap, i, candidates, service, rng):
    county = snap.index.county
    same = (county[candidates] == county[i]) & (county[i] >= 0)
    return same * 1e7 - _distance(snap, i, candidates)


def adamic_adar(snap, i, candidates, service, rng):
    aa = query_features(snap, i, candidates, service).X[:, FEATURE_POS["adamic_adar"]]
    return aa * 1e7 - _distance(snap, i, candidates)


def popularity(snap, i, candidates, service, rng):
    row = snap.index.service_pos.get(service)
    count = snap.service_count[row, candidates] if row is not None else 0
    return (count * 1e3 + snap.load[candidates]) * 1e7 - _distance(snap, i, candidates)


RULE_WEIGHTS = {"same_county": 1.0, "neighbour": 0.5, "shares_other": 2.0, "same_tier": 1.0}


def rule(snap, i, candidates, service, rng):
    """The hand-tuned rule anyone could write: −ln(1 + km) + 1·same county + 0.5·shared boundary
    + 2·already partners in another service + 1·same tier; ties by distance."""
    X = query_features(snap, i, candidates, service).X
    tier = snap.index.tier
    same_tier = (tier[candidates] == tier[i]) & (tier[i] < len(TIER_INDEX))
    km = _distance(snap, i, candidates)
    score = (
        -X[:, FEATURE_POS["log_distance"]]
        + RULE_WEIGHTS["same_county"] * X[:, FEATURE_POS["same_county"]]
        + RULE_WEIGHTS["neighbour"] * X[:, FEATURE_POS["neighbour"]]
        + RULE_WEIGHTS["shares_other"] * (X[:, FEATURE_POS["shares_other"]] > 0)
        + RULE_WEIGHTS["same_tier"] * same_tier
    )
    return score - 1e-9 * km


BASELINES: dict[str, BaselineFn] = {
    "random": random_order,
    "nearest": nearest,
    "rule": rule,
    "same_county_then_distance": same_county_then_distance,
    "adamic_adar": adamic_adar,
    "popularity": popularity,
}
DESCRIPTIONS = {
    "random": "candidates in random order (seeded)",
    "nearest": "nearest councils by centroid distance",
    "rule": "hand-tuned rule: −ln(1+km) + 1·same county + 0.5·shared boundary + 2·partners in another service"
    " + 1·same tier, ties by distance",
    "same_county_then_distance": "same county area first, then by distance",
    "adamic_adar": "Adamic-Adar on the partnership graph, ties by distance",
    "popularity": "most arrangements in the service, then in any service, ties by distance",
}
