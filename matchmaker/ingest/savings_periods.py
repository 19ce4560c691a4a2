"""The period a savings figure covers: optional columns of the arrangements CSV, and the optional
``savings_periods.csv`` beside it (one row per arrangement with a figure, in the reference format).

Both describe the headline figure. A periods row must repeat its amount (``savings_gbp``), so a
period is never attached to the wrong number; its ``savings_kind`` is informative, and the
arrangements file's kind stands (the reference data has one figure, R038, re-classed there as a
forecast while its periods row still says annual). Where an arrangements row and a periods row
both give a period, the periods row decides.
Years may be written as calendar years (2015) or financial years (2015/16, meaning 2015).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from matchmaker.core.savings_figures import parse_year
from matchmaker.ingest.arrangements_csv import PERIOD_COLUMNS
from matchmaker.ingest.csvfile import Row, read_rows
from matchmaker.ingest.fields import MAX_YEAR, MIN_YEAR, RowChecker
from matchmaker.ingest.problems import ImportRejected, Problem

FILE_NAME = "savings_periods.csv"
ATTRIBUTES = (
    "reported_year",
    "period_start_year",
    "period_end_year",
    "period_years",
    "per_council",
    "note",
    "source_url",
)  # SavingsRecord attributes; the periods file's columns have the same names
FIELDS = tuple(zip(ATTRIBUTES, PERIOD_COLUMNS, ATTRIBUTES))  # (periods column, CSV column, attribute)
PERIODS_REQUIRED = ("arrangement_id", "savings_gbp", "savings_kind") + ATTRIBUTES
PER_COUNCIL = {"yes": True, "no": False, "": None}
MAX_PERIOD_YEARS = 50


def parse_period(check: RowChecker, columns: tuple[str, ...] = PERIOD_COLUMNS) -> dict | None:
    """The period attributes of one row (None values for empty cells), or None when the file
    has none of these columns. Problems are recorded on ``check``."""
    if not any(c in check.row.values for c in columns):
        return None
    year, start, end, years, share, note, url = columns
    found = {
        "reported_year": _year(check, year),
        "period_start_year": _year(check, start),
        "period_end_year": _year(check, end),
        "period_years": _years(check, years),
        "per_council": _share(check, share),
        "note": check.text(note, max_length=5000),
        "source_url": check.url(url),
    }
    first, last = found["period_start_year"], found["period_end_year"]
    if first is not None and last is not None and last < first:
        check.fail(end, f"the period ends ({last}) before it starts ({first})")
    return found


def _year(check: RowChecker, column: str) -> int | None:
    value = check.row.values.get(column, "")
    if not value:
        return None
    try:
        year = parse_year(value)
    except ValueError as exc:
        check.fail(column, str(exc))
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        check.fail(column, f"year out of range {MIN_YEAR}-{MAX_YEAR}: {value!r}")
        return None
    return year


def _years(check: RowChecker, column: str) -> int | None:
    years = check.integer(column, minimum=1)
    if years is not None and years > MAX_PERIOD_YEARS:
        check.fail(column, f"more than {MAX_PERIOD_YEARS} years: {years}")
        return None
    return years


def _share(check: RowChecker, column: str) -> bool | None:
    value = check.row.values.get(column, "").lower()
    if value not in PER_COUNCIL:
        check.fail(column, f"{value!r} is not yes, no or empty (unclear)")
        return None
    return PER_COUNCIL[value]


def read_periods(path: Path | str, headline: dict[str, tuple[Decimal, str] | None]) -> dict[str, dict]:
    """Period attributes by arrangement id, checked against ``headline`` (each arrangement's
    figure in the arrangements file, None when it has none). Raises ImportRejected."""
    path = Path(path)
    rows = read_rows(path, PERIODS_REQUIRED)
    problems: list[Problem] = []
    found: dict[str, dict] = {}
    for row in rows:
        parsed = _periods_row(RowChecker(path.name, row, problems), row, headline, found)
        if parsed is not None:
            found[row.values["arrangement_id"]] = parsed
    if problems:
        raise ImportRejected(problems)
    return found


def _periods_row(check: RowChecker, row: Row, headline, found: dict) -> dict | None:
    public_id = check.text("arrangement_id", required=True, max_length=40)
    amount = check.money("savings_gbp")
    kind = check.row.values.get("savings_kind", "")
    period = parse_period(check, ATTRIBUTES)
    if public_id is None:
        return None
    if public_id in found:
        check.fail("arrangement_id", f"{public_id!r} has a period already (one row per arrangement)")
        return None
    if public_id not in headline:
        check.fail("arrangement_id", f"no arrangement {public_id!r} in the arrangements file")
        return None
    stated = headline[public_id]
    if stated is None:
        check.fail("savings_gbp", f"arrangement {public_id} has no savings figure to give a period to")
    elif amount is not None and amount != stated[0]:
        check.fail(
            "savings_gbp",
            f"£{amount:,.0f} {kind} does not match the arrangements file's figure "
            f"for {public_id} (£{stated[0]:,.0f} {stated[1]})",
        )
    return period
