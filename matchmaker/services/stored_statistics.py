"""The national statistics, computed ahead by a background job and read while they are current.

A rebuild computes the figures for now and for every year the statistics page offers and stores
them with the data version they were computed from: the change log's data version
(db/repositories/changes.py) and a fingerprint of the tables the figures read, which also moves
when reference data changes without a change-log entry. Readers use stored figures only when both
still match; otherwise they compute the figures live, so what they show is never stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from matchmaker.core.types import current_year
from matchmaker.db import Arrangement, StoredStatistics
from matchmaker.db.repositories import changes, totals
from matchmaker.services.statistics import national_statistics

NOW = "now"
_REBUILD_LOCK = 720_531_019  # any number no other lock uses
SECTIONS = ("by_service_group", "by_service", "by_region", "by_tier_pair", "by_status", "by_start_year")


@dataclass(frozen=True)
class DataVersion:
    number: int
    state: str


def data_version(session: Session) -> DataVersion:
    state = json.dumps(totals.list_state(session), default=str)
    return DataVersion(changes.data_version(session), hashlib.sha256(state.encode()).hexdigest())


def period_of(year: int | None) -> str:
    return NOW if year is None else str(year)


def years(session: Session) -> list[int]:
    """The years the statistics page offers: from the first recorded start to the present."""
    first = session.scalar(select(func.min(Arrangement.start_year))) or current_year()
    return list(range(current_year(), first - 1, -1))


def figures(session: Session, year: int | None = None) -> dict[str, Any]:
    """The figures for ``year`` (None: now), stored if they are current, else computed live."""
    stored = session.get(StoredStatistics, period_of(year))
    if stored is not None and _matches(stored, data_version(session)):
        return decode(stored.figures)
    return national_statistics(session, year)


def is_current(session: Session) -> bool:
    stored = session.get(StoredStatistics, NOW)
    return stored is not None and _matches(stored, data_version(session))


def _matches(stored: StoredStatistics, version: DataVersion) -> bool:
    return (stored.data_version, stored.state) == (version.number, version.state)


def rebuild(session: Session) -> DataVersion | None:
    """Compute and store every period's figures unless they are current already. Returns the
    version stored, or None when there was nothing to do or the data changed while computing
    (the commit that changed it asks for another rebuild)."""
    _one_at_a_time(session)
    before = data_version(session)
    if is_current(session):
        return None
    computed = {period_of(year): national_statistics(session, year) for year in [None, *years(session)]}
    if data_version(session) != before:
        return None
    session.execute(delete(StoredStatistics))
    session.add_all(
        StoredStatistics(period=period, data_version=before.number, state=before.state, figures=encode(found))
        for period, found in computed.items()
    )
    return before


def _one_at_a_time(session: Session) -> None:
    """Two rebuilds at once would both replace the rows: the second waits for the first, then
    finds the figures current. (SQLite has one writer at a time already.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _REBUILD_LOCK})


def encode(found: dict[str, Any]) -> dict[str, Any]:
    """Sums of money (Decimal) as exact decimal text, so the JSON gives back the same figures."""
    return json.loads(json.dumps(found, default=str))


def decode(stored: dict[str, Any]) -> dict[str, Any]:
    found = json.loads(json.dumps(stored))
    for row in [found["totals"], *(row for section in SECTIONS for row in found[section])]:
        row["savings_gbp"] = {k: None if v is None else Decimal(v) for k, v in row["savings_gbp"].items()}
    return found
