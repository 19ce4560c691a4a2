"""The one place changes are written to the change log, in the caller's transaction.

Every writer of arrangements (page and API edits, moderation approvals, restores,
reorganisations, match-making outcomes, imports) records versions through
``db/repositories/versions.py``, which records each new arrangement version here; organisation
successions, retrained models and private workflow changes are recorded here by their writers too.
A reader replaying the log from the start rebuilds the current public data, because each public
entry carries the resource's whole state.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matchmaker.db import ChangeRecord

PUBLIC = "public:read"
# Any number, the same for every writer: PostgreSQL holds this lock to the end of the transaction.
_WRITER_LOCK = 720_531_018
WRITTEN = "matchmaker_changes_written"


def serialise_writers(session: Session) -> None:
    """Change ids are handed out in commit order: a reader that has seen id N never later finds a
    smaller id committed behind it. SQLite has one writer at a time already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if transaction is None or session.info.get("change_lock") is not transaction:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITER_LOCK})
        session.info["change_lock"] = session.get_transaction()


def record(
    session: Session,
    resource: str,
    resource_id: str,
    action: str,
    version: int | None,
    data: dict[str, Any],
    scope: str = PUBLIC,
) -> ChangeRecord:
    serialise_writers(session)
    change = ChangeRecord(
        resource=resource, resource_id=str(resource_id), action=action, version=version, data=data, scope=scope
    )
    session.add(change)
    mark_written(session)
    return change


def mark_written(session: Session) -> None:
    """Note on the session that this transaction wrote changes: whoever listens for commits (the
    job queue) turns them into webhook deliveries once it commits."""
    session.info[WRITTEN] = True


def arrangement_action(before: dict | None, after: dict, hint: str | None = None) -> str:
    """created, ended, or the writer's own word (restored, reorganised), else changed."""
    if before is None:
        return "created"
    if hint:
        return hint
    if after["fields"].get("status") == "ended" and before["fields"].get("status") != "ended":
        return "ended"
    return "changed"


def arrangement_changed(
    session: Session, snapshot: dict, version: int, before: dict | None, hint: str | None = None
) -> ChangeRecord:
    return record(
        session, "arrangement", snapshot["public_id"], arrangement_action(before, snapshot, hint), version, snapshot
    )


def succession_changed(session: Session, code: str, name: str, successors: list[str]) -> ChangeRecord:
    data = {"gss_code": code, "name": name, "successors": sorted(successors)}
    return record(session, "organisation", code, "succession", None, data)


def model_retrained(session: Session, model_version: str, data: dict[str, Any]) -> ChangeRecord:
    return record(session, "model", model_version, "retrained", None, data)


def request_changed(
    session: Session, request_id: int, action: str, version: int | None, data: dict[str, Any]
) -> ChangeRecord:
    """Match-making requests are private: only callers with the adviser scope see them."""
    return record(session, "match_request", str(request_id), action, version, data, scope="adviser")


def data_version(session: Session) -> int:
    """The newest public change to the data the model learns from (0 before any)."""
    return (
        session.scalar(
            select(func.max(ChangeRecord.id)).where(
                ChangeRecord.scope == PUBLIC, ChangeRecord.resource.in_(("arrangement", "organisation"))
            )
        )
        or 0
    )


def page(session: Session, after: int, limit: int, scopes: frozenset[str]) -> list[ChangeRecord]:
    return list(
        session.scalars(
            select(ChangeRecord)
            .where(ChangeRecord.id > after, ChangeRecord.scope.in_(sorted(scopes)))
            .order_by(ChangeRecord.id)
            .limit(limit)
        )
    )
