"""The adviser queue: match-making requests filtered by status, service, region, age, organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import MatchRequest, Organisation, ServiceArea
from matchmaker.db.repositories.pages import Page, paginate


@dataclass(frozen=True)
class RequestFilter:
    status: str | None = None
    statuses: tuple[str, ...] = ()
    service: str | None = None
    region: str | None = None
    organisation_id: int | None = None
    older_than_days: int | None = None
    needs_expert: bool | None = None


def request_query(f: RequestFilter) -> Select:
    query = (
        select(MatchRequest)
        .join(MatchRequest.organisation)
        .join(MatchRequest.service_area)
        .options(selectinload(MatchRequest.events))
        .order_by(MatchRequest.created_at, MatchRequest.id)
    )
    if f.status:
        query = query.where(MatchRequest.status == f.status)
    if f.statuses:
        query = query.where(MatchRequest.status.in_(f.statuses))
    if f.service:
        query = query.where(ServiceArea.slug == f.service)
    if f.region:
        query = query.where(Organisation.region == f.region)
    if f.organisation_id is not None:
        query = query.where(MatchRequest.organisation_id == f.organisation_id)
    if f.older_than_days is not None:
        cutoff = datetime.now(timezone.utc) - timedelta(days=f.older_than_days)
        query = query.where(MatchRequest.created_at <= cutoff)
    if f.needs_expert is not None:
        query = query.where(MatchRequest.needs_expert.is_(f.needs_expert))
    return query


def list_requests(session: Session, f: RequestFilter, limit: int, offset: int) -> Page[MatchRequest]:
    return paginate(session, request_query(f), limit, offset)
