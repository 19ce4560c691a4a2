"""Organisations: filtered lists, one organisation with its neighbours and arrangements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matchmaker.db import NeighbourPair, Organisation
from matchmaker.db.changes import changed_since
from matchmaker.db.repositories.pages import Page, paginate
from matchmaker.db.repositories.reference import escape_like
from matchmaker.db.repositories.totals import Totals


@dataclass(frozen=True)
class OrganisationFilter:
    region: str | None = None
    tier: str | None = None
    council_type: str | None = None
    county: str | None = None
    name: str | None = None
    exists_on: date | None = None
    updated_since: datetime | None = None


def list_organisations(
    session: Session,
    where: OrganisationFilter,
    limit: int,
    offset: int,
    totals: Totals | None = None,
) -> Page:
    query = select(Organisation).order_by(Organisation.gss_code, Organisation.id)
    if where.region:
        query = query.where(Organisation.region == where.region)
    if where.tier:
        query = query.where(Organisation.tier == where.tier)
    if where.council_type:
        query = query.where(Organisation.council_type == where.council_type)
    if where.county:
        query = query.where(Organisation.county_gss == where.county)
    if where.name:
        pattern = f"%{escape_like(where.name.lower())}%"
        query = query.where(
            or_(
                Organisation.name.ilike(pattern, escape="\\"),
                Organisation.short_name.ilike(pattern, escape="\\"),
            )
        )
    if where.exists_on:
        day = where.exists_on
        query = query.where(
            or_(Organisation.start_date.is_(None), Organisation.start_date <= day),
            or_(Organisation.end_date.is_(None), Organisation.end_date >= day),
        )
    if where.updated_since is not None:
        since = where.updated_since
        query = query.where(
            or_(
                Organisation.updated_at >= since,
                Organisation.gss_code.in_(changed_since("organisation", since)),
            )
        )
        totals = None  # the change log is not part of the list state the totals are kept by
    return paginate(session, query, limit, offset, totals=totals)


def neighbours_of(session: Session, organisation: Organisation) -> list[tuple[Organisation, float]]:
    """Organisations whose boundary touches this one, with the shared length, by code."""
    pairs = session.execute(
        select(NeighbourPair).where(
            or_(NeighbourPair.org_a_id == organisation.id, NeighbourPair.org_b_id == organisation.id)
        )
    ).scalars()
    lengths = {(p.org_b_id if p.org_a_id == organisation.id else p.org_a_id): p.shared_boundary_km for p in pairs}
    if not lengths:
        return []
    others = session.scalars(
        select(Organisation).where(Organisation.id.in_(lengths)).order_by(Organisation.gss_code)
    ).all()
    return [(other, lengths[other.id]) for other in others]
