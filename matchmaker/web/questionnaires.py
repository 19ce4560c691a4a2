"""Questionnaire pages: a council's questionnaire downloaded as a workbook and uploaded, or
answered in the web form; both become submissions for an adviser to check."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from matchmaker.db import Organisation
from matchmaker.flask_database import get_session
from matchmaker.ingest.questionnaire import ANSWERS, FIRST_ROW, QuestionnaireRow, council_rows
from matchmaker.ingest.questionnaire_answers import (
    MAX_BYTES,
    CellProblem,
    QuestionnaireRejected,
    form_field,
)  # fmt: skip
from matchmaker.services import questionnaires, refresh, submissions
from matchmaker.web.principal import current_principal

blueprint = Blueprint("questionnaires", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round(year: int):
    found = refresh.round_for_year(get_session(), year) if year < 2**31 else None
    if found is None:
        abort(404)
    return found


@blueprint.get("/refresh/<int:year>/questionnaires/<code>.xlsx")
@login_required
def download(year: int, code: str):
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
def pick(year: int):
    endpoint = "online" if request.args.get("how") == "online" else "download"
    return redirect(url_for(f"questionnaires.{endpoint}", year=year, code=request.args.get("council", "")[:16]))


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
        result = questionnaires.upload(session, current_principal(), organisation, refresh_round, raw)
        session.commit()
    except (QuestionnaireRejected, submissions.SubmissionRefused) as error:
        session.rollback()
        problems = [str(p) for p in getattr(error, "problems", [])] or [str(error)]
        return (
            render_template("refresh/rejected.html", problems=problems, organisation=organisation, year=year),
            400,
        )
    flash(_received(organisation, result), "success")
    return redirect(url_for("refresh_pages.dashboard"))
