"""Template filters and globals: money, labels and the signed-in state."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask, g
from flask_login import current_user

from matchmaker.core.calibration import in_words
from matchmaker.core.savings_figures import describe
from matchmaker.core.types import SavingsFigure
from matchmaker.db import User
from matchmaker.db.repositories.reference import service_areas
from matchmaker.db.snapshot import savings_figure
from matchmaker.flask_database import get_session
from matchmaker.web.principal import current_principal

STATUS_LABELS = {
    "operational": "Operational",
    "in_development": "In development",
    "ended": "Ended",
    "proposed": "Proposed",
}
STATUS_TAG_CLASSES = {
    "operational": "govuk-tag--green",
    "in_development": "govuk-tag--yellow",
    "ended": "govuk-tag--grey",
    "proposed": "govuk-tag--blue",
}
TIER_LABELS = {"upper": "Upper tier", "lower": "Lower tier (district)", "single": "Single tier"}
COUNCIL_TYPE_LABELS = {
    "CTY": "County council",
    "NMD": "District council",
    "UA": "Unitary authority",
    "MD": "Metropolitan district",
    "LBO": "London borough",
    "COI": "City of London",
    "IOS": "Isles of Scilly",
}
GROUP_LABELS = {
    "back_office": "Back office",
    "procurement_assets": "Procurement and capital assets",
    "customer_facing": "Customer-facing",
    "environment_waste_transport": "Environment, waste and transport",
    "people_communities": "People and communities",
}
SCOPE_LABELS = {
    "public:read": "read public data",
    "contacts:read": "read contact details",
    "requests:write": "create match-making requests",
    "adviser": "act as an adviser",
}


def scope_names(scopes) -> str:
    """What a key may do, in words: 'read public data, read contact details'."""
    given = set(scopes.split()) if isinstance(scopes, str) else set(scopes)
    words = ", ".join(label for scope, label in SCOPE_LABELS.items() if scope in given)
    return words[:1].upper() + words[1:] if words else "Nothing"


def field_value(value, field: str = "") -> str:
    """An arrangement field's value as a person reads it: '—' for nothing, words for codes."""
    if value is None or value == "":
        return "—"
    if field == "status":
        return label(str(value), STATUS_LABELS)
    if field.startswith("savings") and field != "savings_kind" and str(value).replace(".", "").isdigit():
        return gbp(Decimal(str(value)))
    return str(value).replace("_", " ") if isinstance(value, str) and "_" in value and " " not in value else str(value)


def service_name(slug: str) -> str:
    """A service area's name for its slug (looked up once per request)."""
    if "service_names" not in g:
        g.service_names = {area.slug: area.name for area in service_areas(get_session())}
    return g.service_names.get(slug, slug.replace("-", " ").capitalize())


def actor_name(actor: str | None) -> str:
    """Who did something, in words: a person's name, 'an API key', 'the command line'."""
    kind, _, rest = (actor or "").partition(":")
    if kind == "user" and rest.isdigit():
        user = get_session().get(User, int(rest))
        return (user.name or user.email) if user is not None else "an account no longer held"
    if kind == "key":
        return "an API key"
    if kind == "command":
        return "the command line"
    return (actor or "the service").replace("_", " ")


def gbp(amount: float | Decimal | None) -> str:
    """£1,234,567 in full; missing stays visibly missing."""
    if amount is None:
        return "No figure"
    return f"£{float(amount):,.0f}"


def gbp_short(amount: float | Decimal | None) -> str:
    if amount is None:
        return "No figure"
    value = float(amount)
    if abs(value) >= 1e9:
        return f"£{value / 1e9:.2f}bn"
    if abs(value) >= 1e6:
        return f"£{value / 1e6:.1f}m"
    if abs(value) >= 1e3:
        return f"£{value / 1e3:.0f}k"
    return f"£{value:,.0f}"


def km(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f} km"


def savings_words(record, say_kind: bool = True) -> str:
    """A savings record in words with its period: '£17m over 2007–2017, about £1.7m a year'."""
    return describe(savings_figure(record), say_kind)


def snapshot_savings_words(record: dict) -> str:
    """The same for a savings figure kept in a version snapshot (db/arrangement_state.py)."""
    figure = SavingsFigure(
        float(record["amount_gbp"]),
        record["kind"],
        record.get("period"),
        record.get("financial_year"),
        record.get("note") or "",
        record.get("reported_year"),
        record.get("period_start_year"),
        record.get("period_end_year"),
        record.get("period_years"),
        record.get("per_council"),
        record.get("source_url") or "",
    )
    return describe(figure)


def percent(value: float | None) -> str:
    return "unknown" if value is None else f"{value * 100:.0f}%"


def partner_rate(value: float | None) -> str:
    """A calibrated partner rate in words ('about 1 in 3'), never a bare percentage."""
    return "unknown" if value is None else in_words(value)


def label(value: str | None, labels: dict[str, str]) -> str:
    if value is None:
        return "Not known"
    return labels.get(value, value.replace("_", " ").capitalize())


def init_app(app: Flask) -> None:
    app.add_template_filter(gbp)
    app.add_template_filter(gbp_short)
    app.add_template_filter(km)
    app.add_template_filter(percent)
    app.add_template_filter(scope_names)
    app.add_template_filter(field_value)
    app.add_template_filter(service_name)
    app.add_template_filter(actor_name)
    app.add_template_filter(partner_rate)
    app.add_template_filter(savings_words)
    app.add_template_filter(snapshot_savings_words)
    app.add_template_filter(lambda v: label(v, STATUS_LABELS), "status_label")
    app.add_template_filter(lambda v: STATUS_TAG_CLASSES.get(v or "", ""), "status_tag_class")
    app.add_template_filter(lambda v: label(v, TIER_LABELS), "tier_label")
    app.add_template_filter(lambda v: label(v, COUNCIL_TYPE_LABELS), "council_type_label")
    app.add_template_filter(lambda v: label(v, GROUP_LABELS), "group_label")

    @app.context_processor
    def signed_in_state() -> dict:
        principal = current_principal()
        demo = bool(getattr(current_user, "demo", False)) and current_user.is_authenticated
        return {"principal": principal, "demo_account": demo}
