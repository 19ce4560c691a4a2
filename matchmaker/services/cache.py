"""What the application reuses between requests, in one object per application (or per command,
or per test): the engine's Dataset, prepared engines, savings evidence, remembered API responses
and pages, the model's description, bundled files read (savings benchmarks) and the list totals.

Nothing in it needs clearing when the data or the model changes:

- the Dataset of a database is kept with its data state (``db.snapshot.data_state``), asked of the
  database again at most every ``check_seconds``, and at once after this process committed a
  change to the data it is built from; a new state builds a new Dataset and drops the responses
  and pages remembered for the old one;
- everything else is keyed by what it was worked out from: the Dataset's fingerprint (a hash of
  the data state) and the model's or file's stamp (path, modification time, size), so an answer from
  older data or another model is never found again, and falls out of its bounded store.

``clear()`` empties it all, for whoever must start cold (a benchmark, an operator).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from matchmaker.core.types import Dataset
from matchmaker.db.repositories.totals import Totals
from matchmaker.db.snapshot import data_commits, data_state, load_dataset

T = TypeVar("T")

MAX_DATASETS = 4  # Datasets, prepared engines and savings evidence kept; old data states drop out
MAX_RESPONSES = 2048
MAX_PAGES = 512
MAX_MODELS = 2
MAX_FILES = 4


class Store:
    """A bounded, thread-safe map that forgets its least recently used entry first.

    ``one_build``: a missing value is computed by one thread at a time, for values that cost
    seconds (an engine); otherwise two threads may both compute it and neither waits."""

    def __init__(self, max_entries: int, one_build: bool = False) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._build = threading.Lock() if one_build else None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under ``key``, computing and keeping it when absent."""
        found = self.peek(key)
        if found is not None:
            return found
        if self._build is None:
            return self._keep(key, compute())
        with self._build:
            found = self.peek(key)
            return found if found is not None else self._keep(key, compute())

    def _keep(self, key: Hashable, value: T) -> T:
        self.put(key, value)
        return value

    def peek(self, key: Hashable) -> Any | None:
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class _Seen:
    checked_at: float
    commits: int
    state: tuple
    dataset: Dataset


class AppCache:
    """Everything reused between requests, for one application (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[Engine | Connection, _Seen] = {}  # by the database sessions are bound to
        self.engines = Store(MAX_DATASETS, one_build=True)
        self.savings = Store(MAX_DATASETS, one_build=True)
        self.responses = Store(MAX_RESPONSES)
        self.pages = Store(MAX_PAGES)
        self.models = Store(MAX_MODELS)
        self.files = Store(MAX_FILES)
        self._totals: Totals | None = None

    def recent_dataset(self, database: Engine | Connection, check_seconds: float) -> Dataset | None:
        """The Dataset kept for ``database`` if it needs no asking yet: checked less than
        ``check_seconds`` ago, with no commit of this process to its data since."""
        with self._lock:
            seen = self._seen.get(database)
        if seen is None or seen.commits != data_commits() or time.monotonic() - seen.checked_at >= check_seconds:
            return None
        return seen.dataset

    def dataset(self, session: Session, check_seconds: float = 0.0) -> Dataset:
        """The Dataset for what ``session``'s database holds, at most ``check_seconds`` old for
        another process's writes and never behind this process's own commits."""
        database = session.get_bind()
        recent = self.recent_dataset(database, check_seconds)
        if recent is not None:
            return recent
        now, commits, state = time.monotonic(), data_commits(), data_state(session)
        with self._lock:
            seen = self._seen.get(database)
        changed = seen is None or seen.state != state
        fresh = _Seen(now, commits, state, load_dataset(session) if changed else seen.dataset)
        with self._lock:
            self._seen[database] = fresh
            while len(self._seen) > MAX_DATASETS:
                del self._seen[next(iter(self._seen))]
        if changed and seen is not None:
            self.responses.clear()  # all worked out from older data: never asked for again
            self.pages.clear()
        return fresh.dataset

    def totals(self, check_seconds: float) -> Totals:
        """The remembered totals of paginated lists (db.repositories.totals), asking whether the
        data changed at most every ``check_seconds``."""
        with self._lock:
            if self._totals is None:
                self._totals = Totals(check_seconds=check_seconds)
            self._totals.check_seconds = check_seconds
            return self._totals

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
            totals = self._totals
        for store in (self.engines, self.savings, self.responses, self.pages, self.models, self.files):
            store.clear()
        if totals is not None:
            totals.clear()


def file_stamp(path: str) -> tuple[str, int | None, int | None]:
    """Changes whenever the file at ``path`` is written, replaced or removed."""
    try:
        found = os.stat(path)
    except OSError:
        return path, None, None
    return path, found.st_mtime_ns, found.st_size
