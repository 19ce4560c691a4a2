"""Programme funding pages: budgets (admins set them), offers on a request or an assignment, the
offer page with approval, the council's answer and claims, and the printable offer letter."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from matchmaker.core.money import OFFER_KINDS, financial_year, format_pence, year_label
from matchmaker.core.results import NOT_PURSUED_REASONS, SAVINGS_MEASURES
from matchmaker.db import Assignment, FundingOffer, MatchRequest, User
from matchmaker.flask_database import get_session
from matchmaker.services import funding, match_requests, programme_budgets
from matchmaker.services.access import is_adviser
from matchmaker.services.programme_results import result_of
from matchmaker.web.moderation import adviser_only
from matchmaker.web.principal import current_principal

blueprint = Blueprint("funding", __name__, url_prefix="/programme")
KIND_LABELS = dict(OFFER_KINDS)


@blueprint.app_template_filter("pence")
def pence(value: int | None) -> str:
    return format_pence(value)


@blueprint.app_template_filter("financial_year")
def financial_year_label(value: int) -> str:
    return year_label(value)


@blueprint.route("/budgets", methods=["GET", "POST"])
@adviser_only
def budgets():
    """Advisers see the budgets and what is committed; an admin sets them."""
    session = get_session()
    principal = current_principal()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            budget = programme_budgets.set_budget(session, principal, request.form.to_dict())
            session.commit()
        except programme_budgets.InvalidBudget as error:
            session.rollback()
            errors = error.fields
        except programme_budgets.BudgetRefused:
            session.rollback()
            abort(403)
        else:
            flash(
                f"{KIND_LABELS[budget.kind]} budget for {year_label(budget.financial_year)} set to "
                f"{format_pence(budget.amount_pence)}.",
                "success",
            )
            return redirect(url_for("funding.budgets"))
    rows = [
        (b, programme_budgets.committed_pence(session, b.financial_year, b.kind))
        for b in programme_budgets.budgets(session)
    ]
    this_year = financial_year(date.today())
    return render_template(
        "programme/budgets.html",
        rows=rows,
        errors=errors,
        form=request.form,
        admin=programme_budgets.is_admin(principal),
        kinds=OFFER_KINDS,
        years=[(y, year_label(y)) for y in range(this_year - 1, this_year + 3)],
        this_year=this_year,
    ), (400 if errors else 200)


@blueprint.get("/offers")
@adviser_only
def offers():
    session = get_session()
    status = request.args.get("status")
    query = select(FundingOffer).order_by(FundingOffer.id.desc())
    if status in funding.STATUS_LABELS:
        query = query.where(FundingOffer.status == status)
    return render_template(
        "programme/offers.html",
        offers=list(session.scalars(query)),
        status=status,
        status_labels=funding.STATUS_LABELS,
        kinds=KIND_LABELS,
    )


@blueprint.route("/requests/<int:request_id>/offers/new", methods=["GET", "POST"])
@adviser_only
def new_offer(request_id: int):
    session = get_session()
    principal = current_principal()
    try:
        found = match_requests.get(session, principal, request_id)
    except match_requests.RequestNotFound:
        abort(404)
    errors: dict[str, str] = {}
    form = request.form if request.method == "POST" else request.args
    if request.method == "POST":
        try:
            made = funding.offer(session, principal, found, request.form.to_dict())
            session.commit()
        except funding.InvalidOffer as error:
            session.rollback()
            errors = error.fields
        except funding.FundingRefused as error:
            session.rollback()
            errors = {"form": f"Not offered: {error}."}
        else:
            flash(_offered_message(made), "success")
            return redirect(url_for("funding.show", offer_id=made.id))
    assignments = [
        (str(a.id), f"{a.expert.name}, from {a.start_date:%-d %B %Y} ({a.status})")
        for a in session.scalars(
            select(Assignment).where(Assignment.request_id == found.id).order_by(Assignment.id.desc())
        )
    ]
    return render_template(
        "programme/new_offer.html", r=found, errors=errors, form=form, kinds=OFFER_KINDS, assignments=assignments
    ), (400 if errors else 200)


def _offered_message(made: FundingOffer) -> str:
    if made.status == "awaiting_approval":
        return (
            f"Offer {made.id} of {format_pence(made.amount_pence)} saved: it is above the approval "
            "threshold, so a second adviser must approve it before it goes to the council."
        )
    return f"Offer {made.id} of {format_pence(made.amount_pence)} made to {made.request.organisation.display_name}."


def _visible(offer_id: int) -> FundingOffer:
    principal = current_principal()
    if not principal.has("requests:write"):
        abort(403)
    try:
        return funding.get(get_session(), principal, offer_id)
    except funding.OfferNotFound:
        abort(404)


@blueprint.get("/offers/<int:offer_id>")
@login_required
def show(offer_id: int):
    return _offer_page(_visible(offer_id))


def _offer_page(found: FundingOffer, errors: dict[str, str] | None = None, form=None):
    principal = current_principal()
    return render_template(
        "programme/offer.html",
        o=found,
        adviser=is_adviser(principal),
        may_answer=funding.may_answer(principal, found),
        status_labels=funding.STATUS_LABELS,
        kinds=KIND_LABELS,
        errors=errors or {},
        form=form or {},
        today=date.today(),
        names=_names(found),
    ), (400 if errors else 200)


@blueprint.get("/offers/<int:offer_id>/letter")
@login_required
def letter(offer_id: int):
    found = _visible(offer_id)
    if found.status not in ("offered", "accepted", "declined"):
        abort(404)
    return render_template("programme/letter.html", o=found, kinds=KIND_LABELS, names=_names(found))


def _names(found: FundingOffer) -> dict[str, str]:
    people = {"offered_by": found.offered_by, "approved_by": found.approved_by, "answered_by": found.answered_by}
    return {k: (u.name or u.email) for k, u in people.items() if isinstance(u, User)}


@blueprint.post("/offers/<int:offer_id>/approval")
@adviser_only
def approve(offer_id: int):
    decision = request.form.get("decision")
    if decision == "refuse":
        return _act(
            offer_id,
            lambda s, p: funding.refuse(s, p, offer_id, request.form.get("reason", "")),
            "Offer refused; nothing was committed.",
        )
    return _act(
        offer_id,
        lambda s, p: funding.approve(s, p, offer_id),
        "Offer approved: the amount is committed and the offer letter is ready for the council.",
    )


@blueprint.post("/offers/<int:offer_id>/answer")
@login_required
def answer(offer_id: int):
    _visible(offer_id)
    accepted = request.form.get("answer") == "accept"
    return _act(
        offer_id,
        lambda s, p: funding.answer(s, p, offer_id, accepted, request.form.get("reason")),
        "Offer accepted." if accepted else "Offer declined; the amount is no longer committed.",
    )


@blueprint.post("/offers/<int:offer_id>/claims")
@adviser_only
def claim(offer_id: int):
    session = get_session()
    _visible(offer_id)
    try:
        made = funding.claim(session, current_principal(), offer_id, request.form.to_dict())
        session.commit()
    except funding.InvalidOffer as error:
        session.rollback()
        return _offer_page(_visible(offer_id), error.fields, request.form)
    except funding.FundingRefused as error:
        session.rollback()
        flash(f"Claim not recorded: {error}.", "error")
    else:
        flash(f"Claim of {format_pence(made.amount_pence)} recorded.", "success")
    return redirect(url_for("funding.show", offer_id=offer_id) + "#claims")


def _act(offer_id: int, change, done: str):
    session = get_session()
    try:
        change(session, current_principal())
        session.commit()
    except (funding.InvalidOffer, funding.FundingRefused) as error:
        session.rollback()
        flash(f"Not saved: {error}.", "error")
    except funding.OfferNotFound:
        session.rollback()
        abort(404)
    else:
        flash(done, "success")
    return redirect(url_for("funding.show", offer_id=offer_id))


def programme_context(found: MatchRequest) -> dict:
    """What the request page needs to show the request's result and funding offers."""
    session = get_session()
    return {
        "funding_offers": funding.offers_on(session, found),
        "funding_kinds": KIND_LABELS,
        "funding_status_labels": funding.STATUS_LABELS,
        "not_pursued_reasons": NOT_PURSUED_REASONS,
        "programme_result": result_of(session, found),
        "savings_measures": SAVINGS_MEASURES,
    }
