"""What a submission would make of the published data: the state before and after approval."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matchmaker.core.csv_dataset import SAVINGS_KIND_MAP
from matchmaker.db import Arrangement, Submission, arrangement_state
from matchmaker.db.arrangement_state import Snapshot, amount_text
from matchmaker.db.repositories.reference import service_areas
from matchmaker.ingest import submission_rules


@dataclass
class Proposal:
    before: Snapshot | None
    after: Snapshot | None  # None: the submission changes no data (a report)


def proposal_for(session: Session, submission: Submission) -> Proposal:
    payload = submission.payload
    if submission.kind == "report":
        return Proposal(None, None)
    if submission.kind == "new_arrangement":
        return Proposal(None, _new_state(session, payload))
    arrangement = session.get(Arrangement, submission.arrangement_id)
    before = arrangement_state.take(arrangement)
    if submission.kind == "correction":
        return Proposal(before, _corrected_state(session, arrangement, before, payload["changes"]))
    return Proposal(before, _with_savings(before, payload))


def _services_in_order(session: Session, slugs: list[str]) -> list[str]:
    known = [area.slug for area in service_areas(session)]
    return [slug for slug in known if slug in slugs]


def _members(session: Session, codes: list[str], keep: list[dict] | None = None) -> list[dict]:
    kept = {m["code"]: m for m in keep or []}
    organisations = arrangement_state.organisations_for(session, codes)
    return [
        kept.get(code)
        or {
            "code": code,
            "name": organisations[code].display_name,
            "role": "member",
            "joined_year": None,
            "left_year": None,
        }
        for code in codes
    ]


def _new_state(session: Session, payload: dict) -> Snapshot:
    parsed = _parse_new(session, payload)
    savings = []
    if parsed.savings is not None:
        amount, word = parsed.savings
        kind, period = SAVINGS_KIND_MAP[word]
        savings.append(
            {
                "financial_year": None,
                "amount_gbp": amount_text(amount),
                "kind": kind,
                "period": period,
                "note": None,
            }
        )
    return {
        "public_id": None,
        "fields": {**parsed.fields, "end_reason": None},
        "members": _members(session, parsed.council_codes),
        "services": _services_in_order(session, parsed.service_slugs),
        "savings": savings,
    }


def _parse_new(session: Session, payload: dict):
    return submission_rules.parse_row(session, {**payload["row"], "arrangement_id": submission_rules.NEW_ID})


def _corrected_state(session: Session, arrangement: Arrangement, before: Snapshot, changes: dict) -> Snapshot:
    parsed = submission_rules.parse_corrected(session, arrangement, changes)
    after = copy.deepcopy(before)
    after["fields"].update(parsed.fields)
    after["members"] = _members(session, parsed.council_codes, keep=before["members"])
    after["services"] = _services_in_order(session, parsed.service_slugs)
    return after


def _with_savings(before: Snapshot, payload: dict) -> Snapshot:
    """Add the figure; one already given for the same year and kind is replaced, not doubled."""
    record = {
        "financial_year": payload["financial_year"],
        "amount_gbp": amount_text(payload["amount_gbp"]),
        "kind": payload["kind"],
        "period": "annual",
        "note": payload.get("note"),
    }
    after = copy.deepcopy(before)
    same = [
        i
        for i, r in enumerate(after["savings"])
        if (r["financial_year"], r["kind"], r["period"]) == (record["financial_year"], record["kind"], "annual")
    ]
    if same:
        after["savings"][same[0]] = record
    else:
        after["savings"].append(record)
    return after
