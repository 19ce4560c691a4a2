"""Refresh pages: the round dashboard with questionnaires, reorganisation, data quality."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from matchmaker.database import get_session
from matchmaker.db import Organisation
from matchmaker.ingest.questionnaire_answers import MAX_BYTES, QuestionnaireRejected
from matchmaker.services import questionnaires, quality, refresh, reorganise, submissions
from matchmaker.web.moderation import adviser_only
from matchmaker.web.principal import current_principal

blueprint = Blueprint("refresh_pages", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round(year: int):
    found = refresh.round_for_year(get_session(), year) if year < 2**31 else None
    if found is None:
        abort(404)
    return found


@blueprint.get("/refresh")
@login_required
def dashboard():
    session = get_session()
    principal = current_principal()
    current = refresh.current_round(session)
    own = (
        session.get(Organisation, principal.organisation_id) if principal.organisation_id else None
    )
    rounds = (
        [refresh.dashboard(session, r) for r in refresh.all_rounds(session)]
        if principal.has("adviser")
        else []
    )
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


@blueprint.get("/refresh/<int:year>/questionnaires/<code>.xlsx")
@login_required
def questionnaire(year: int, code: str):
    session = get_session()
    organisation = _council(code)
    data = questionnaires.export(session, organisation, _round(year))
    return Response(
        data,
        mimetype=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(year, organisation)}"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.get("/refresh/<int:year>/questionnaire")
@login_required
def pick_questionnaire(year: int):
    return redirect(
        url_for("refresh_pages.questionnaire", year=year, code=request.args.get("council", "")[:16])
    )


def _filename(year: int, organisation: Organisation) -> str:
    return f"questionnaire-{year}-{organisation.gss_code}.xlsx"


def _council(code: str) -> Organisation:
    try:
        organisation = questionnaires.council(get_session(), code[:16])
    except questionnaires.UnknownCouncil:
        abort(404)
    if not questionnaires.may_answer_for(current_principal(), organisation):
        abort(403)
    return organisation


@blueprint.post("/refresh/<int:year>/questionnaires")
@login_required
def upload(year: int):
    session = get_session()
    refresh_round = _round(year)
    organisation = _council(request.form.get("council", ""))
    upload_file = request.files.get("questionnaire")
    raw = upload_file.read(MAX_BYTES + 1) if upload_file else b""
    try:
        result = questionnaires.upload(
            session, current_principal(), organisation, refresh_round, raw
        )
        session.commit()
    except (QuestionnaireRejected, submissions.SubmissionRefused) as error:
        session.rollback()
        problems = [str(p) for p in getattr(error, "problems", [])] or [str(error)]
        return (
            render_template(
                "refresh/rejected.html", problems=problems, organisation=organisation, year=year
            ),
            400,
        )
    flash(
        f"Questionnaire for {organisation.name} received: "
        f"{result.confirmed} arrangement(s) confirmed, "
        f"{len(result.submissions)} submission(s) for checking.",
        "success",
    )
    return redirect(url_for("refresh_pages.dashboard"))


@blueprint.route("/reorganise", methods=["GET", "POST"])
@adviser_only
def reorganisation():
    session = get_session()
    if request.method == "POST":
        moves = reorganise.apply_plan(session, current_principal().actor)
        session.commit()
        flash(f"Memberships moved to successors in {len(moves)} arrangement(s).", "success")
        return redirect(url_for("refresh_pages.reorganisation"))
    return render_template("refresh/reorganise.html", moves=reorganise.plan(session))


@blueprint.get("/quality")
def data_quality():
    return render_template("refresh/quality.html", report=quality.report(get_session()))
