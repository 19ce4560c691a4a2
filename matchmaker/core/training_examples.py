"""Training examples from the temporal order of arrangements.

A query is (member council, service, year t) for an arrangement that formed in year t; it is
scored on the graph *before* t. Positives are the other members; negatives are every other
organisation that existed then (the nearest non-partners always included when sampling).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .features import FEATURE_NAMES, query_features
from .graph import OrgIndex, Snapshot


@dataclass(frozen=True)
class Query:
    council: int
    service: str
    year: int
    relevant: frozenset[int]
    arrangement_id: str
    weight: float = 1.0
    ambiguous: frozenset[int] = frozenset()  # partners through an arrangement of unknown start: left out


@dataclass
class TrainingSet:
    X: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    queries: int
    years: list[int] = field(default_factory=list)
    groups: np.ndarray | None = None  # the training query of each row, for ranking objectives


class SnapshotCache:
    """Snapshots ``before`` each year, built once."""

    def __init__(self, index: OrgIndex):
        self.index = index
        self._cache: dict[tuple[int, bool], Snapshot] = {}
        self._undated: dict[int, dict[tuple[int, str], set[int]]] = {}

    def get(self, year: int, before: bool = True) -> Snapshot:
        key = (year, before)
        if key not in self._cache:
            self._cache[key] = Snapshot(self.index, year, before=before)
        return self._cache[key]

    def undated_partners(self, year: int) -> dict[tuple[int, str], set[int]]:
        """(council, service) -> partners through arrangements without a start year, as of ``year``.

        Whether such a partner was already a partner before ``year`` cannot be told, so it is
        neither a positive nor a negative in training and back-tests.
        """
        if year not in self._undated:
            snap, found = self.get(year), {}
            for arr in self.index.dataset.arrangements:
                if arr.start_year is not None or arr.status == "proposed":
                    continue
                members = snap._members(arr)
                for i in members:
                    for service in arr.services:
                        found.setdefault((i, service), set()).update(p for p in members if p != i)
            self._undated[year] = found
        return self._undated[year]

    def candidates(self, query: Query) -> np.ndarray:
        """The query's candidates without its ambiguous partners."""
        candidates = self.get(query.year).candidates(query.council, query.service)
        return candidates[~np.isin(candidates, list(query.ambiguous))] if query.ambiguous else candidates


def formation_queries(cache: SnapshotCache, all_services: bool = True) -> list[Query]:
    """One query per member and service of each dated arrangement (first service only if not ``all_services``)."""
    out = []
    for arr in cache.index.dataset.arrangements:
        if arr.start_year is None or arr.status == "proposed":
            continue
        snap = cache.get(arr.start_year)
        undated = cache.undated_partners(arr.start_year)
        members = snap._members(arr)
        # reference-list order, so CSV files and a database (which does not keep the order) agree
        ordered = sorted(arr.services, key=lambda s: (cache.index.service_pos.get(s, len(cache.index.services)), s))
        services = ordered if all_services else ordered[:1]
        for i in members:
            for service in services:
                ambiguous = frozenset(undated.get((i, service), set()))
                relevant = frozenset(set(members) - {i} - snap.service_partners(i, service) - ambiguous)
                if relevant:
                    out.append(Query(i, service, arr.start_year, relevant, arr.id, 1.0 / len(services), ambiguous))
    return out


def _mask(n: int, positions) -> np.ndarray:
    mask = np.zeros(n, bool)
    mask[np.fromiter(positions, np.int64) if isinstance(positions, (set, frozenset)) else positions] = True
    return mask


def sample_negatives(
    candidates: np.ndarray, relevant: frozenset[int], distances: np.ndarray, limit: int | None, rng: np.random.Generator
) -> np.ndarray:
    negatives = candidates[~_mask(len(distances), relevant)[candidates]]
    if limit is None or len(negatives) <= limit:
        return negatives
    near = negatives[np.argsort(distances[negatives], kind="stable")[: limit // 2]]
    rest = negatives[~_mask(len(distances), near)[negatives]]  # candidates are sorted, so rest is too
    return np.concatenate([near, rng.choice(rest, size=limit - len(near), replace=False)])


DEFAULT_NEGATIVES = 80  # half the nearest non-partners, half at random; chosen on the back-test


@dataclass
class QueryBlock:
    """One query's training rows: positives first, then sampled negatives."""

    query: Query
    X: np.ndarray
    y: np.ndarray
    weight: np.ndarray


def query_blocks(
    cache: SnapshotCache, queries: list[Query], max_negatives: int | None = DEFAULT_NEGATIVES, seed: int = 0
) -> list[QueryBlock]:
    """Rows per query, computed once; a back-test stacks the blocks of each fold's earlier years."""
    rng = np.random.default_rng(seed)
    out = []
    for q in queries:
        snap = cache.get(q.year)
        candidates = cache.candidates(q)
        positives = candidates[_mask(snap.index.n, q.relevant)[candidates]]
        if len(positives) == 0:
            continue
        negatives = sample_negatives(candidates, q.relevant, snap.index.distances_from(q.council), max_negatives, rng)
        rows = np.concatenate([positives, negatives])
        X = query_features(snap, q.council, rows, q.service).X.astype(np.float32)
        # sampled negatives stand for all of them, so scores stay comparable to the full candidate set
        w_neg = max(len(candidates) - len(positives), 1) / max(len(negatives), 1)
        out.append(
            QueryBlock(
                q,
                X,
                np.r_[np.ones(len(positives)), np.zeros(len(negatives))],
                q.weight * np.r_[np.ones(len(positives)), np.full(len(negatives), w_neg)],
            )
        )
    return out


def stack(blocks: list[QueryBlock]) -> TrainingSet:
    if not blocks:
        return TrainingSet(np.zeros((0, len(FEATURE_NAMES))), np.zeros(0), np.zeros(0), 0)
    return TrainingSet(
        np.vstack([b.X for b in blocks]),
        np.concatenate([b.y for b in blocks]),
        np.concatenate([b.weight for b in blocks]),
        len(blocks),
        sorted({b.query.year for b in blocks}),
        np.repeat(np.arange(len(blocks)), [len(b.y) for b in blocks]),
    )


def training_set(
    cache: SnapshotCache, queries: list[Query], max_negatives: int | None = DEFAULT_NEGATIVES, seed: int = 0
) -> TrainingSet:
    return stack(query_blocks(cache, queries, max_negatives, seed))
