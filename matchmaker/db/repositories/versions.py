"""Arrangement versions: a numbered, frozen snapshot of an arrangement after every change, each
also written to the change log.

Versions are only ever added (services/history.py restores an old one by adding a new one).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, ArrangementVersion, arrangement_state
from matchmaker.db.repositories import changes


@dataclass
class Change:
    """An arrangement touched by an operation and its state before (None when created)."""

    arrangement: Arrangement
    before: arrangement_state.Snapshot | None


def latest_numbers(session: Session, arrangement_ids: list[int]) -> dict[int, int]:
    if not arrangement_ids:
        return {}
    rows = session.execute(
        select(ArrangementVersion.arrangement_id, func.max(ArrangementVersion.number))
        .where(ArrangementVersion.arrangement_id.in_(arrangement_ids))
        .group_by(ArrangementVersion.arrangement_id)
    )
    return {arrangement_id: number for arrangement_id, number in rows}


def current_number(session: Session, arrangement_id: int) -> int:
    """The latest version number, 0 for an arrangement that has none yet."""
    return latest_numbers(session, [arrangement_id]).get(arrangement_id, 0)


def record_version(
    session: Session,
    arrangement: Arrangement,
    changed_by: str,
    change_note: str | None = None,
    submission_id: int | None = None,
    action: str | None = None,
) -> ArrangementVersion:
    """``action`` names the change in the change feed (restored, reorganised); by default it is
    created, ended or changed, read from the states before and after."""
    session.flush()
    number = current_number(session, arrangement.id) + 1
    version = ArrangementVersion(
        arrangement_id=arrangement.id,
        number=number,
        snapshot=arrangement_state.take(arrangement),
        changed_by=changed_by,
        change_note=change_note,
        submission_id=submission_id,
    )
    session.add(version)
    session.flush()
    before = _snapshot_of(session, arrangement.id, number - 1) if number > 1 else None
    changes.arrangement_changed(session, version.snapshot, number, before, action)
    return version


def _snapshot_of(session: Session, arrangement_id: int, number: int) -> dict | None:
    return session.scalar(
        select(ArrangementVersion.snapshot).where(
            ArrangementVersion.arrangement_id == arrangement_id, ArrangementVersion.number == number
        )
    )


def record_changes(session: Session, changed: list[Change], changed_by: str, note: str) -> int:
    """One version for each arrangement created or really changed; returns how many."""
    session.flush()
    numbers = latest_numbers(session, [c.arrangement.id for c in changed if c.before is not None])
    recorded, pending = 0, []
    for change in changed:
        after = arrangement_state.take(change.arrangement)
        number = numbers.get(change.arrangement.id, 0)
        if change.before == after and number > 0:
            continue
        session.add(
            ArrangementVersion(
                arrangement_id=change.arrangement.id,
                number=number + 1,
                snapshot=after,
                changed_by=changed_by,
                change_note=note,
            )
        )
        pending.append((change, after, number + 1))
        recorded += 1
    session.flush()
    for change, after, number in pending:
        changes.arrangement_changed(session, after, number, change.before)
    return recorded


def versions(session: Session, arrangement_id: int) -> list[ArrangementVersion]:
    return list(
        session.scalars(
            select(ArrangementVersion)
            .where(ArrangementVersion.arrangement_id == arrangement_id)
            .order_by(ArrangementVersion.number)
        )
    )
