"""Refresh pages: the round dashboard with questionnaires, reorganisation, data quality."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from matchmaker.database import get_session
from matchmaker.db import Organisation
from matchmaker.ingest.questionnaire import ANSWERS, FIRST_ROW, QuestionnaireRow, council_rows
from matchmaker.ingest.questionnaire_answers import (
    MAX_BYTES, CellProblem, QuestionnaireRejected, form_field,
)  # fmt: skip
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
    endpoint = "online" if request.args.get("how") == "online" else "questionnaire"
    return redirect(
        url_for(f"refresh_pages.{endpoint}", year=year, code=request.args.get("council", "")[:16])
    )


@blueprint.route("/refresh/<int:year>/questionnaires/<code>", methods=["GET", "POST"])
@login_required
def online(year: int, code: str):
    """The questionnaire as a web form: the same questions, rules and outcome as the workbook."""
    session = get_session()
    refresh_round = _round(year)
    organisation = _council(code)
    rows = council_rows(session, organisation)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            result = questionnaires.answer_online(
                session, current_principal(), organisation, refresh_round, request.form
            )
            session.commit()
            flash(_received(organisation, result), "success")
            return redirect(url_for("refresh_pages.dashboard"))
        except QuestionnaireRejected as error:
            session.rollback()
            errors = _form_errors(error.problems, rows)
        except submissions.SubmissionRefused as error:
            session.rollback()
            errors = {"form": f"{str(error)[:1].upper()}{str(error)[1:]}."}
    page = render_template(
        "refresh/questionnaire.html",
        organisation=organisation,
        refresh_round=refresh_round,
        rows=rows,
        answers=dict(ANSWERS),
        field=form_field,
        values=request.form,
        errors=errors,
        labels=_labels(rows),
    )
    return page, 400 if errors else 200


def _form_errors(problems: list[CellProblem], rows: list[QuestionnaireRow]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in problems:
        if problem.key is None or problem.row is None:
            errors.setdefault("form", problem.message)
            continue
        public_id = rows[problem.row - FIRST_ROW].arrangement.public_id
        errors.setdefault(form_field(problem.key, public_id), problem.message)
    return errors


def _labels(rows: list[QuestionnaireRow]) -> dict[str, str]:
    return {
        form_field(key, row.arrangement.public_id): f"{row.arrangement.public_id}, {label}"
        for row in rows
        for key, label in ANSWERS
    }


def _received(organisation: Organisation, result: questionnaires.QuestionnaireResult) -> str:
    return (
        f"Questionnaire for {organisation.name} received: "
        f"{result.confirmed} arrangement(s) confirmed, "
        f"{len(result.submissions)} submission(s) for checking."
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
    flash(_received(organisation, result), "success")
    return redirect(url_for("refresh_pages.dashboard"))


@blueprint.route("/reorganise", methods=["GET", "POST"])
@adviser_only
def reorganisation():
    session = get_session()
    as_of_text = request.values.get("as_of", "").strip()
    as_of = _as_of(as_of_text)
    errors: dict[str, str] = {}
    if as_of is None:
        errors["as_of"] = (
            f"Give the date as YYYY-MM-DD (for example 2025-04-01), not {as_of_text[:20]!r}."
        )
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
        return None, {
            "form": f"{str(stale)[:1].upper()}{str(stale)[1:]}. The list below is worked out again."
        }
    session.commit()
    return len(moves), {}


@blueprint.get("/quality")
def data_quality():
    return render_template("refresh/quality.html", report=quality.report(get_session()))
