"""Submitting: a new arrangement, a correction or a savings update for your organisation, and
the anonymous "report a missing or wrong arrangement" form. Nothing is published until approved."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from matchmaker.db import Arrangement, Organisation
from matchmaker.db.repositories.reference import service_areas
from matchmaker.flask_database import get_session
from matchmaker.ingest.arrangements_csv import CSV_STATUSES
from matchmaker.ingest.export import arrangement_row
from matchmaker.ingest.questionnaire import council_rows
from matchmaker.ingest.submission_rules import CORRECTABLE, RECORD_KINDS, InvalidSubmission
from matchmaker.services import submissions
from matchmaker.web import resubmission
from matchmaker.web.messages import plain_errors
from matchmaker.web.pickers import arrangement_options, chosen_councils, council_options, picker_values
from matchmaker.web.principal import current_principal


def council_only(view):
    """Pages for someone answering for a council: others are refused, as their submissions would be."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_principal().organisation_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


blueprint = Blueprint("submit", __name__)
NEW_FIELDS = (
    "name",
    "council_codes",
    "service_areas",
    "start_year",
    "end_year",
    "status",
    "savings_gbp",
    "savings_kind",
    "other_partners",
    "source_url",
    "evidence",
    "note",
)


def _form(names: tuple[str, ...]) -> dict[str, str]:
    values = {name: request.form.get(name, "") for name in names}
    if "service_areas" in names:
        values["service_areas"] = ";".join(request.form.getlist("service_areas"))
    if "council_codes" in names and "council_1" in request.form:
        values["council_codes"] = chosen_councils(request.form)
    return values


def _errors(error: InvalidSubmission) -> dict[str, str]:
    return plain_errors(
        {name if name != "_" else "form": "; ".join(messages) for name, messages in error.fields.items()}
    )


def _arrangement(public_id: str) -> Arrangement:
    arrangement = get_session().scalar(select(Arrangement).where(Arrangement.public_id == public_id))
    if arrangement is None:
        abort(404)
    return arrangement


def _submit(kind: str, values: dict, public_id: str | None = None):
    """Store it and go to the user's submissions; or return the errors to show on the form."""
    session = get_session()
    try:
        created, _receipt = submissions.submit(session, current_principal(), kind, values, public_id)
    except InvalidSubmission as error:
        return _errors(error)
    except submissions.SubmissionRefused as error:
        return {"form": str(error)}
    session.commit()
    flash(f"Submission {created.id} sent. An adviser will check it before it is published.", "success")
    return None


def _services() -> list[tuple[str, str]]:
    return [(s.slug, s.name) for s in service_areas(get_session())]


@blueprint.get("/submit")
@council_only
def start():
    """The officer's starting point: their arrangements, with what each needs."""
    session = get_session()
    organisation = session.get(Organisation, current_user.organisation_id) if current_user.organisation_id else None
    rows = council_rows(session, organisation) if organisation else []
    return render_template("refresh/submit_start.html", organisation=organisation, rows=rows)


@blueprint.route("/submit/new-arrangement", methods=["GET", "POST"])
@council_only
def new_arrangement():
    session = get_session()
    own = session.get(Organisation, current_user.organisation_id) if current_user.organisation_id else None
    values = {"council_codes": own.gss_code if own else "", "status": "operational"}
    errors = {}
    if request.method == "POST":
        values = _form(NEW_FIELDS)
        errors = _submit("new_arrangement", values)
        if errors is None:
            return redirect(url_for("submit.mine"))
    return render_template(
        "refresh/new_arrangement.html",
        values=values,
        errors=errors,
        services=_services(),
        statuses=CSV_STATUSES,
        councils=council_options(),
        chosen=picker_values(values.get("council_codes", "")),
    ), (400 if errors else 200)


@blueprint.route("/arrangements/<public_id>/savings-update", methods=["GET", "POST"])
@council_only
def savings_update(public_id: str):
    arrangement = _arrangement(public_id)
    values, errors = {"kind": "achieved"}, {}
    if request.method == "POST":
        values = _form(("amount_gbp", "kind", "financial_year", "note"))
        errors = _submit("savings_update", values, public_id)
        if errors is None:
            return redirect(url_for("submit.mine"))
    return render_template(
        "refresh/savings_update.html",
        arrangement=arrangement,
        values=values,
        errors=errors,
        kinds=RECORD_KINDS,
    ), (400 if errors else 200)


@blueprint.route("/arrangements/<public_id>/correction", methods=["GET", "POST"])
@council_only
def correction(public_id: str):
    arrangement = _arrangement(public_id)
    current = arrangement_row(arrangement)
    values, errors = {**current, "note": ""}, {}
    if request.method == "POST":
        values = _form(CORRECTABLE + ("note",))
        errors = _submit("correction", values, public_id)
        if errors is None:
            return redirect(url_for("submit.mine"))
    values["service_list"] = values["service_areas"].split(";")
    return render_template(
        "refresh/correction.html",
        arrangement=arrangement,
        values=values,
        errors=errors,
        services=_services(),
        statuses=CSV_STATUSES,
        councils=council_options(),
        chosen=picker_values(values.get("council_codes", "")),
    ), (400 if errors else 200)


@blueprint.get("/submissions")
@council_only
def mine():
    found = submissions.for_submitter(get_session(), current_principal())
    return render_template("refresh/mine.html", submissions=found, public_ids=_public_ids(found))


def _public_ids(found) -> dict[int, str]:
    ids = {s.arrangement_id for s in found if s.arrangement_id} | {
        s.duplicate_of_id for s in found if s.duplicate_of_id
    }
    rows = get_session().execute(select(Arrangement.id, Arrangement.public_id).where(Arrangement.id.in_(ids)))
    return dict(rows.all())


@blueprint.route("/report", methods=["GET", "POST"])
def report():
    """Anyone: report an arrangement that is missing or wrong."""
    values = {"arrangement_id": request.args.get("arrangement", "")}
    errors, receipt = {}, None
    if request.method == "POST":
        values = _form(("email", "message", "arrangement_id"))
        session = get_session()
        try:
            _created, receipt = submissions.submit(session, current_principal(), "report", values)
            session.commit()
            resubmission.result_shown_at(url_for("submit.receipt", code=receipt))
        except InvalidSubmission as error:
            errors = _errors(error)
    response = render_template(
        "refresh/report.html", values=values, errors=errors, receipt=receipt, arrangements=arrangement_options()
    )
    return response, 400 if errors else 200, {"Cache-Control": "no-store"}


@blueprint.get("/report/receipt")
def receipt():
    code = request.args.get("code", "")[:64]
    found = submissions.by_receipt(get_session(), code) if code else None
    return render_template("refresh/receipt.html", found=found, code=code), (200 if found or not code else 404)
