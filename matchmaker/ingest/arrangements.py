"""Load arrangements from the CSV format: validate everything first, then upsert by id."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.core.csv_dataset import SAVINGS_KIND_MAP
from matchmaker.db import Arrangement, Organisation, SavingsRecord, arrangement_state
from matchmaker.db.arrangement_state import sync_members
from matchmaker.db.repositories.reference import service_areas
from matchmaker.db.repositories.versions import Change, record_changes
from matchmaker.db.upsert import assign_changed
from matchmaker.ingest.arrangements_bulk import insert_new_arrangements
from matchmaker.ingest.arrangements_csv import CSV_STATUSES, REQUIRED, SAVINGS_KINDS
from matchmaker.ingest.csvfile import Row, read_rows
from matchmaker.ingest.fields import WEB_ADDRESS, RowChecker
from matchmaker.ingest.problems import ImportRejected, Problem
from matchmaker.ingest.savings_periods import parse_period, read_periods

__all__ = ["WEB_ADDRESS", "load_arrangements", "load_arrangement_rows", "parse_arrangements", "sync_members"]


@dataclass
class ParsedArrangement:
    public_id: str
    fields: dict
    council_codes: list[str]
    service_slugs: list[str]
    savings: tuple[Decimal, str] | None
    period: dict | None = None  # the headline figure's period; None leaves a held one as it is


def load_arrangements(
    session: Session, path: Path | str, actor: str = "import", periods: Path | str | None = None
) -> int:
    """Validate the whole file (and the savings periods file, when given) against the database,
    then write it. Raises ImportRejected (having written nothing) if any row is wrong."""
    path = Path(path)
    rows = read_rows(path, REQUIRED)
    return load_arrangement_rows(session, rows, path.name, actor, periods)


def load_arrangement_rows(
    session: Session, rows: list[Row], label: str, actor: str, periods: Path | str | None = None
) -> int:
    organisations = _organisations_by_code(session)
    services = {s.slug: s for s in service_areas(session)}
    parsed = parse_arrangements(rows, label, set(organisations), set(services))
    if periods is not None:
        _attach_periods(parsed, periods)
    existing = _existing(session, {p.public_id for p in parsed})
    note = f"Imported from {label}"
    changes, built = [], []
    for item in parsed:
        arrangement = existing.get(item.public_id)
        if arrangement is None:
            built.append(_built(item, organisations, services))
            continue
        before = arrangement_state.take(arrangement)
        _apply(arrangement, item, organisations, services)
        changes.append(Change(arrangement, before))
    record_changes(session, changes, actor, note)
    insert_new_arrangements(session, built, actor, note)
    return len(parsed)


def _attach_periods(parsed: list[ParsedArrangement], periods: Path | str) -> None:
    found = read_periods(periods, {p.public_id: p.savings for p in parsed})
    for item in parsed:
        if item.public_id in found:
            item.period = {**(item.period or {}), **found[item.public_id]}


def _existing(session: Session, public_ids: set[str], chunk: int = 5_000) -> dict[str, Arrangement]:
    """The arrangements already held among ``public_ids``, loaded whole, in bounded queries."""
    held = sorted(public_ids & set(session.scalars(select(Arrangement.public_id))))
    found: dict[str, Arrangement] = {}
    for start in range(0, len(held), chunk):
        query = (
            select(Arrangement)
            .where(Arrangement.public_id.in_(held[start : start + chunk]))
            .options(
                selectinload(Arrangement.members), selectinload(Arrangement.services), selectinload(Arrangement.savings)
            )
        )
        found.update((a.public_id, a) for a in session.scalars(query))
    return found


def _built(item: ParsedArrangement, organisations, services) -> Arrangement:
    """A new arrangement assembled in memory only, for the bulk insert."""
    arrangement = Arrangement(public_id=item.public_id, members=[], services=[], savings=[])
    _apply(arrangement, item, organisations, services)
    return arrangement


def _organisations_by_code(session: Session) -> dict[str, Organisation]:
    return {o.gss_code: o for o in session.scalars(select(Organisation)) if o.gss_code}


def parse_arrangements(
    rows: list[Row], label: str, known_codes: set[str], known_slugs: set[str]
) -> list[ParsedArrangement]:
    problems: list[Problem] = []
    parsed: list[ParsedArrangement] = []
    seen: dict[str, int] = {}
    for row in rows:
        synthetic = RowChecker(label, row, problems).flag("synthetic")
        check = RowChecker(label, row, problems, synthetic_codes=synthetic)
        item = _parse_row(check, known_codes, known_slugs)
        if item is None:
            continue
        if item.public_id in seen:
            check.fail("arrangement_id", f"duplicate id {item.public_id!r} (first on row {seen[item.public_id]})")
            continue
        seen[item.public_id] = row.number
        parsed.append(item)
    if problems:
        raise ImportRejected(problems)
    return parsed


def _parse_row(check: RowChecker, known_codes: set[str], known_slugs: set[str]):
    public_id = check.text("arrangement_id", required=True, max_length=40)
    codes = check.codes("council_codes", required=True)
    for code in codes:
        if code not in known_codes:
            check.fail("council_codes", f"unknown GSS code {code!r}")
    slugs = check.slugs("service_areas", known_slugs)
    start, end = check.year("start_year"), check.year("end_year")
    if start and end and end < start:
        check.fail("end_year", f"ends ({end}) before it starts ({start})")
    fields = {
        "name": check.text("name", required=True, max_length=300),
        "status": check.choice("status", CSV_STATUSES, required=True),
        "start_year": start,
        "end_year": end,
        "other_partners": check.text("other_partners", max_length=500),
        "source_url": check.url("source_url"),
        "evidence": check.text("evidence", max_length=5000),
        "synthetic": check.flag("synthetic"),
    }
    savings = _savings(check)
    period = parse_period(check)
    if public_id is None:
        return None
    return ParsedArrangement(public_id, fields, codes, slugs, savings, period)


def _savings(check: RowChecker) -> tuple[Decimal, str] | None:
    amount = check.money("savings_gbp")
    kind = check.choice("savings_kind", SAVINGS_KINDS)
    if amount is not None and kind is None and check.row.values.get("savings_kind", "") == "":
        check.fail("savings_kind", "is required when savings_gbp is given")
    if kind is not None and amount is None and check.row.values.get("savings_gbp", "") == "":
        check.fail("savings_gbp", "is required when savings_kind is given")
    if amount is None or kind is None:
        return None
    return amount, kind


def _apply(arrangement: Arrangement, item: ParsedArrangement, organisations, services) -> None:
    assign_changed(arrangement, item.fields)
    sync_members(arrangement, [organisations[code] for code in item.council_codes])
    if [s.slug for s in arrangement.services] != item.service_slugs:
        arrangement.services = [services[slug] for slug in item.service_slugs]
    _apply_headline_savings(arrangement, item.savings, item.period)


def _apply_headline_savings(
    arrangement: Arrangement, savings: tuple[Decimal, str] | None, period_details: dict | None
) -> None:
    """The CSV carries one headline figure: the first savings record. Others are kept. Its period
    details are set when the file gives them; a file without them leaves the held ones alone."""
    headline = arrangement.savings[0] if arrangement.savings else None
    if savings is None:
        if headline is not None:
            arrangement.savings.remove(headline)
        return
    amount, kind_word = savings
    kind, period = SAVINGS_KIND_MAP[kind_word]
    if headline is None:
        headline = SavingsRecord(amount_gbp=amount, kind=kind, period=period, position=0)
        arrangement.savings.insert(0, headline)
    assign_changed(headline, {"amount_gbp": amount, "kind": kind, "period": period, **(period_details or {})})
