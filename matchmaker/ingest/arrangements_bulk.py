"""New arrangements written in bulk: a handful of multi-row INSERTs however long the file.

Each new arrangement is first built in memory exactly as the row-by-row path builds it (never
added to the session), so its first history version is the same snapshot; then every table gets
one bulk insert. Existing arrangements keep the row-by-row path, which compares and versions.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Table, insert, select
from sqlalchemy.orm import Session

from matchmaker.db import (
    Arrangement,
    ArrangementVersion,
    ChangeRecord,
    Membership,
    SavingsRecord,
    arrangement_services,
)
from matchmaker.db.arrangement_state import take
from matchmaker.db.base import utcnow
from matchmaker.db.repositories.changes import mark_written, serialise_writers

BATCH = 5_000


def insert_new_arrangements(session: Session, built: list[Arrangement], changed_by: str, note: str) -> int:
    """``built``: transient arrangements with members, services and savings set in memory."""
    for start in range(0, len(built), BATCH):
        _insert_batch(session, built[start : start + BATCH], changed_by, note)
    return len(built)


def _insert_batch(session, batch: list[Arrangement], changed_by: str, note: str) -> None:
    rows = [_columns(a, Arrangement, skip=("id",)) for a in batch]
    bulk_insert(session, Arrangement.__table__, rows)
    ids = dict(
        session.execute(
            select(Arrangement.public_id, Arrangement.id).where(Arrangement.public_id.in_(list(ids_of(batch))))
        ).all()
    )
    members, services, savings, versions, feed = [], [], [], [], []
    for arrangement in batch:
        new_id = ids[arrangement.public_id]
        for position, member in enumerate(arrangement.members):
            members.append(
                {
                    "arrangement_id": new_id,
                    "organisation_id": member.organisation.id,
                    "role": member.role or "member",
                    "joined_year": member.joined_year,
                    "left_year": member.left_year,
                    "position": position,
                }
            )
        services.extend({"arrangement_id": new_id, "service_area_id": s.id} for s in arrangement.services)
        for position, record in enumerate(arrangement.savings):
            savings.append(
                {
                    **_columns(record, SavingsRecord, skip=("id", "arrangement_id")),
                    "arrangement_id": new_id,
                    "position": record.position or position,
                }
            )
        state = take(arrangement)
        versions.append(
            {
                "arrangement_id": new_id,
                "number": 1,
                "snapshot": state,
                "changed_by": changed_by,
                "change_note": note,
                "submission_id": None,
            }
        )
        feed.append(_created_change(state))
    serialise_writers(session)
    mark_written(session)
    for table, values in (
        (Membership.__table__, members),
        (arrangement_services, services),
        (SavingsRecord.__table__, savings),
        (ArrangementVersion.__table__, versions),
        (ChangeRecord.__table__, feed),
    ):
        bulk_insert(session, table, values)


def _created_change(state: dict[str, Any]) -> dict[str, Any]:
    """The change-feed entry of a new arrangement, as db/repositories/changes.py writes it one by one."""
    return {
        "at": utcnow(),
        "resource": "arrangement",
        "resource_id": state["public_id"],
        "action": "created",
        "version": 1,
        "scope": "public:read",
        "data": state,
    }


def ids_of(batch: list[Arrangement]):
    return (a.public_id for a in batch)


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY, far faster than multi-row INSERTs; elsewhere an executemany INSERT."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    defaults = {
        c.key: _default(c)
        for c in table.columns
        if c.key not in rows[0] and not (c.primary_key and c.autoincrement in (True, "auto") and not c.foreign_keys)
    }
    rows = [{**row, **defaults} for row in rows] if defaults else rows
    columns = list(rows[0])
    json_columns = {c.key for c in table.columns if isinstance(c.type, JSON)}
    cursor = session.connection().connection.driver_connection.cursor()
    names = ", ".join(f'"{name}"' for name in columns)
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c] for c in columns]
            )


def _columns(obj: Any, model: type, skip: tuple[str, ...]) -> dict[str, Any]:
    """Every column (a multi-row insert needs the same keys in each row): the value set on the
    transient object, else the column's default."""
    state = obj.__dict__
    return {
        column.key: state[column.key] if state.get(column.key) is not None else _default(column)
        for column in model.__table__.columns
        if column.key not in skip
    }


def _default(column) -> Any:
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps plain callables to take a context
    return default.arg
