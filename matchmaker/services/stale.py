"""Optimistic concurrency for versioned rows (``version_id_col``): write pending changes now, and
if another transaction changed the row first, say which version it has now."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


class Stale(RuntimeError):
    """The row changed since it was read; ``current`` is its version now (None if it is gone)."""

    def __init__(self, current: int | None) -> None:
        super().__init__(f"the row is now at version {current}")
        self.current = current


def conflict_text(what: str, seen: int, current: int | None) -> str:
    now = f"it is now version {current}" if current is not None else "it has changed"
    return (
        f"{what} was changed by someone else since you saw version {seen} ({now}); "
        "nothing was saved: reload it and try again"
    )


@contextmanager
def flushed(session: Session, model: type, row_id: int) -> Iterator[None]:
    """Flush the block's changes; a concurrent change to the row raises Stale. The caller then
    rolls the transaction back."""
    try:
        yield
        session.flush()
    except StaleDataError:
        # The session's transaction is unusable now: ask on a connection of its own.
        with session.get_bind().connect() as connection:
            current = connection.scalar(select(model.version).where(model.id == row_id))
        raise Stale(current) from None
