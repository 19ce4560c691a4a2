"""Arrangement history for people: every version with what changed, and restoring an old one.

Nothing is ever deleted: restoring version 2 of an arrangement at version 5 writes version 6
holding version 2's state.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, ArrangementVersion, arrangement_state
from matchmaker.db.arrangement_diff import diff_snapshots
from matchmaker.db.repositories.versions import record_version, versions
from matchmaker.services import audit


class VersionNotFound(LookupError):
    pass


def history(session: Session, arrangement: Arrangement) -> list[dict[str, Any]]:
    """Every version, newest first, each with what changed from the one before."""
    rows = []
    previous = None
    for version in versions(session, arrangement.id):
        rows.append(
            {
                "number": version.number,
                "changed_by": version.changed_by,
                "change_note": version.change_note,
                "submission_id": version.submission_id,
                "created_at": version.created_at,
                "snapshot": version.snapshot,
                "changes": diff_snapshots(previous, version.snapshot),
            }
        )
        previous = version.snapshot
    return rows[::-1]


def restore(session: Session, arrangement: Arrangement, number: int, actor: str) -> ArrangementVersion:
    """Bring back version ``number`` as a new version, with an audit event."""
    old = session.scalar(
        select(ArrangementVersion).where(
            ArrangementVersion.arrangement_id == arrangement.id,
            ArrangementVersion.number == number,
        )
    )
    if old is None:
        raise VersionNotFound(f"arrangement {arrangement.public_id} has no version {number}")
    arrangement_state.apply(session, arrangement, old.snapshot)
    version = record_version(session, arrangement, actor, f"Restored version {number}", action="restored")
    audit.record(
        session,
        actor,
        "arrangement.restored",
        "arrangement",
        arrangement.public_id,
        restored=number,
        version=version.number,
    )
    return version
