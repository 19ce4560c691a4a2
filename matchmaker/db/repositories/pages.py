"""A page of results: the items, the total across all pages, and where this page sits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from matchmaker.db.repositories.totals import Totals

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def paginate(
    session: Session,
    query: Select,
    limit: int,
    offset: int,
    count: Select | None = None,
    totals: Totals | None = None,
) -> Page:
    """Counts the filtered rows (with ``count`` when given: it must give the same number more
    cheaply; remembered in ``totals`` when given), then fetches one page in the query's order."""
    if count is None:
        count = select(func.count()).select_from(query.order_by(None).subquery())
    total = totals.total(session, count) if totals is not None else session.scalar(count)
    items = list(session.scalars(query.limit(limit).offset(offset)).unique())
    return Page(items=items, total=int(total or 0), limit=limit, offset=offset)
