"""Find partners: a council and a service give ranked, explained candidates, ways to join an
existing arrangement, coalitions, savings estimates, a map and (when allowed) contacts."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.core.recommend import QueryError
from matchmaker.db import MatchRequest, Organisation, ServiceArea
from matchmaker.db.repositories.reference import (
    current_councils,
    organisation_by_code,
    service_areas,
    service_by_slug,
)
from matchmaker.flask_database import get_session
from matchmaker.services import match_requests, request_lifecycle
from matchmaker.web import page_cache
from matchmaker.web.forms import IntroductionForm
from matchmaker.web.partners_view import find_partners
from matchmaker.web.principal import current_principal

blueprint = Blueprint("partners", __name__, url_prefix="/find-partners")


@blueprint.get("")
def find():
    code = request.args.get("council", "").strip().upper()
    slug = request.args.get("service", "").strip()
    if code and slug and page_cache.applies():
        key = page_cache.data_key(code, slug)
        remembered = page_cache.peek(key)
        if remembered is not None:
            return remembered
        response = _find(code, slug)
        page, status, headers = response if len(response) == 3 else (None, None, None)
        if status == 200 and not headers:  # results without contacts: the same for everyone
            page_cache.keep(key, page)
        return response
    return _find(code, slug)


def _find(code: str, slug: str):
    session = get_session()
    councils, services = current_councils(session), service_areas(session)
    council = organisation_by_code(session, code) if code else None
    abolished = None
    if council is not None and council.end_date is not None:
        abolished, council = council, None
    service = service_by_slug(session, slug)
    errors = _form_errors(code, slug, council, service, abolished)
    if errors or not (code and slug) or abolished is not None:  # an abolished council: its successors
        status = 400 if errors else 200
        return render_template(
            "partners/find.html",
            councils=councils,
            services=services,
            errors=errors,
            council=council,
            service=service,
            abolished=abolished,
        ), status
    principal = current_principal()
    try:
        result = find_partners(session, council, service, principal)
    except QueryError as exc:
        errors = {"council": str(exc)}
        return render_template(
            "partners/find.html", councils=councils, services=services, errors=errors, council=council, service=service
        ), 400
    page = render_template(
        "partners/results.html",
        councils=councils,
        services=services,
        council=council,
        service=service,
        result=result,
        map_points=json.dumps(result.map_points()),
        may_request=may_request_introduction(council),
        form=IntroductionForm(),
    )
    shows_contacts = any(c.contacts is not None for c in result.candidates)
    return page, 200, ({"Cache-Control": "no-store"} if shows_contacts else {})


def _form_errors(code: str, slug: str, council, service, abolished=None) -> dict[str, str]:
    if not code and not slug:
        return {}
    errors = {}
    if not code:
        errors["council"] = "Select a council"
    elif abolished is not None and not abolished.successors:
        errors["council"] = f"{abolished.name} was abolished on {abolished.end_date.strftime('%-d %B %Y')}"
    elif council is None and abolished is None:
        errors["council"] = f"There is no current council with the code {code}"
    if not slug:
        errors["service"] = "Select a service"
    elif service is None:
        errors["service"] = "Select one of the 15 services"
    return errors


def may_request_introduction(council: Organisation) -> bool:
    """Council officers may ask for introductions for their own council."""
    principal = current_principal()
    return (
        principal.role == "council_officer"
        and principal.has("requests:write")
        and principal.organisation_id == council.id
    )


@blueprint.post("/introductions")
@login_required
def request_introduction():
    session = get_session()
    form = IntroductionForm()
    if not form.validate_on_submit():
        abort(400)
    council = organisation_by_code(session, form.council.data)
    service = service_by_slug(session, form.service.data)
    candidate = organisation_by_code(session, form.candidate.data)
    if council is None or service is None or candidate is None:
        abort(400)
    if not may_request_introduction(council):
        abort(403)
    if candidate.id == council.id:
        flash(f"{council.display_name} cannot be introduced to itself: choose another council.", "error")
        return redirect(url_for("partners.find", council=council.gss_code, service=service.slug))
    earlier = open_introduction(session, council, service, candidate)
    if earlier is not None:
        flash(
            f"You already asked for an introduction to {candidate.display_name} for "
            f"{service.name.lower()} on {earlier.created_at.strftime('%-d %B %Y')}. This is that request.",
            "info",
        )
        return redirect(url_for("match_requests.show", request_id=earlier.id))
    created = match_requests.create(
        session,
        current_principal(),
        {
            "organisation": council.gss_code,
            "service": service.slug,
            "description": f"Introduction to {candidate.name} ({candidate.gss_code}) requested from Find partners.",
            "constraints": {"candidate_codes": [candidate.gss_code]},
        },
    )
    session.commit()
    flash(f"Introduction requested: request number {created.id}. An adviser will be in touch.", "success")
    return redirect(url_for("partners.find", council=council.gss_code, service=service.slug))


def open_introduction(
    session: Session, council: Organisation, service: ServiceArea, candidate: Organisation
) -> MatchRequest | None:
    """The council's open request for an introduction to ``candidate`` for this service, if any:
    one open request per council pair and service."""
    found = session.scalars(
        select(MatchRequest)
        .where(
            MatchRequest.organisation_id == council.id,
            MatchRequest.service_area_id == service.id,
            MatchRequest.status.in_(request_lifecycle.OPEN),
        )
        .order_by(MatchRequest.id)
    )
    return next((r for r in found if candidate.gss_code in (r.constraints or {}).get("candidate_codes", [])), None)
