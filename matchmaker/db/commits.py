"""Commits made in this process, counted by the tables they wrote to.

Whatever is remembered from the data (the engine's Dataset, list totals) asks the database
whether the data changed only now and then; a commit of this process that wrote to a table it
reads makes it ask at once, so a caller always sees its own writes.
"""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import event
from sqlalchemy.orm import Session

_WRITTEN = "matchmaker_tables_written"

_lock = threading.Lock()
_commits: Counter[str] = Counter()


def commits_writing(tables: frozenset[str]) -> int:
    """Grows with every commit in this process that wrote to one of ``tables``. Read without the
    lock, on every request: a commit counted while this reads shows at the next call."""
    return sum(map(_commits.__getitem__, tables))


@event.listens_for(Session, "after_flush")
def _note_writes(session: Session, _context) -> None:
    touched = {
        getattr(type(instance), "__tablename__", None) for instance in (*session.new, *session.dirty, *session.deleted)
    }
    session.info.setdefault(_WRITTEN, set()).update(touched - {None})


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    written = session.info.pop(_WRITTEN, set())
    if written:
        with _lock:
            _commits.update(written)


@event.listens_for(Session, "after_rollback")
def _forget_writes(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
