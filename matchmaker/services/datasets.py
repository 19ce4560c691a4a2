"""The engine's Dataset for the current database contents, built once per data state.

Pages and API routes call ``current_dataset(session)``: a few cheap count queries decide whether
the cached Dataset still matches the database; only when it does not is it rebuilt.
"""

from __future__ import annotations

import csv
import threading
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from matchmaker.core.types import Dataset
from matchmaker.db.snapshot import data_state, load_dataset

_lock = threading.Lock()
_cached: dict[str, tuple[tuple, Dataset]] = {}


def current_dataset(session: Session) -> Dataset:
    """The Dataset for what ``session``'s database holds now (cached per database and state)."""
    key = str(session.get_bind().url)
    state = data_state(session)
    with _lock:
        hit = _cached.get(key)
        if hit is not None and hit[0] == state:
            return hit[1]
    dataset = load_dataset(session)
    with _lock:
        _cached[key] = (state, dataset)
    return dataset


def clear() -> None:
    with _lock:
        _cached.clear()


@lru_cache(maxsize=4)
def savings_benchmarks(data_dir: str) -> tuple[dict[str, str], ...]:
    """Published savings benchmark rows (data/savings_benchmarks.csv); empty when absent."""
    path = Path(data_dir) / "savings_benchmarks.csv"
    if not path.exists():
        return ()
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))
