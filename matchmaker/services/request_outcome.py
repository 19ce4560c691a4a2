"""When a request ends in an arrangement: create it (a new one) or enlarge the existing one, with
a history version, from the request's council, service and the partners the adviser names."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, MatchRequest, Organisation
from matchmaker.db.arrangement_state import sync_members
from matchmaker.db.repositories.versions import record_version
from matchmaker.services import audit
from matchmaker.services.request_fields import InvalidRequest


def public_id_for(request: MatchRequest) -> str:
    return f"MR{request.id:05d}"


def form_arrangement(session: Session, request: MatchRequest, partner_codes: list[str], actor: str) -> Arrangement:
    partners = _partners(session, request, partner_codes)
    if request.kind == "enlarge":
        arrangement = session.get(Arrangement, request.arrangement_id)
        added = [p for p in partners if p.id not in {m.organisation_id for m in arrangement.members}]
        if not added:
            raise InvalidRequest(
                {"partner_codes": f"every partner named is already a member of {arrangement.public_id}"}
            )
        sync_members(arrangement, [m.organisation for m in arrangement.members] + added)
        if request.service_area not in arrangement.services:
            arrangement.services.append(request.service_area)
        note, action = f"Enlarged through match-making request {request.id}", "arrangement.enlarged"
    else:
        arrangement = _new_arrangement(session, request, partners)
        note, action = f"Formed through match-making request {request.id}", "arrangement.created"
    record_version(session, arrangement, actor, note)
    audit.record(
        session,
        actor,
        action,
        "arrangement",
        arrangement.public_id,
        match_request=request.id,
        members=[m.organisation.gss_code for m in arrangement.members],
    )
    return arrangement


def _new_arrangement(session: Session, request: MatchRequest, partners: list[Organisation]) -> Arrangement:
    members = [request.organisation, *partners]
    names = [o.display_name for o in members]
    name = f"{request.service_area.name}: {', '.join(names[:-1])} and {names[-1]}"
    arrangement = Arrangement(
        public_id=public_id_for(request),
        name=name[:300],
        status="in_development",
        start_year=date.today().year,
        evidence=f"Formed through match-making request {request.id}",
        members=[],
        services=[request.service_area],
        savings=[],
    )
    session.add(arrangement)
    sync_members(arrangement, members)
    arrangement.members[0].role = "host"
    return arrangement


def _partners(session: Session, request: MatchRequest, codes: list[str]) -> list[Organisation]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not codes:
        raise InvalidRequest({"partner_codes": "name the partner council(s) the arrangement was formed with"})
    found = {o.gss_code: o for o in session.scalars(select(Organisation).where(Organisation.gss_code.in_(codes)))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidRequest({"partner_codes": f"unknown GSS code(s): {', '.join(unknown)}"})
    gone = [c for c in codes if not found[c].exists_on(date.today())]
    if gone:
        raise InvalidRequest({"partner_codes": f"no longer exist: {', '.join(gone)}"})
    if request.organisation.gss_code in codes:
        raise InvalidRequest({"partner_codes": "the requesting council is already in the arrangement"})
    return [found[c] for c in codes]
