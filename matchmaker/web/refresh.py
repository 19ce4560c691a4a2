"""Refresh pages: the round dashboard, opening a round, reorganisation, data quality."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from matchmaker.db import Organisation
from matchmaker.flask_database import get_session
from matchmaker.services import quality, refresh, reorganise
from matchmaker.web.moderation import adviser_only
from matchmaker.web.principal import current_principal

blueprint = Blueprint("refresh_pages", __name__)


@blueprint.get("/refresh")
@login_required
def dashboard():
    """The round's page: advisers run rounds; an officer answers for their council. Nobody else
    has anything to do here."""
    session = get_session()
    principal = current_principal()
    if principal.organisation_id is None and not principal.has("adviser"):
        abort(403)
    current = refresh.current_round(session)
    own = session.get(Organisation, principal.organisation_id) if principal.organisation_id else None
    rounds = [refresh.dashboard(session, r) for r in refresh.all_rounds(session)] if principal.has("adviser") else []
    councils = session.scalars(
        select(Organisation)
        .where(Organisation.kind == "council", Organisation.end_date.is_(None))
        .order_by(Organisation.name)
    ).all()
    return render_template(
        "refresh/dashboard.html",
        current=current,
        rounds=rounds,
        own=own,
        councils=councils,
        is_adviser=principal.has("adviser"),
        problems=[],
    )


@blueprint.post("/refresh/rounds")
@adviser_only
def open_round():
    session = get_session()
    year = request.form.get("year", "")
    if not (year.isdigit() and 1990 <= int(year) <= 2100):
        flash("Give the round's year, four digits (for example 2025).", "error")
        return redirect(url_for("refresh_pages.dashboard"))
    try:
        refresh.open_round(session, current_principal(), int(year))
        session.commit()
    except refresh.RoundConflict as error:
        flash(f"Not opened: {error}.", "error")
        return redirect(url_for("refresh_pages.dashboard"))
    flash(f"The {year} refresh round is open.", "success")
    return redirect(url_for("refresh_pages.dashboard"))


@blueprint.route("/refresh/rounds/<int:year>/close", methods=["GET", "POST"])
@adviser_only
def close_round(year: int):
    """Closing is asked for on its own page, with the round's figures, then confirmed."""
    session = get_session()
    found = refresh.round_for_year(session, year)
    if found is None:
        abort(404)
    if found.status != "open":
        flash(f"The {year} round is already closed.", "info")
        return redirect(url_for("refresh_pages.dashboard"))
    if request.method == "POST":
        refresh.close_round(session, current_principal(), found)
        session.commit()
        flash(f"The {year} refresh round is closed. Councils can no longer send questionnaires for it.", "success")
        return redirect(url_for("refresh_pages.dashboard"))
    return render_template("refresh/close.html", round=refresh.dashboard(session, found))


@blueprint.route("/reorganise", methods=["GET", "POST"])
@adviser_only
def reorganisation():
    session = get_session()
    as_of_text = request.values.get("as_of", "").strip()
    as_of = _as_of(as_of_text)
    errors: dict[str, str] = {}
    if as_of is None:
        errors["as_of"] = f"Give the date as YYYY-MM-DD (for example 2025-04-01), not {as_of_text[:20]!r}."
    elif request.method == "POST":
        moved, errors = _move(session, as_of, set(request.form.getlist("arrangement")))
        if moved is not None:
            flash(f"Memberships moved to successors in {moved} arrangement(s).", "success")
            return redirect(url_for("refresh_pages.reorganisation", as_of=as_of.isoformat()))
    as_of = as_of or date.today()
    page = render_template(
        "refresh/reorganise.html",
        moves=reorganise.plan(session, as_of),
        as_of=as_of,
        as_of_text=as_of_text or as_of.isoformat(),
        errors=errors,
    )
    return page, 400 if errors else 200


def _as_of(text: str) -> date | None:
    """The date abolitions are judged at: today unless the adviser gives one (YYYY-MM-DD)."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _move(session, as_of: date, chosen: set[str]) -> tuple[int | None, dict[str, str]]:
    if not chosen:
        return None, {"form": "Choose at least one arrangement whose memberships should move."}
    try:
        moves = reorganise.apply_plan(session, current_principal().actor, as_of, chosen)
    except reorganise.StalePlan as stale:
        session.rollback()
        return None, {"form": f"{str(stale)[:1].upper()}{str(stale)[1:]}. The list below is worked out again."}
    session.commit()
    return len(moves), {}


@blueprint.get("/quality")
def data_quality():
    return render_template("refresh/quality.html", report=quality.report(get_session()))
