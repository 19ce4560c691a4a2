"""Match-making pages: the adviser queue (officers: their organisation's requests), the request
form, and a request's page with its timeline, suggestions, notes, expert and status buttons."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from matchmaker import app_cache
from matchmaker.core.experts import HELP_KINDS
from matchmaker.db import Arrangement, Assignment, MatchRequest, Organisation, ServiceArea, User
from matchmaker.db.repositories.match_requests import RequestFilter, list_requests
from matchmaker.db.repositories.reference import service_areas
from matchmaker.flask_database import get_session
from matchmaker.services import match_requests, request_lifecycle
from matchmaker.services.access import Principal, is_adviser
from matchmaker.services.expert_fields import known_regions
from matchmaker.services.request_fields import TIERS, URGENCIES
from matchmaker.web.funding import programme_context
from matchmaker.web.messages import plain_errors
from matchmaker.web.pickers import arrangement_options, council_options
from matchmaker.web.principal import current_principal

blueprint = Blueprint("match_requests", __name__, url_prefix="/match-requests")
PAGE_SIZE = 50


def _writer() -> Principal:
    principal = current_principal()
    if not principal.has("requests:write"):
        abort(403)
    return principal


def _services() -> list[ServiceArea]:
    return service_areas(get_session())


@blueprint.get("")
@login_required
def queue():
    principal = _writer()
    args = request.args
    age = args.get("older_than_days", "")
    filters = RequestFilter(
        status=args.get("status") if args.get("status") in request_lifecycle.LABELS else None,
        statuses=request_lifecycle.OPEN if args.get("status", "open") == "open" else (),
        service=args.get("service") or None,
        region=args.get("region") or None,
        older_than_days=int(age) if age.isdigit() and len(age) < 6 else None,
        organisation_id=None if is_adviser(principal) else (principal.organisation_id or -1),
    )
    offset = int(args["offset"]) if args.get("offset", "").isdigit() and len(args["offset"]) < 9 else 0
    page = list_requests(get_session(), filters, PAGE_SIZE, offset)
    return render_template(
        "workflow/queue.html",
        page=page,
        adviser=is_adviser(principal),
        args=args,
        services=_services(),
        regions=known_regions(get_session()),
        labels=request_lifecycle.LABELS,
        overdue={r.id for r in page.items if match_requests.is_overdue(r)},
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new():
    principal = _writer()
    errors: dict[str, str] = {}
    form = request.form
    if request.method == "POST":
        session = get_session()
        try:
            created = match_requests.create(session, principal, _request_data(form, is_adviser(principal)))
            session.commit()
        except match_requests.InvalidRequest as error:
            session.rollback()
            errors = plain_errors({name.split(".")[-1]: message for name, message in error.fields.items()})
        except match_requests.RequestRefused as error:
            session.rollback()
            errors = {"form": str(error)}
        else:
            flash(f"Request {created.id} sent: an adviser will triage it.", "success")
            return redirect(url_for("match_requests.show", request_id=created.id))
    own = get_session().get(Organisation, principal.organisation_id) if principal.organisation_id else None
    return render_template(
        "workflow/new.html",
        errors=errors,
        form=form,
        services=_services(),
        own=own,
        councils=council_options("Choose a council") if is_adviser(principal) else [],
        arrangements=arrangement_options("Not enlarging an arrangement"),
        adviser=is_adviser(principal),
        tiers=TIERS,
        urgencies=URGENCIES,
        help_kinds=HELP_KINDS,
    ), (400 if errors else 200)


def _request_data(form, adviser: bool) -> dict[str, Any]:
    constraints: dict[str, Any] = {"tiers": form.getlist("tiers"), "expert_help": form.getlist("expert_help")}
    if form.get("max_distance_miles", "").strip():
        constraints["max_distance_miles"] = form["max_distance_miles"].strip()
    if form.get("same_county"):
        constraints["same_county"] = True
    data = {
        "service": form.get("service"),
        "kind": form.get("kind") or "new",
        "description": form.get("description"),
        "urgency": form.get("urgency") or "normal",
        "needs_expert": bool(form.get("needs_expert")),
        "arrangement": form.get("arrangement", "").strip() or None,
        "constraints": {k: v for k, v in constraints.items() if v},
    }
    if adviser:
        data["organisation"] = form.get("organisation", "").strip()
    return data


def _visible(request_id: int) -> MatchRequest:
    try:
        return match_requests.get(get_session(), current_principal(), request_id)
    except match_requests.RequestNotFound:
        abort(404)


@blueprint.get("/<int:request_id>")
@login_required
def show(request_id: int):
    principal = _writer()
    found = _visible(request_id)
    session = get_session()
    assignments = list(
        session.scalars(select(Assignment).where(Assignment.request_id == found.id).order_by(Assignment.id.desc()))
    )
    result = session.get(Arrangement, found.result_arrangement_id) if found.result_arrangement_id else None
    enlarging = session.get(Arrangement, found.arrangement_id) if found.arrangement_id else None
    return render_template(
        "workflow/request.html",
        r=found,
        adviser=is_adviser(principal),
        labels=request_lifecycle.LABELS,
        actions=request_lifecycle.ACTIONS,
        next_statuses=request_lifecycle.next_statuses(found.status),
        assignments=assignments,
        result=result,
        enlarging=enlarging,
        overdue=match_requests.is_overdue(found),
        snapshot=found.snapshots[-1] if found.snapshots else None,
        help_labels=dict(HELP_KINDS),
        today=date.today(),
        actor_names=_actor_names(found),
        **programme_context(found),
    )


def _actor_names(found: MatchRequest) -> dict[str, str]:
    """Timeline actors ("user:12") as the people's names."""
    ids = {int(e.actor[5:]) for e in found.events if e.actor.startswith("user:") and e.actor[5:].isdigit()}
    users = get_session().scalars(select(User).where(User.id.in_(ids))) if ids else []
    return {f"user:{u.id}": u.name or u.email for u in users}


@blueprint.post("/<int:request_id>/status")
@login_required
def change_status(request_id: int):
    principal = _writer()
    found = _visible(request_id)
    session = get_session()
    form = request.form
    version = int(form["version"]) if form.get("version", "").isdigit() and len(form["version"]) < 10 else 0
    to_status = form.get("to_status", "")
    partners = form.getlist("partner_codes") + [c.strip() for c in form.get("other_partners", "").split(",")]
    try:
        match_requests.move(
            session,
            principal,
            found,
            to_status,
            version,
            reason=form.get("reason"),
            note=form.get("note"),
            partner_codes=[p for p in partners if p],
            model_path=current_app.config.get("MODEL_PATH"),
            cache=app_cache.current(),
            not_pursued_reason=form.get("not_pursued_reason") or None,
        )
        session.commit()
    except match_requests.RequestConflict as error:
        session.rollback()
        flash(f"Not saved: {error}. The page now shows the request as it is.", "error")
    except (request_lifecycle.TransitionRefused, match_requests.InvalidRequest, match_requests.RequestRefused) as error:
        session.rollback()
        flash(f"Not saved: {error}.", "error")
    else:
        flash(f"Request {request_id}: {request_lifecycle.LABELS[to_status].lower()}.", "success")
    return redirect(url_for("match_requests.show", request_id=request_id))


@blueprint.post("/<int:request_id>/notes")
@login_required
def add_note(request_id: int):
    principal = _writer()
    found = _visible(request_id)
    session = get_session()
    try:
        match_requests.add_note(session, principal, found, request.form.get("note", ""))
        session.commit()
        flash("Note added.", "success")
    except (match_requests.InvalidRequest, match_requests.RequestRefused) as error:
        session.rollback()
        flash(f"Not saved: {error}.", "error")
    return redirect(url_for("match_requests.show", request_id=request_id) + "#timeline")
