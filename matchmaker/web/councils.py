"""The council page: profile, successions, arrangements by service, partners map, savings."""

from __future__ import annotations

import json
from collections import defaultdict

from flask import Blueprint, abort, render_template, url_for

from matchmaker.db import Arrangement, Organisation
from matchmaker.db.repositories.reference import arrangements_of, organisation_by_code, service_areas
from matchmaker.flask_database import get_session
from matchmaker.services.contacts import read_contacts
from matchmaker.web.principal import current_principal

blueprint = Blueprint("councils", __name__, url_prefix="/councils")


@blueprint.get("/<code>")
def show(code: str):
    session = get_session()
    council = organisation_by_code(session, code)
    if council is None:
        abort(404)
    arrangements = arrangements_of(session, council, newest_first=True)
    contacts = read_contacts(session, current_principal(), organisation_id=council.id, context="council page")
    if contacts is not None:
        session.commit()
    savings = [(a, record) for a in arrangements for record in a.savings]
    page = render_template(
        "councils/show.html",
        council=council,
        county=organisation_by_code(session, council.county_gss) if council.county_gss else None,
        by_service=arrangements_by_service(arrangements),
        arrangements=arrangements,
        savings=savings,
        without_figures=[a for a in arrangements if not a.savings],
        partners=partners_of(council, arrangements),
        map_points=json.dumps(map_points(council, arrangements)),
        contacts=contacts,
        services=service_areas(session),
    )
    # Contact details must not be kept by the browser or any cache once the page is left.
    return page, 200, ({"Cache-Control": "no-store"} if contacts is not None else {})


def arrangements_by_service(arrangements: list[Arrangement]) -> list[tuple[object, list[Arrangement]]]:
    grouped: dict[int, list[Arrangement]] = defaultdict(list)
    areas = {}
    for arrangement in arrangements:
        for area in arrangement.services:
            grouped[area.id].append(arrangement)
            areas[area.id] = area
    return [(areas[i], grouped[i]) for i in sorted(grouped, key=lambda i: areas[i].position)]


def partners_of(council: Organisation, arrangements: list[Arrangement]) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for arrangement in arrangements:
        for member in arrangement.current_members:
            if member.organisation_id != council.id:
                seen[member.organisation_id] = member.organisation
    return sorted(seen.values(), key=lambda o: o.name)


def map_points(council: Organisation, arrangements: list[Arrangement]) -> list[dict]:
    points = [_point(council, "council")] if council.lat is not None else []
    points += [_point(o, "partner") for o in partners_of(council, arrangements) if o.lat is not None]
    return points


def _point(organisation: Organisation, role: str) -> dict:
    return {
        "name": organisation.name,
        "code": organisation.gss_code,
        "lat": organisation.lat,
        "lon": organisation.lon,
        "role": role,
        "url": url_for("councils.show", code=organisation.gss_code) if organisation.gss_code else None,
    }
