"""The arrangements CSV format (DESIGN.md): columns and the savings-kind mapping."""

from __future__ import annotations

from matchmaker.core.csv_dataset import SAVINGS_KIND_MAP

COLUMNS = (
    "arrangement_id", "name", "council_codes", "council_names", "service_areas",
    "start_year", "end_year", "status", "savings_gbp", "savings_kind",
    "other_partners", "source_url", "evidence",
)  # fmt: skip
REQUIRED = tuple(c for c in COLUMNS if c != "council_names")
# Optional, after the columns other tools read: the period the headline figure covers
# (see ingest.savings_periods). Exports carry them; a file without them leaves periods as held.
PERIOD_COLUMNS = (
    "savings_reported_year", "savings_period_start_year", "savings_period_end_year",
    "savings_period_years", "savings_per_council", "savings_note", "savings_source_url",
)  # fmt: skip
EXPORT_COLUMNS = COLUMNS + PERIOD_COLUMNS
CSV_STATUSES = ("proposed", "in_development", "operational", "ended")
SAVINGS_KINDS = tuple(SAVINGS_KIND_MAP)
RECORD_TO_KIND = {value: key for key, value in SAVINGS_KIND_MAP.items()}


def csv_kind(kind: str, period: str | None) -> str:
    """The CSV word for a record; an expected figure with a period is still 'expected'."""
    return RECORD_TO_KIND.get((kind, period)) or ("expected" if kind == "expected" else "annual")
