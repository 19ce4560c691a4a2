"""Is a proposed arrangement one we already hold? Same councils and at least one shared service."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership, Organisation


def find_duplicate(session: Session, council_codes: list[str], service_slugs: list[str]) -> Arrangement | None:
    """The closest existing arrangement whose members equal, contain or are contained in the
    proposed councils and which shares a service; None when there is none."""
    wanted = set(council_codes)
    candidates = session.scalars(
        select(Arrangement)
        .join(Membership, Membership.arrangement_id == Arrangement.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Organisation.gss_code.in_(wanted))
        .options(
            selectinload(Arrangement.members).selectinload(Membership.organisation),
            selectinload(Arrangement.services),
        )
        .distinct()
    )
    matches = []
    for arrangement in candidates:
        members = {m.organisation.gss_code for m in arrangement.current_members}
        shared = set(service_slugs) & {s.slug for s in arrangement.services}
        nested = members <= wanted or wanted <= members
        if shared and nested and (members == wanted or len(members & wanted) >= 2):
            matches.append((len(members ^ wanted), -len(shared), arrangement.id, arrangement))
    return min(matches)[3] if matches else None
