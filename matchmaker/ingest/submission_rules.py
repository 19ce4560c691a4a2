"""Checking what people submit with the import's own rules (RowChecker, parse_arrangements).

Each ``check_*`` function takes the submitted values (strings, as a form or a spreadsheet sends
them) and returns the normalised payload to store, or raises InvalidSubmission naming every
field at fault. There is no second rule set: an arrangement a CSV import would refuse is refused
here with the same message.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, Organisation
from matchmaker.db.repositories.reference import service_areas
from matchmaker.ingest.arrangements import parse_arrangements
from matchmaker.ingest.csvfile import Row
from matchmaker.ingest.export import arrangement_row
from matchmaker.ingest.fields import RowChecker
from matchmaker.ingest.problems import ImportRejected, Problem

LABEL = "submission"
NEW_ID = "NEW"
ARRANGEMENT_COLUMNS = (
    "name", "council_codes", "service_areas", "start_year", "end_year", "status",
    "savings_gbp", "savings_kind", "other_partners", "source_url", "evidence",
)  # fmt: skip
CORRECTABLE = tuple(c for c in ARRANGEMENT_COLUMNS if not c.startswith("savings"))
RECORD_KINDS = ("achieved", "expected")
# Characters that are not blank in Python nor in the ECMA regexes of JSON Schema, so the API's
# documented patterns and these rules agree on every string (strip() removes all blanks).
_BLANK = r"\s\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SOME_TEXT = re.compile(rf"^[\s\S]*[^{_BLANK}]")
EMAIL = re.compile(rf"^[^@{_BLANK}]+@[^@{_BLANK}]+\.[^@{_BLANK}]+$")


class InvalidSubmission(ImportRejected):
    """Nothing was stored. ``fields`` maps each field at fault to its messages."""

    @property
    def fields(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.column or "_", []).append(problem.message)
        return found


def _values(data: dict[str, Any], columns: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for column in columns:
        value = data.get(column)
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value)
        values[column] = "" if value is None else _encodable(str(value).strip())
    return values


def _encodable(text: str) -> str:
    """Text with lone surrogates (which no database can store) loses them; the checks that follow
    then judge what is left."""
    return text.encode("utf-8", "ignore").decode("utf-8") if not text.isascii() else text


def parse_row(session: Session, values: dict[str, str]):
    codes = set(session.scalars(select(Organisation.gss_code).where(Organisation.gss_code.is_not(None))))
    slugs = {s.slug for s in service_areas(session)}
    try:
        return parse_arrangements([Row(2, values)], LABEL, codes, slugs)[0]
    except ImportRejected as rejected:
        raise InvalidSubmission([_without_row(p) for p in rejected.problems]) from None


def _without_row(problem: Problem) -> Problem:
    return Problem(LABEL, None, problem.column, problem.message)


def _note(data: dict[str, Any], problems: list[Problem]) -> str | None:
    checker = RowChecker(LABEL, Row(0, _values(data, ("note",))), problems)
    return checker.text("note", max_length=2000)


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InvalidSubmission([_without_row(p) for p in problems])


def check_new_arrangement(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    values = _values(data, ARRANGEMENT_COLUMNS)
    problems: list[Problem] = []
    note = _note(data, problems)
    _raise_if(problems)
    parsed = parse_row(session, {**values, "arrangement_id": NEW_ID})
    return {
        "row": values,
        "note": note,
        "council_codes": parsed.council_codes,
        "service_slugs": parsed.service_slugs,
    }


def check_correction(session: Session, arrangement: Arrangement, data: dict[str, Any]) -> dict[str, Any]:
    current = arrangement_row(arrangement)
    given = {c: v for c, v in _values(data, CORRECTABLE).items() if c in data}
    changes = {c: v for c, v in given.items() if v != current[c]}
    problems: list[Problem] = []
    note = _note(data, problems)
    if not changes:
        problems.append(Problem(LABEL, None, None, "the correction changes nothing"))
    _raise_if(problems)
    parse_row(session, {**current, **changes})
    return {"changes": changes, "note": note}


def corrected_row(arrangement: Arrangement, changes: dict[str, str]) -> dict[str, str]:
    return {**arrangement_row(arrangement), **changes}


def parse_corrected(session: Session, arrangement: Arrangement, changes: dict[str, str]):
    return parse_row(session, corrected_row(arrangement, changes))


def check_savings_update(data: dict[str, Any]) -> dict[str, Any]:
    values = _values(data, ("amount_gbp", "kind", "financial_year", "note"))
    problems: list[Problem] = []
    check = RowChecker(LABEL, Row(0, values), problems)
    amount = check.money("amount_gbp")
    if not values["amount_gbp"]:
        check.fail("amount_gbp", "is required")
    kind = check.choice("kind", RECORD_KINDS, required=True)
    year = check.year("financial_year")
    if not values["financial_year"]:
        check.fail("financial_year", "is required (the year the financial year starts, e.g. 2024)")
    note = check.text("note", max_length=2000)
    _raise_if(problems)
    return {"amount_gbp": str(amount), "kind": kind, "financial_year": year, "note": note}


def check_report(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    values = _values(data, ("email", "message", "arrangement_id"))
    problems: list[Problem] = []
    check = RowChecker(LABEL, Row(0, values), problems)
    email = check.text("email", required=True, max_length=254)
    if email and not EMAIL.match(email):
        check.fail("email", f"not an email address: {email!r}")
    message = check.text("message", required=True, max_length=5000)
    public_id = check.text("arrangement_id", max_length=40)
    if public_id and session.scalar(select(Arrangement.id).where(Arrangement.public_id == public_id)) is None:
        check.fail("arrangement_id", f"no arrangement {public_id!r}")
    _raise_if(problems)
    return {"email": email, "message": message, "arrangement_id": public_id}
