"""Expert pages (advisers): the registry with current load, and the assignment proposal to accept,
edit or reject."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from matchmaker.core.experts import HELP_KINDS
from matchmaker.database import get_session
from matchmaker.db import Expert, ServiceArea
from matchmaker.services import experts
from matchmaker.services.expert_fields import known_regions
from matchmaker.web.moderation import adviser_only
from matchmaker.web.principal import current_principal

blueprint = Blueprint("experts", __name__, url_prefix="/experts")
NONE = "none"


@blueprint.route("", methods=["GET", "POST"])
@adviser_only
def index():
    session = get_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        data = {"name": form.get("name"), "email": form.get("email"), "service_slugs": form.getlist("service_slugs"),
                "help_kinds": form.getlist("help_kinds"), "regions": form.getlist("regions"),
                "capacity": form.get("capacity") or 1}
        try:
            expert = experts.create(session, current_principal(), data)
            session.commit()
            flash(f"{expert.name} added to the registry.", "success")
            return redirect(url_for("experts.index"))
        except experts.InvalidExpert as error:
            session.rollback()
            errors = error.fields
    loads = experts.loads(session)
    registry = list(session.scalars(select(Expert).order_by(Expert.name, Expert.id)))
    services = {s.slug: s.name for s in session.scalars(select(ServiceArea).order_by(ServiceArea.position))}
    return render_template("workflow/experts.html", experts=registry, loads=loads, services=services,
                           help_kinds=HELP_KINDS, regions=known_regions(session), errors=errors, form=request.form,
                           today=date.today(), is_available=experts.is_available)


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
    flash(f"{len(made)} expert assignment{'' if len(made) == 1 else 's'} made{' (edited)' if edited else ''}.",
          "success")
    return redirect(url_for("experts.index"))


@blueprint.post("/assignments/reject")
@adviser_only
def reject():
    session = get_session()
    experts.reject(session, current_principal(), request.form.get("reason", ""))
    session.commit()
    flash("Proposal rejected; nothing was assigned.", "success")
    return redirect(url_for("match_requests.queue"))
