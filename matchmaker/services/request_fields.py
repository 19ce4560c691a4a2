"""Checking what a match-making request says: organisation, service, kind, constraints, urgency.

Constraints (stored on the request, applied to its suggestions): ``max_distance_miles``
(a positive number), ``same_county`` (only councils in the same two-tier county), ``tiers``
(candidate tiers allowed: upper, lower, single) and ``expert_help`` (the kinds of help wanted
from an expert, used by the expert assignment); ``candidate_codes`` (the councils an introduction
was asked for from Find partners).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.core.experts import HELP_LABELS
from matchmaker.core.graph import county_area
from matchmaker.db import Arrangement, MatchRequest, Organisation
from matchmaker.db.repositories.reference import service_by_slug

KINDS = ("new", "enlarge")
URGENCIES = ("low", "normal", "high")
TIERS = ("upper", "lower", "single")
MAX_MILES = 1000
MAX_CANDIDATES = 10
GSS_CODE = re.compile(r"[EWSNKX][0-9]{8}")
DETAILS = ("description", "constraints", "urgency", "needs_expert")


class InvalidRequest(ValueError):
    """Nothing was stored. ``fields`` maps each field at fault to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in fields.items()))
        self.fields = fields


def check_new(session: Session, data: dict[str, Any], own_organisation_id: int | None) -> dict[str, Any]:
    """The new request's column values, or InvalidRequest naming every field at fault."""
    problems: dict[str, str] = {}
    organisation = _organisation(session, data, own_organisation_id, problems)
    service = service_by_slug(session, str(data.get("service") or ""))
    if service is None:
        problems["service"] = f"unknown service {data.get('service')!r}"
    kind = data.get("kind") or "new"
    if kind not in KINDS:
        problems["kind"] = f"must be one of: {', '.join(KINDS)}"
    arrangement = None
    if kind == "enlarge":
        arrangement = _arrangement(session, data.get("arrangement"), organisation, problems)
    details = _details(session, data, organisation, problems)
    if problems:
        raise InvalidRequest(problems)
    return {
        "organisation": organisation,
        "service_area": service,
        "kind": kind,
        "arrangement_id": arrangement.id if arrangement else None,
        **details,
    }


def check_details(session: Session, request: MatchRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The changed detail fields (only those given and different), or InvalidRequest."""
    problems: dict[str, str] = {}
    given = {name: data[name] for name in DETAILS if name in data}
    merged = {
        "description": request.description,
        "constraints": request.constraints,
        "urgency": request.urgency,
        "needs_expert": request.needs_expert,
        **given,
    }
    details = _details(session, merged, request.organisation, problems)
    if problems:
        raise InvalidRequest(problems)
    return {name: value for name, value in details.items() if name in given and getattr(request, name) != value}


def _organisation(session: Session, data: dict[str, Any], own_id: int | None, problems: dict) -> Organisation | None:
    code = str(data.get("organisation") or "").strip()
    if own_id is not None:
        own = session.get(Organisation, own_id)
        if code and code != own.gss_code:
            problems["organisation"] = f"you can request partners only for your own organisation ({own.gss_code})"
        return own
    if not code:
        problems["organisation"] = "give the GSS code of the council asking for partners"
        return None
    organisation = session.scalar(select(Organisation).where(Organisation.gss_code == code))
    if organisation is None:
        problems["organisation"] = f"unknown GSS code {code!r}"
    elif not organisation.exists_on(date.today()):
        problems["organisation"] = f"{organisation.display_name} ({code}) no longer exists"
    return organisation


def _arrangement(
    session: Session, public_id: Any, organisation: Organisation | None, problems: dict
) -> Arrangement | None:
    if not public_id:
        problems["arrangement"] = "give the id of the arrangement to enlarge"
        return None
    arrangement = session.scalar(select(Arrangement).where(Arrangement.public_id == str(public_id)))
    if arrangement is None:
        problems["arrangement"] = f"unknown arrangement {public_id!r}"
    elif arrangement.status == "ended":
        problems["arrangement"] = f"arrangement {public_id} has ended"
    elif organisation is not None and organisation.id not in {m.organisation_id for m in arrangement.current_members}:
        problems["arrangement"] = f"{organisation.display_name} is not a member of arrangement {public_id}"
    return arrangement


def _details(
    session: Session, data: dict[str, Any], organisation: Organisation | None, problems: dict
) -> dict[str, Any]:
    description = str(data.get("description") or "").strip()
    if len(description) > 2000:
        problems["description"] = "keep it under 2,000 characters"
    urgency = data.get("urgency") or "normal"
    if urgency not in URGENCIES:
        problems["urgency"] = f"must be one of: {', '.join(URGENCIES)}"
    constraints = _constraints(data.get("constraints") or {}, organisation, problems)
    return {
        "description": description,
        "constraints": constraints,
        "urgency": urgency,
        "needs_expert": bool(data.get("needs_expert")),
    }


def _constraints(raw: dict[str, Any], organisation: Organisation | None, problems: dict) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems["constraints"] = "must be an object"
        return {}
    unknown = sorted(set(raw) - {"max_distance_miles", "same_county", "tiers", "expert_help", "candidate_codes"})
    if unknown:
        problems["constraints"] = f"unknown constraint(s): {', '.join(unknown)}"
    found: dict[str, Any] = {}
    miles = raw.get("max_distance_miles")
    if miles not in (None, ""):
        try:
            found["max_distance_miles"] = float(miles)
            if not 0 < found["max_distance_miles"] <= MAX_MILES:
                raise ValueError
        except (TypeError, ValueError):
            problems["constraints.max_distance_miles"] = f"must be a number of miles above 0 and up to {MAX_MILES}"
    if raw.get("same_county"):
        found["same_county"] = True
        if (
            organisation is not None
            and county_area(organisation.tier, organisation.gss_code, organisation.county_gss) is None
        ):
            problems["constraints.same_county"] = (
                f"{organisation.display_name} is not in a two-tier county, so 'same county only' cannot apply"
            )
    found.update(_choices(raw, "tiers", TIERS, problems))
    found.update(_choices(raw, "expert_help", tuple(HELP_LABELS), problems))
    found.update(_candidates(raw, problems))
    return found


def _candidates(raw: dict[str, Any], problems: dict) -> dict[str, list[str]]:
    """The councils an introduction was asked for (from Find partners), by GSS code."""
    codes = raw.get("candidate_codes") or []
    if (
        not isinstance(codes, list)
        or len(codes) > MAX_CANDIDATES
        or not all(isinstance(code, str) and GSS_CODE.fullmatch(code) for code in codes)
    ):
        problems["constraints.candidate_codes"] = f"give up to {MAX_CANDIDATES} GSS codes"
        return {}
    return {"candidate_codes": codes} if codes else {}


def _choices(raw: dict[str, Any], name: str, allowed: tuple[str, ...], problems: dict) -> dict[str, list[str]]:
    values = raw.get(name) or []
    if isinstance(values, str):
        values = [values]
    wrong = [v for v in values if v not in allowed]
    if wrong:
        problems[f"constraints.{name}"] = (
            f"unknown value(s) {', '.join(map(str, wrong))} (allowed: {', '.join(allowed)})"
        )
        return {}
    return {name: sorted(set(values), key=allowed.index)} if values else {}
