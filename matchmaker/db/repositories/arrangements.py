"""Arrangements: filtered lists and one arrangement with members, services and savings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea, arrangement_services
from matchmaker.db.changes import changed_since
from matchmaker.db.repositories.pages import Page, paginate
from matchmaker.db.repositories.totals import Totals


@dataclass(frozen=True)
class ArrangementFilter:
    service: str | None = None
    group: str | None = None
    region: str | None = None
    status: str | None = None
    organisation: str | None = None
    year: int | None = None
    updated_since: datetime | None = None


def with_details(query):
    return query.options(
        selectinload(Arrangement.members).selectinload(Membership.organisation),
        selectinload(Arrangement.services),
        selectinload(Arrangement.savings),
    )


def _offers(condition):
    return exists().where(
        arrangement_services.c.arrangement_id == Arrangement.id,
        arrangement_services.c.service_area_id == ServiceArea.id,
        condition,
    )


def _has_member(condition):
    return exists().where(
        Membership.arrangement_id == Arrangement.id,
        Membership.organisation_id == Organisation.id,
        condition,
    )


def _conditions(where: ArrangementFilter) -> list:
    conditions = []
    if where.service:
        conditions.append(_offers(ServiceArea.slug == where.service))
    if where.group:
        conditions.append(_offers(ServiceArea.group == where.group))
    if where.region:
        conditions.append(_has_member(Organisation.region == where.region))
    if where.organisation:
        conditions.append(_has_member(Organisation.gss_code == where.organisation))
    if where.status:
        conditions.append(Arrangement.status == where.status)
    if where.year is not None:
        # Running that year: started by then (or start unknown) and not ended before it.
        conditions += [
            or_(Arrangement.start_year.is_(None), Arrangement.start_year <= where.year),
            or_(Arrangement.end_year.is_(None), Arrangement.end_year >= where.year),
        ]
    if where.updated_since is not None:
        conditions.append(Arrangement.public_id.in_(changed_since("arrangement", where.updated_since)))
    return conditions


def filtered_arrangements(where: ArrangementFilter):
    return select(Arrangement).where(*_conditions(where)).order_by(Arrangement.public_id)


def on_the_map(where: ArrangementFilter, services: tuple[str, ...] = ()):
    """Real arrangements other than proposals matching ``where`` and offering any of
    ``services`` (all when empty), with their details, by name: the national map and its
    downloads."""
    conditions = _conditions(where)
    if services:
        conditions.append(_offers(ServiceArea.slug.in_(services)))
    query = select(Arrangement).where(Arrangement.synthetic.is_(False), Arrangement.status != "proposed", *conditions)
    return with_details(query).order_by(Arrangement.name)


def _only(where: ArrangementFilter) -> str | None:
    """The name of the one filter given, if exactly one is."""
    given = [name for name, value in vars(where).items() if value not in (None, "")]
    return given[0] if len(given) == 1 else None


def count_arrangements(where: ArrangementFilter):
    """How many arrangements match, counted the cheapest exact way.

    One service, group, member or region alone is counted on the link table without visiting
    the arrangements: each link row names an existing arrangement (foreign key), a service or a
    member at most once per arrangement (primary key, unique constraint); a group or a region
    can reach one arrangement through several rows, hence DISTINCT.
    """
    services = select(arrangement_services.c.arrangement_id).join(
        ServiceArea, ServiceArea.id == arrangement_services.c.service_area_id
    )
    members = select(Membership.arrangement_id).join(Organisation, Organisation.id == Membership.organisation_id)
    only = _only(where)
    if only == "service":
        return _count(services.where(ServiceArea.slug == where.service))
    if only == "group":
        return _count(services.where(ServiceArea.group == where.group).distinct())
    if only == "organisation":
        return _count(members.where(Organisation.gss_code == where.organisation))
    if only == "region":
        return _count(members.where(Organisation.region == where.region).distinct())
    return select(func.count()).select_from(Arrangement).where(*_conditions(where))


def _count(rows):
    return select(func.count()).select_from(rows.subquery())


def list_arrangements(
    session: Session,
    where: ArrangementFilter,
    limit: int,
    offset: int,
    totals: Totals | None = None,
) -> Page:
    query = with_details(filtered_arrangements(where))
    if where.updated_since is not None:
        totals = None  # the change log is not part of the list state the totals are kept by
    return paginate(session, query, limit, offset, count_arrangements(where), totals)


def arrangement_by_public_id(session: Session, public_id: str) -> Arrangement | None:
    return session.scalar(with_details(select(Arrangement).where(Arrangement.public_id == public_id)))
