"""Ranked, explained partner suggestions for a council and a service, as of a year.

Scores are calibrated partner rates: of past suggestions with a score this strong (scored in the
back-test by a model that had seen only earlier years), the share that became partners. The
reciprocal rate is the same model with the roles swapped (how well the council suits the
candidate), and the combined score is the geometric mean of the two, sqrt(rate × reciprocal
rate), so a candidate ranks high on it only when the fit holds both ways. Reasons are each
feature group's contribution to the score measured against a typical candidate for the same
query (the per-feature median of all its candidates).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .calibration import fit_sentence
from .features import FeatureBlock, query_features, reverse_features
from .graph import OrgIndex, Snapshot
from .model import BaselineModel, Model
from .pair_table import MAX_TABLE_BYTES, PairTable, table_bytes
from .reasons import reasons_for_rows
from .types import Arrangement, Dataset

MAX_TABLES = 2  # pair tables kept per engine: the present year's and one other


def column_medians(X: np.ndarray) -> np.ndarray:
    """``np.median(X, axis=0)`` for X without NaN (features never hold one), the same numbers a
    fifth faster: each column partitioned as a contiguous row of the transpose, the middle two
    averaged as np.median does."""
    n = len(X)
    if n == 0:  # no candidates: nothing typical (np.median says NaN, with a warning)
        return np.full(X.shape[1], np.nan)
    middle = [(n - 1) // 2, n // 2]
    return np.partition(X.T, middle, axis=1)[:, middle].mean(axis=1)


class QueryError(ValueError):
    """A query the engine cannot answer: unknown council or service, or a council that did not exist."""


@dataclass
class Suggestion:
    code: str
    name: str
    rank: int
    score: float
    reciprocal_score: float
    combined_score: float
    distance_km: float
    reasons: list[dict] = field(default_factory=list)
    fit: str = ""

    def to_dict(self) -> dict:
        return {
            "gss_code": self.code,
            "name": self.name,
            "rank": self.rank,
            "score": self.score,
            "reciprocal_score": self.reciprocal_score,
            "combined_score": self.combined_score,
            "fit": self.fit,
            "distance_km": self.distance_km,
            "reasons": self.reasons,
        }


@dataclass
class Scored:
    """All candidates of one query with their scores (the hot path's output)."""

    snapshot: Snapshot
    council: int
    service: str
    candidates: np.ndarray
    scores: np.ndarray
    features: FeatureBlock

    def order(self) -> np.ndarray:
        return np.lexsort((self.candidates, -self.scores))


@dataclass(frozen=True)
class Operational:
    """Arrangements with their members (positions, ascending), and the members laid end to end
    in ``flat`` (arrangement ``segment[m]``'s, from ``starts[k]``) to work on all at once."""

    arrangements: list[Arrangement]
    members: list[list[int]]
    flat: np.ndarray
    starts: np.ndarray
    segment: np.ndarray

    @classmethod
    def of(cls, pairs: list[tuple[Arrangement, list[int]]]) -> "Operational":
        members = [m for _, m in pairs]
        sizes = np.array([len(m) for m in members], np.int64)
        return cls(
            arrangements=[a for a, _ in pairs],
            members=members,
            flat=np.array([p for m in members for p in m], np.int64),
            starts=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
            segment=np.repeat(np.arange(len(members)), sizes),
        )

    def first_member_at(self, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Per arrangement, its first (lowest) member whose ``values`` entry (one per ``flat``)
        equals the arrangement's ``wanted`` value, which one of them must equal."""
        hits = np.flatnonzero(values == wanted[self.segment])
        return self.flat[hits[np.searchsorted(self.segment[hits], np.arange(len(self.members)))]]


class Engine:
    """Prepared structures for one Dataset; snapshots are built once per year and reused."""

    def __init__(self, dataset: Dataset, model: Model | None = None, present: int | None = None):
        self.dataset = dataset
        self.index = OrgIndex(dataset, present)
        self.model = model if model is not None else BaselineModel()
        self._snapshots: dict[int, Snapshot] = {}
        self._tables: OrderedDict[int, PairTable | None] = OrderedDict()
        self._lock = threading.Lock()
        self._operational: dict[tuple[int, str], Operational] = {}

    def snapshot(self, year: int | None = None) -> Snapshot:
        year = self.index.present if year is None else int(year)
        if year not in self._snapshots:
            self._snapshots[year] = Snapshot(self.index, year)
        return self._snapshots[year]

    def table(self, snap: Snapshot) -> PairTable | None:
        """The snapshot's pair table, built on first use; None when it would be too large."""
        with self._lock:
            if snap.year not in self._tables:
                fits = table_bytes(len(snap.current_positions)) <= MAX_TABLE_BYTES
                self._tables[snap.year] = PairTable(snap) if fits else None
                while len(self._tables) > MAX_TABLES:
                    self._tables.popitem(last=False)
            return self._tables[snap.year]

    def operational(self, snap: Snapshot, service: str) -> "Operational":
        """The snapshot's operational arrangements in ``service`` with their member positions."""
        key = (snap.year, service)
        if key not in self._operational:
            self._operational[key] = Operational.of(
                [
                    (arr, members)
                    for arr, members in zip(snap.arrangements, snap.members)
                    if service in arr.services and arr.status == "operational" and members
                ]
            )
        return self._operational[key]

    def _own_table(self, snap: Snapshot) -> PairTable | None:
        return self.table(snap) if self._snapshots.get(snap.year) is snap else None

    def features(self, snap: Snapshot, i: int, candidates: np.ndarray, service: str) -> FeatureBlock:
        """``query_features``, read from the pair table when there is one."""
        table = self._own_table(snap)
        return table.query(i, candidates, service) if table else query_features(snap, i, candidates, service)

    def reverse_features(self, snap: Snapshot, i: int, candidates: np.ndarray, service: str) -> FeatureBlock:
        table = self._own_table(snap)
        return table.reverse(i, candidates, service) if table else reverse_features(snap, i, candidates, service)

    def position(self, code: str, snap: Snapshot) -> int:
        if code not in self.index.pos:
            raise QueryError(f"unknown organisation code {code!r}")
        i = self.index.pos[code]
        if not snap.exists[i]:
            org = self.index.orgs[i]
            after = f"; successors: {', '.join(org.successor_codes)}" if org.successor_codes else ""
            raise QueryError(f"{code} ({org.name}) did not exist in {snap.year}{after}")
        return i

    def check_service(self, service: str) -> None:
        if service not in self.index.service_pos:
            raise QueryError(f"unknown service {service!r}; expected one of {', '.join(self.index.services)}")

    def score(self, code: str, service: str, as_of: int | None = None) -> Scored:
        self.check_service(service)
        snap = self.snapshot(as_of)
        i = self.position(code, snap)
        candidates = snap.candidates(i, service)
        features = self.features(snap, i, candidates, service)
        return Scored(snap, i, service, candidates, self.model.score(features.X), features)

    def top_codes(self, code: str, service: str, top: int = 10, as_of: int | None = None) -> list[tuple[str, float]]:
        scored = self.score(code, service, as_of)
        order = scored.order()[:top]
        probs = self.model.rate(scored.scores[order])
        return [(self.index.codes[scored.candidates[k]], round(float(p), 6)) for k, p in zip(order, probs)]

    def recommend(
        self, code: str, service: str, top: int = 10, as_of: int | None = None, order_by: str = "score"
    ) -> list[Suggestion]:
        scored = self.score(code, service, as_of)
        snap, i = scored.snapshot, scored.council
        if order_by == "combined":
            forward = self.model.rate(scored.scores)
            back = self._reciprocal(snap, i, scored.candidates, service)
            # calibrated rates are steps: ties within a step go by the model's own score
            order = np.lexsort((scored.candidates, -scored.scores, -np.sqrt(forward * back)))[:top]
            forward, back = forward[order], back[order]
        else:  # rates and the reciprocal view are needed for the chosen candidates only
            order = scored.order()[:top]
            forward = self.model.rate(scored.scores[order])
            back = self._reciprocal(snap, i, scored.candidates[order], service)
        combined = np.sqrt(forward * back)
        chosen = scored.candidates[order]
        distances = scored.features.raw["distance_km"][order]
        contributions = self.contributions(scored.features.X, order)
        reasons = reasons_for_rows(contributions, snap, i, chosen, service, distances=distances)
        rows = zip(chosen.tolist(), forward.tolist(), back.tolist(), combined.tolist(), distances.tolist(), reasons)
        return [
            Suggestion(
                code=self.index.codes[j],
                name=self.index.orgs[j].name,
                rank=rank,
                score=round(f, 4),
                reciprocal_score=round(b, 4),
                combined_score=round(c, 4),
                distance_km=round(km, 1),
                reasons=why,
                fit=self.fit_text(f),
            )
            for rank, (j, f, b, c, km, why) in enumerate(rows, start=1)
        ]

    def contributions(self, X: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per-feature contributions of ``rows`` against a typical candidate of the same query."""
        explained = self.model.explain(np.vstack([X[rows], column_medians(X)]))  # rows, then the typical one
        return explained[:-1] - explained[-1]

    def fit_text(self, rate: float) -> str:
        if self.model.calibration is None:
            return "Not calibrated: the position in the list is what counts"
        return fit_sentence(rate)

    def existing_partners(self, code: str, service: str, as_of: int | None = None) -> list[dict]:
        """Who already shares ``service`` with the council, through which arrangements (by name)."""
        self.check_service(service)
        snap = self.snapshot(as_of)
        i = self.position(code, snap)
        found: dict[int, dict] = {}
        for arr, members in snap.service_arrangements(i, service):
            for j in members:
                if j != i:
                    org = self.index.orgs[j]
                    entry = found.setdefault(j, {"gss_code": org.code, "name": org.name, "arrangements": []})
                    entry["arrangements"].append({"id": arr.id, "name": arr.name, "start_year": arr.start_year})
        return sorted(found.values(), key=lambda e: e["name"])

    def _reciprocal(self, snap: Snapshot, i: int, candidates: np.ndarray, service: str) -> np.ndarray:
        """How good the council is for each candidate: the model with the roles swapped."""
        return self.model.probability(self.reverse_features(snap, i, candidates, service).X)
