"""Features of every pair of organisations existing in a snapshot, computed once.

Of the model's features only four depend on the service asked about (``CANDIDATE_FEATURES`` and
the council gap); the rest depend on the pair and the year alone. ``PairTable`` holds those for
every pair at once, so a query takes its council's row, fills in the service's columns and has
the same feature block ``pair_features`` would compute, value for value. Tables past ``MAX_TABLE_BYTES`` are not built:
large synthetic worlds compute each query's features as before.
"""

from __future__ import annotations

import numpy as np

from .features import FEATURE_NAMES, FEATURE_POS, FeatureBlock, pair_features
from .graph import Snapshot

MAX_TABLE_BYTES = 64 * 2**20
ROWS_PER_BLOCK = 64
CANDIDATE_FEATURES = ("experience", "years_running", "hosting")
CANDIDATE_COLUMNS = np.array([FEATURE_POS[name] for name in CANDIDATE_FEATURES])
GAP_COLUMN = FEATURE_POS["council_gap"]
ADAMIC_ADAR_COLUMN = FEATURE_POS["adamic_adar"]


def table_bytes(organisations: int) -> int:
    return organisations * organisations * (len(FEATURE_NAMES) + 1) * 8


class PairTable:
    """Features (service columns left to fill) and distances for every pair existing in ``snap``."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.positions = snap.current_positions
        self.slot = np.full(snap.index.n, -1, np.int64)
        self.slot[self.positions] = np.arange(len(self.positions))
        m = len(self.positions)
        self.X = np.empty((m, m, len(FEATURE_NAMES)))
        self.km = np.empty((m, m))
        for start in range(0, m, ROWS_PER_BLOCK):
            self._fill(start, self.positions[start : start + ROWS_PER_BLOCK])
        self._service: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _fill(self, start: int, rows: np.ndarray) -> None:
        m = len(self.positions)
        block = pair_features(self.snap, np.repeat(rows, m), np.tile(self.positions, len(rows)), None)
        self.X[start : start + len(rows)] = block.X.reshape(len(rows), m, -1)
        self.X[start : start + len(rows), :, ADAMIC_ADAR_COLUMN] = self._adamic_adar(rows)
        self.km[start : start + len(rows)] = block.raw["distance_km"].reshape(len(rows), m)

    def _adamic_adar(self, rows: np.ndarray) -> np.ndarray:
        """Summed as ``pair_products`` sums a query's: one weighted row at a time, not a sparse
        product of two matrices, which adds the same terms in another order."""
        weighted = self.snap.adjacency[rows].toarray() * self.snap.aa_weights
        return (self.snap.adjacency @ weighted.T)[self.positions].T

    def service_columns(self, service: str) -> tuple[np.ndarray, np.ndarray]:
        """Per organisation: the candidate's columns in ``service`` (n x 3) and the council gap."""
        if service not in self._service:
            snap, row = self.snap, self.snap.index.service_pos[service]
            count = snap.service_count[row]
            columns = np.column_stack([np.log1p(count), snap.service_years[row], snap.service_hosting[row]])
            self._service[service] = (columns, (count == 0).astype(float))
        return self._service[service]

    def query(self, council: int, candidates: np.ndarray, service: str) -> FeatureBlock:
        """``query_features(snap, council, candidates, service)``, read from the table."""
        columns, gap = self.service_columns(service)
        X = self.X[self.slot[council], self.slot[candidates]]
        X[:, CANDIDATE_COLUMNS] = columns[candidates]
        X[:, GAP_COLUMN] = gap[council]
        distances = self.km[self.slot[council], self.slot[candidates]]
        return FeatureBlock(X=X, raw={"distance_km": distances}, src=np.full(len(candidates), council), dst=candidates)

    def reverse(self, council: int, candidates: np.ndarray, service: str) -> FeatureBlock:
        """``reverse_features(snap, council, candidates, service)``, read from the table. Its
        Adamic-Adar index is summed from the council's side, as ``pair_products`` does."""
        columns, gap = self.service_columns(service)
        X = self.X[self.slot[candidates], self.slot[council]]
        X[:, ADAMIC_ADAR_COLUMN] = self.X[self.slot[council], self.slot[candidates], ADAMIC_ADAR_COLUMN]
        X[:, CANDIDATE_COLUMNS] = columns[council]
        X[:, GAP_COLUMN] = gap[candidates]
        distances = self.km[self.slot[candidates], self.slot[council]]
        return FeatureBlock(X=X, raw={"distance_km": distances}, src=candidates, dst=np.full(len(candidates), council))
