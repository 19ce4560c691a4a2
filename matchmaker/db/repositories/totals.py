"""Exact totals for paginated lists, remembered per (database, count query, data state).

Counting every match of an unselective filter is most of the cost of a page at scale, yet the
answer only changes when the data does. A total is kept until the list data changes:

- whether it changed is asked of the database at most every ``check_seconds`` (a few aggregate
  queries over the listed tables), so another process's write shows within that time;
- a commit in this process that wrote to a listed table makes the next request ask at once, so a
  caller always sees its own writes counted.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea, arrangement_services
from matchmaker.db.commits import commits_writing

LISTED_TABLES = frozenset(
    {"arrangements", "arrangement_members", "arrangement_services", "organisations", "service_areas"}
)


def list_state(session: Session) -> tuple:
    """Changes whenever a row the list filters or counts read is added, removed or changed.
    One round trip, one pass over each table."""
    parts = (
        select(func.count(), func.max(Arrangement.updated_at), func.sum(Arrangement.version))
        .select_from(Arrangement)
        .subquery(),
        select(func.count(), func.sum(Membership.organisation_id)).select_from(Membership).subquery(),
        select(func.count(), func.sum(arrangement_services.c.service_area_id))
        .select_from(arrangement_services)
        .subquery(),
        select(func.count(), func.max(Organisation.updated_at)).select_from(Organisation).subquery(),
        select(func.count()).select_from(ServiceArea).subquery(),
    )
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())
    row = session.execute(select(*(c for part in parts for c in part.c)).select_from(joined)).one()
    return tuple(str(value) for value in row)


class Totals:
    """A bounded cache of exact totals; one per application."""

    def __init__(self, check_seconds: float = 1.0, max_entries: int = 4096) -> None:
        self.check_seconds = check_seconds
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._states: dict[str, tuple[float, int, tuple]] = {}
        self._totals: OrderedDict[Hashable, int] = OrderedDict()

    def total(self, session: Session, count: Select) -> int:
        """``count``'s answer for the data as it is now (at most ``check_seconds`` old)."""
        database = str(session.get_bind().url)
        compiled = count.compile(session.get_bind())
        key = (database, self._state(session, database), str(compiled), repr(compiled.params))
        with self._lock:
            if key in self._totals:
                self._totals.move_to_end(key)
                return self._totals[key]
        value = int(session.scalar(count) or 0)
        with self._lock:
            self._totals[key] = value
            while len(self._totals) > self.max_entries:
                self._totals.popitem(last=False)
        return value

    def _state(self, session: Session, database: str) -> tuple:
        now, commits = time.monotonic(), commits_writing(LISTED_TABLES)
        with self._lock:
            known = self._states.get(database)
        if known is not None and known[1] == commits and now - known[0] < self.check_seconds:
            return known[2]
        state = list_state(session)
        with self._lock:
            self._states[database] = (now, commits, state)
        return state

    def __len__(self) -> int:
        return len(self._totals)

    def clear(self) -> None:
        with self._lock:
            self._states.clear()
            self._totals.clear()
