"""Second-order suggestions: existing arrangements to join, and coalitions of 3 to 5 councils."""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np

from .features import pair_features
from .graph import haversine
from .recommend import Engine
from .savings_figures import annual_equivalent, format_gbp

REACH_KM = 80.0


def join_existing(
    engine: Engine, code: str, service: str, top: int = 5, as_of: int | None = None, reach_km: float = REACH_KM
) -> list[dict]:
    """Operational arrangements in the service within reach, ranked by their best-matching member."""
    engine.check_service(service)
    snap = engine.snapshot(as_of)
    i = engine.position(code, snap)
    found = engine.operational(snap, service)
    if not found.arrangements:
        return []
    ix, boundary = engine.index, engine.index.boundary_row(i)
    member_km = haversine(ix.lat[i], ix.lon[i], ix.lat[found.flat], ix.lon[found.flat])
    least_km = np.minimum.reduceat(member_km, found.starts)
    nearest = found.first_member_at(member_km, least_km)
    touching = np.logical_or.reduceat(boundary[found.flat] > 0, found.starts)
    has_council = np.logical_or.reduceat(found.flat == i, found.starts)
    within = ~has_council & ((least_km <= reach_km) | touching)
    prob = _match_probabilities(engine, snap, i, found.flat[within[found.segment]], service)
    score = np.round(np.maximum.reduceat(prob[found.flat], found.starts), 4)
    nearest_km = np.round(least_km, 1)
    ranked = sorted(np.flatnonzero(within).tolist(), key=lambda k: (-score[k], nearest_km[k], found.arrangements[k].id))
    rows = []
    for rank, k in enumerate(ranked[:top], start=1):
        arr, members = found.arrangements[k], found.members[k]
        rows.append(
            {
                "rank": rank,
                "arrangement_id": arr.id,
                "name": arr.name,
                "score": float(score[k]),
                "member_codes": [engine.index.codes[p] for p in members],
                "nearest_member": engine.index.codes[nearest[k]],
                "nearest_km": float(nearest_km[k]),
                "reasons": _join_reasons(
                    engine, arr, [p for p in members if boundary[p] > 0], int(nearest[k]), least_km[k]
                ),
            }
        )
    return rows


def _match_probabilities(engine: Engine, snap, i: int, positions: np.ndarray, service: str) -> np.ndarray:
    """The council's match probability with each of ``positions`` that exists now (0 for others)."""
    prob = np.zeros(engine.index.n)
    wanted = np.zeros(engine.index.n, bool)
    wanted[positions] = True
    wanted[i] = False
    scored = np.flatnonzero(wanted & snap.exists)
    if len(scored):
        prob[scored] = engine.model.rate(engine.model.score(engine.features(snap, i, scored, service).X))
    return prob


def _join_reasons(engine: Engine, arr, touching: list[int], nearest: int, nearest_km: float) -> list[str]:
    names = engine.index.orgs
    out = (
        [f"Includes your neighbour {names[touching[0]].short_name or names[touching[0]].name}"]
        if touching
        else [f"Nearest member {names[nearest].short_name or names[nearest].name}, {nearest_km:.0f} km away"]
    )
    if arr.start_year:
        out.append(f"Running since {arr.start_year}")
    annual = annual_equivalent(arr, engine.index.present)
    out.append(f"{format_gbp(annual)} a year reported savings" if annual else "No yearly savings figure reported")
    return out


def pairwise_matrix(engine: Engine, snap, members: np.ndarray, service: str) -> np.ndarray:
    """Symmetric match probability between every two organisations in ``members``."""
    n = len(members)
    src, dst = np.repeat(members, n), np.tile(members, n)
    prob = engine.model.rate(engine.model.score(pair_features(snap, src, dst, service).X)).reshape(n, n)
    sym = (prob + prob.T) / 2
    np.fill_diagonal(sym, np.nan)
    return sym


@lru_cache(maxsize=32)
def _combos(pool: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every group of ``size`` positions containing 0 out of ``0..pool``, and the pairs inside each."""
    groups = np.array([(0, *c) for c in combinations(range(1, pool + 1), size - 1)], np.int64)
    pairs = np.array(list(combinations(range(size), 2)), np.int64)
    return groups, groups[:, pairs[:, 0]], groups[:, pairs[:, 1]]


def coalitions(
    engine: Engine,
    code: str,
    service: str,
    sizes: tuple[int, ...] = (3, 4, 5),
    per_size: int = 2,
    pool: int = 10,
    as_of: int | None = None,
) -> list[dict]:
    """Groups including the council whose average and weakest pairwise matches are strongest.

    Exhaustive over the ``pool`` best candidates (C(10,4) = 210 groups at most per size), scored
    as arrays: every group's pair scores are gathered at once.
    """
    scored = engine.score(code, service, as_of)
    snap, i = scored.snapshot, scored.council
    chosen = scored.candidates[scored.order()[:pool]]
    members = np.concatenate([[i], chosen])
    sym = pairwise_matrix(engine, snap, members, service)
    facts = _GroupFacts(engine, snap, members, service)
    out = []
    for size in sizes:
        if size - 1 > len(chosen):
            continue
        groups, left, right = _combos(len(chosen), size)
        values = sym[left, right]
        mean, weakest = np.round(values.mean(axis=1), 4), np.round(values.min(axis=1), 4)
        order = np.lexsort((np.arange(len(groups)), -weakest, -mean))[:per_size]
        out += [facts.describe(groups[k], float(mean[k]), float(weakest[k])) for k in order]
    return out


class _GroupFacts:
    """Distances, boundaries and service experience among the pool, for the reasons."""

    def __init__(self, engine: Engine, snap, members: np.ndarray, service: str):
        ix = engine.index
        self.codes = [ix.codes[m] for m in members]
        self.km = haversine(ix.lat[members, None], ix.lon[members, None], ix.lat[None, members], ix.lon[None, members])
        self.touching = ix.boundary[members][:, members].toarray() > 0
        self.running = snap.service_count[ix.service_pos[service], members] > 0
        self.service_name = ix.service_names.get(service, service).lower()

    def describe(self, group: np.ndarray, mean: float, weakest: float) -> dict:
        block = np.ix_(group, group)
        span = float(np.nanmax(self.km[block])) if len(group) else 0.0
        touching = int(np.triu(self.touching[block], 1).sum())
        running = int(self.running[group].sum())
        reasons = [f"All within {span:.0f} km of each other", f"{touching} neighbouring pair(s) in the group"]
        if running:
            reasons.append(f"{running} member(s) already run a {self.service_name} partnership")
        return {
            "size": len(group),
            "member_codes": [self.codes[g] for g in group],
            "score": mean,
            "weakest_pair_score": weakest,
            "reasons": reasons,
        }
