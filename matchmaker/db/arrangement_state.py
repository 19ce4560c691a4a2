"""An arrangement's whole state as a JSON-able dict: taken, compared and applied back.

History versions, submission proposals and reorganisations all speak this one shape:
``{"public_id", "fields": {...}, "members": [...], "services": [...], "savings": [...]}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, Membership, Organisation, SavingsRecord
from matchmaker.db.repositories.reference import service_areas
from matchmaker.db.upsert import assign_changed

Snapshot = dict[str, Any]
FIELDS = (
    "name", "status", "start_year", "end_year", "end_reason",
    "source_url", "evidence", "other_partners",
)  # fmt: skip
MEMBER_DETAILS = ("role", "joined_year", "left_year")
SAVINGS_DETAILS = ("financial_year", "amount_gbp", "kind", "period", "note")
# Added later: versions taken before they existed lack them (read as unknown).
SAVINGS_PERIOD_DETAILS = (
    "reported_year", "period_start_year", "period_end_year", "period_years", "per_council", "source_url",
)  # fmt: skip


def organisation_code(organisation: Organisation) -> str:
    """GSS code, or a stable stand-in for bodies without one (as the engine's snapshot does)."""
    return organisation.gss_code or f"ORG{organisation.id}"


def amount_text(amount: Decimal | float | str) -> str:
    return str(Decimal(str(amount)).quantize(Decimal("0.01")))


def take(arrangement: Arrangement) -> Snapshot:
    return {
        "public_id": arrangement.public_id,
        "fields": {name: getattr(arrangement, name) for name in FIELDS},
        "members": [
            {
                "code": organisation_code(m.organisation),
                "name": m.organisation.display_name,
                **{name: getattr(m, name) for name in MEMBER_DETAILS},
            }
            for m in arrangement.members
        ],
        # Services are a set; the database returns them in taxonomy order, so store that order.
        "services": [s.slug for s in sorted(arrangement.services, key=lambda s: s.position)],
        "savings": [savings_dict(r) for r in arrangement.savings],
    }


def savings_dict(record: SavingsRecord) -> dict[str, Any]:
    return {
        "financial_year": record.financial_year,
        "amount_gbp": amount_text(record.amount_gbp),
        "kind": record.kind,
        "period": record.period,
        "note": record.note,
        # only those known, so a figure without period details reads as it always did
        **{name: value for name in SAVINGS_PERIOD_DETAILS if (value := getattr(record, name)) is not None},
    }


def organisations_for(session: Session, codes: list[str]) -> dict[str, Organisation]:
    gss = [c for c in codes if not c.startswith("ORG")]
    ids = [int(c[3:]) for c in codes if c.startswith("ORG")]
    found = list(session.scalars(select(Organisation).where(Organisation.gss_code.in_(gss))))
    if ids:
        found += list(session.scalars(select(Organisation).where(Organisation.id.in_(ids))))
    return {organisation_code(o): o for o in found}


def apply(session: Session, arrangement: Arrangement, snapshot: Snapshot) -> None:
    """Make ``arrangement`` match ``snapshot``, touching only what differs."""
    assign_changed(arrangement, {name: snapshot["fields"].get(name) for name in FIELDS})
    _apply_members(session, arrangement, snapshot["members"])
    if {s.slug for s in arrangement.services} != set(snapshot["services"]):
        areas = {s.slug: s for s in service_areas(session)}
        arrangement.services = [areas[slug] for slug in snapshot["services"]]
    _apply_savings(arrangement, snapshot["savings"])


def _apply_members(session: Session, arrangement: Arrangement, members: list[dict]) -> None:
    codes = [m["code"] for m in members]
    organisations = organisations_for(session, codes)
    missing = [c for c in codes if c not in organisations]
    if missing:
        raise ValueError(f"unknown organisation code(s): {', '.join(missing)}")
    sync_members(arrangement, [organisations[c] for c in codes])
    by_code = {organisation_code(m.organisation): m for m in arrangement.members}
    for member in members:
        details = {name: member.get(name) for name in MEMBER_DETAILS}
        details["role"] = details["role"] or "member"
        assign_changed(by_code[member["code"]], details)


def sync_members(arrangement: Arrangement, wanted: list[Organisation]) -> None:
    """Make the members exactly ``wanted``, in order, keeping rows (and roles) that stay."""
    current = {m.organisation_id: m for m in arrangement.members if m.organisation_id}
    wanted_ids = {o.id for o in wanted}
    for membership in list(arrangement.members):
        if membership.organisation_id not in wanted_ids:
            arrangement.members.remove(membership)
    for position, organisation in enumerate(wanted):
        membership = current.get(organisation.id)
        if membership is None:
            membership = Membership(organisation=organisation, role="member")
            arrangement.members.append(membership)
        if membership.position != position:
            membership.position = position
    # In the order the database gives back, so a snapshot taken now equals one taken after reload.
    arrangement.members.sort(key=lambda m: m.position)


def _apply_savings(arrangement: Arrangement, wanted: list[dict]) -> None:
    if [savings_dict(r) for r in arrangement.savings] == wanted:
        return
    arrangement.savings.clear()
    for position, record in enumerate(wanted):
        arrangement.savings.append(
            SavingsRecord(
                financial_year=record["financial_year"],
                amount_gbp=Decimal(record["amount_gbp"]),
                kind=record["kind"],
                period=record["period"],
                note=record["note"],
                position=position,
                **{name: record.get(name) for name in SAVINGS_PERIOD_DETAILS},
            )
        )
