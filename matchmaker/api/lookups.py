"""Turning identifiers in a request into records, or into the right problem (404 or 422)."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.api.errors import invalid, not_found
from matchmaker.db import Arrangement, Organisation, ServiceArea
from matchmaker.db.repositories.reference import organisation_by_code, service_areas, service_by_slug
from matchmaker.flask_database import get_session


def organisation_or_404(gss_code: str) -> Organisation:
    organisation = organisation_by_code(get_session(), gss_code)
    if organisation is None:
        raise not_found(f"There is no organisation with GSS code {gss_code}.")
    return organisation


def arrangement_or_404(public_id: str) -> Arrangement:
    arrangement = get_session().scalar(select(Arrangement).where(Arrangement.public_id == public_id))
    if arrangement is None:
        raise not_found(f"There is no arrangement {public_id}.")
    return arrangement


def service_or_422(slug: str, where: str = "query") -> ServiceArea:
    service = service_by_slug(get_session(), slug)
    if service is None:
        known = [area.slug for area in service_areas(get_session())]
        raise invalid("service", f"unknown service {slug!r}; expected one of {', '.join(known)}", where)
    return service


def check_group(group: str) -> None:
    groups = sorted({area.group for area in service_areas(get_session())})
    if group not in groups:
        raise invalid("group", f"unknown service group {group!r}; expected one of {', '.join(groups)}")


def check_arrangement_filters(filters: dict) -> None:
    if filters.get("service"):
        service_or_422(filters["service"])
    if filters.get("group"):
        check_group(filters["group"])
