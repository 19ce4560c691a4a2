"""Data quality report: the gaps a refresh should close, as plain dicts with counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership, Organisation
from matchmaker.services.reorganise import LIVE_STATUSES, is_abolished

CHECKS = (
    ("without_savings", "Arrangements without a savings figure"),
    ("without_source", "Arrangements without a source"),
    ("single_member", "Arrangements with only one member"),
    ("abolished_members_live", "Live arrangements with abolished members"),
    ("councils_without_arrangements", "Current councils with no arrangement"),
)


def report(session: Session, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    arrangements = session.scalars(
        select(Arrangement)
        .options(
            selectinload(Arrangement.members).selectinload(Membership.organisation),
            selectinload(Arrangement.savings),
        )
        .order_by(Arrangement.public_id)
    ).all()
    found = {
        "without_savings": [_row(a) for a in arrangements if not a.savings],
        "without_source": [_row(a) for a in arrangements if not a.source_url],
        "single_member": [_row(a) for a in arrangements if len(a.current_members) <= 1],
        "abolished_members_live": [
            _row(
                a,
                abolished=[m.organisation.gss_code for m in _abolished_members(a, today)],
            )
            for a in arrangements
            if a.status in LIVE_STATUSES and _abolished_members(a, today)
        ],
        "councils_without_arrangements": _lonely_councils(session, arrangements),
    }
    return {
        "as_of": today.isoformat(),
        "arrangements": len(arrangements),
        "checks": [
            {"key": key, "title": title, "count": len(found[key]), "items": found[key]} for key, title in CHECKS
        ],
    }


def _abolished_members(arrangement: Arrangement, today: date) -> list[Membership]:
    """Members abolished by ``today`` and not recorded as having left."""
    return [m for m in arrangement.members if m.left_year is None and is_abolished(m.organisation, today)]


def _row(arrangement: Arrangement, **extra: Any) -> dict[str, Any]:
    return {
        "id": arrangement.public_id,
        "name": arrangement.name,
        "status": arrangement.status,
        **extra,
    }


def _lonely_councils(session: Session, arrangements: list[Arrangement]) -> list[dict[str, Any]]:
    sharing = {m.organisation_id for a in arrangements for m in a.members}
    councils = session.scalars(
        select(Organisation)
        .where(Organisation.kind == "council", Organisation.end_date.is_(None))
        .order_by(Organisation.gss_code)
    )
    return [{"id": o.gss_code, "name": o.name} for o in councils if o.id not in sharing]
