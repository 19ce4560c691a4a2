"""Pair features for (council, candidates, service, as-of year), computed for all pairs at once.

Rows are pairs ``(src[k], dst[k])``: the querying council and a candidate. ``FEATURES`` is the
registry used by the model and the model card; ``raw`` keeps readable values for explanations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import Snapshot, haversine, pair_products, pair_values

FAR_KM = 500.0  # distance assumed when a centroid is missing
TIER_PAIRS = {
    (0, 0): "district_district",
    (0, 1): "district_county",
    (0, 2): "district_unitary",
    (1, 1): "county_county",
    (1, 2): "county_unitary",
    (2, 2): "unitary_unitary",
}

FEATURES: list[tuple[str, str]] = [
    ("log_distance", "ln(1 + km) between the two centroids (500 km when a centroid is missing)"),
    ("relative_distance", "ln(1 + km / distance from the council to its 5th nearest organisation): near for the area"),
    ("neighbour", "1 if the two boundaries touch"),
    ("boundary_km", "ln(1 + km) of shared boundary (0 when not neighbours)"),
    ("same_county", "1 if both are in the same county area (a district and its county count)"),
    ("same_region", "1 if both are in the same ONS region"),
    *[
        (f"tier_{name}", f"1 if the pair is {name.replace('_', '-')} (tier pair, order ignored)")
        for name in TIER_PAIRS.values()
    ],
    ("experience", "ln(1 + candidate's active arrangements in this service)"),
    ("years_running", "years since the candidate's oldest active arrangement in this service started"),
    ("hosting", "number of arrangements in this service the candidate hosts"),
    ("council_gap", "1 if the council has no active arrangement in this service"),
    ("shares_other", "ln(1 + arrangements the two already share, in other services)"),
    ("common_partners", "ln(1 + partners the two have in common on the partnership graph)"),
    ("adamic_adar", "Adamic-Adar index: common partners weighted by 1/ln(partner's degree)"),
    (
        "savings_reported",
        "log10(1 + candidate's achieved savings per year across its arrangements); 0 when none reported",
    ),
    ("savings_share", "share of the candidate's arrangements with any savings figure (missing is not zero)"),
    ("size_similarity", "smaller/larger population ratio (0.5 when a population is missing)"),
    ("load", "ln(1 + candidate's active arrangements in any service)"),
    (
        "past_ended",
        "1 if the two were in an arrangement that has ended (unknown end year: from the year after it started)",
    ),
]
FEATURE_NAMES = [name for name, _ in FEATURES]
FEATURE_POS = {name: k for k, name in enumerate(FEATURE_NAMES)}


@dataclass
class FeatureBlock:
    X: np.ndarray
    raw: dict[str, np.ndarray]
    src: np.ndarray
    dst: np.ndarray


def pair_features(snap: Snapshot, src: np.ndarray, dst: np.ndarray, service: str) -> FeatureBlock:
    ix = snap.index
    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    km = haversine(ix.lat[src], ix.lon[src], ix.lat[dst], ix.lon[dst])
    km = np.where(np.isnan(km), FAR_KM, km)
    boundary = pair_values(ix.boundary, src, dst)
    row = ix.service_pos.get(service)
    zeros = np.zeros(len(dst))
    count = snap.service_count[row, dst] if row is not None else zeros
    src_count = snap.service_count[row, src] if row is not None else zeros
    shared = pair_values(snap.comember, src, dst)
    common = pair_products(snap.adjacency, None, src, dst)
    load = snap.load[dst]
    share = np.divide(snap.with_figures[dst], load, out=np.zeros(len(dst)), where=load > 0)
    cols = {
        "log_distance": np.log1p(km),
        "relative_distance": np.log1p(km / ix.local_scale[src]),
        "neighbour": (boundary > 0).astype(float),
        "boundary_km": np.log1p(boundary),
        "same_county": ((ix.county[src] == ix.county[dst]) & (ix.county[src] >= 0)).astype(float),
        "same_region": ((ix.region[src] == ix.region[dst]) & (ix.region[src] >= 0)).astype(float),
        **_tier_columns(ix.tier[src], ix.tier[dst]),
        "experience": np.log1p(count),
        "years_running": snap.service_years[row, dst] if row is not None else zeros,
        "hosting": snap.service_hosting[row, dst] if row is not None else zeros,
        "council_gap": (src_count == 0).astype(float),
        "shares_other": np.log1p(shared),
        "common_partners": np.log1p(common),
        "adamic_adar": pair_products(snap.adjacency, snap.aa_weights, src, dst),
        "savings_reported": np.log10(1.0 + snap.savings_annual[dst]),
        "savings_share": share,
        "size_similarity": _size_similarity(ix.population[src], ix.population[dst]),
        "load": np.log1p(load),
        "past_ended": (pair_values(snap.ended, src, dst) > 0).astype(float),
    }
    X = np.column_stack([cols[name] for name in FEATURE_NAMES]) if len(dst) else np.zeros((0, len(FEATURES)))
    raw = {
        "distance_km": km,
        "boundary_km": boundary,
        "service_count": count,
        "shared": shared,
        "common": common,
        "savings_annual": snap.savings_annual[dst],
        "load": load,
    }
    return FeatureBlock(X=X, raw=raw, src=src, dst=dst)


def query_features(snap: Snapshot, council: int, candidates: np.ndarray, service: str) -> FeatureBlock:
    return pair_features(snap, np.full(len(candidates), council), candidates, service)


def reverse_features(snap: Snapshot, council: int, candidates: np.ndarray, service: str) -> FeatureBlock:
    """Features with the roles swapped: each candidate asking about the council."""
    return pair_features(snap, candidates, np.full(len(candidates), council), service)


def _tier_columns(a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return {f"tier_{name}": ((lo == pair[0]) & (hi == pair[1])).astype(float) for pair, name in TIER_PAIRS.items()}


def _size_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.minimum(a, b) / np.maximum(a, b)
    return np.where(np.isnan(ratio), 0.5, ratio)
