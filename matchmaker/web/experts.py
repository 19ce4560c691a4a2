"""Expert pages (advisers): the registry with current load, each expert's entry and assignments,
and the assignment proposal to accept, edit or reject."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from matchmaker.core.experts import HELP_KINDS
from matchmaker.db import Assignment, Expert
from matchmaker.db.repositories.reference import service_areas
from matchmaker.flask_database import get_session
from matchmaker.services import experts
from matchmaker.services.expert_fields import known_regions
from matchmaker.web.moderation import adviser_only
from matchmaker.web.principal import current_principal

blueprint = Blueprint("experts", __name__, url_prefix="/experts")
NONE = "none"
LIST_FIELDS = ("service_slugs", "help_kinds", "regions")


def _posted_entry(with_availability: bool = False) -> dict[str, Any]:
    form = request.form
    data: dict[str, Any] = {
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "capacity": form.get("capacity") or 1,
    }
    data.update({name: form.getlist(name) for name in LIST_FIELDS})
    if with_availability:
        data.update(available=form.get("available") == "yes", available_from=form.get("available_from", ""))
    return data


def _choices() -> dict[str, Any]:
    session = get_session()
    services = {s.slug: s.name for s in service_areas(session)}
    return {"services": services, "help_kinds": HELP_KINDS, "regions": [(g, g) for g in known_regions(session)]}


def _expert(expert_id: int) -> Expert:
    expert = get_session().get(Expert, expert_id) if 0 < expert_id < 2**31 else None
    if expert is None:
        abort(404)
    return expert


@blueprint.route("", methods=["GET", "POST"])
@adviser_only
def index():
    session = get_session()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = _posted_entry()
        try:
            expert = experts.create(session, current_principal(), values)
            session.commit()
            flash(f"{expert.name} added to the registry.", "success")
            return redirect(url_for("experts.index"))
        except experts.InvalidExpert as error:
            session.rollback()
            errors = error.fields
    registry = list(session.scalars(select(Expert).order_by(Expert.name, Expert.id)))
    return render_template(
        "workflow/experts.html",
        experts=registry,
        loads=experts.loads(session),
        errors=errors,
        values=values,
        today=date.today(),
        is_available=experts.is_available,
        **_choices(),
    ), (400 if errors else 200)


@blueprint.route("/<int:expert_id>", methods=["GET", "POST"])
@adviser_only
def show(expert_id: int):
    """An expert's entry to edit, with their assignments; finishing or withdrawing one frees a place."""
    session = get_session()
    expert = _expert(expert_id)
    errors: dict[str, str] = {}
    values, version = _entry_values(expert), expert.version
    if request.method == "POST":
        values, version = _posted_entry(with_availability=True), _posted_version()
        try:
            experts.update(session, current_principal(), expert, values, expected_version=version)
            session.commit()
            flash(f"{expert.name}'s entry saved.", "success")
            return redirect(url_for("experts.show", expert_id=expert_id))
        except experts.InvalidExpert as error:
            session.rollback()
            errors = error.fields
        except experts.ExpertConflict as error:
            session.rollback()
            flash(f"Not saved: {error}. The page now shows the entry as it is.", "error")
            return redirect(url_for("experts.show", expert_id=expert_id))
    return render_template(
        "workflow/expert.html",
        expert=expert,
        values=values,
        errors=errors,
        version=version,
        load=experts.loads(session).get(expert.id, 0),
        assignments=experts.assignments_of(session, expert),
        **_choices(),
    ), (400 if errors else 200)


def _posted_version() -> int:
    """The version the editor saw; 0 (never current) when the form does not carry one."""
    posted = request.form.get("version", "")
    return int(posted) if posted.isdigit() and len(posted) < 10 else 0


def _entry_values(expert: Expert) -> dict[str, Any]:
    return {
        "name": expert.name,
        "email": expert.email,
        "capacity": expert.capacity,
        "available": expert.available,
        "available_from": expert.available_from.isoformat() if expert.available_from else "",
        **{name: list(getattr(expert, name)) for name in LIST_FIELDS},
    }


@blueprint.post("/assignments/<int:assignment_id>/end")
@adviser_only
def end_assignment(assignment_id: int):
    session = get_session()
    assignment = session.get(Assignment, assignment_id) if 0 < assignment_id < 2**31 else None
    if assignment is None:
        abort(404)
    outcome = request.form.get("outcome", "")
    try:
        experts.end(session, current_principal(), assignment, outcome)
        session.commit()
        flash(
            f"Assignment to request {assignment.request_id} {outcome}; {assignment.expert.name} has a place free.",
            "success",
        )
    except experts.AssignmentRefused as error:
        session.rollback()
        flash(f"Not saved: {error}.", "error")
    return redirect(url_for("experts.show", expert_id=assignment.expert_id))


@blueprint.get("/assignments")
@adviser_only
def proposal():
    found = experts.propose(get_session(), current_principal())
    return render_template("workflow/proposal.html", p=found, none=NONE)


@blueprint.post("/assignments/accept")
@adviser_only
def accept():
    session = get_session()
    pairs, edited = [], False
    for key, value in request.form.items():
        if not key.startswith("expert_") or not key[7:].isdigit():
            continue
        proposed = request.form.get(f"proposed_{key[7:]}", NONE)
        edited |= value != proposed
        if value != NONE and value.isdigit():
            pairs.append((int(key[7:]), int(value)))
    try:
        made = experts.accept(session, current_principal(), pairs, edited=edited)
        session.commit()
    except experts.AssignmentRefused as error:
        session.rollback()
        flash(f"Nothing was assigned: {error}. The proposal below is worked out again.", "error")
        return redirect(url_for("experts.proposal"))
    flash(
        f"{len(made)} expert assignment{'' if len(made) == 1 else 's'} made{' (edited)' if edited else ''}.", "success"
    )
    return redirect(url_for("experts.index"))


@blueprint.post("/assignments/reject")
@adviser_only
def reject():
    session = get_session()
    experts.reject(session, current_principal(), request.form.get("reason", ""))
    session.commit()
    flash("Proposal rejected; nothing was assigned.", "success")
    return redirect(url_for("match_requests.queue"))
