"""Build a core Dataset from CSV files in the reference formats (parsing only).

Validation with row-level reports belongs to ``matchmaker.ingest``; this module trusts its
input and exists so the engine, its tests and its benchmarks run without a database.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

from .savings_figures import parse_year
from .types import Arrangement, Dataset, Membership, Neighbour, Organisation, SavingsFigure, ServiceArea

# The CSV's savings_kind -> (SavingsRecord.kind, SavingsRecord.period), for every reader of the
# format (ingest/arrangements_csv.py too).
SAVINGS_KIND_MAP = {
    "annual": ("achieved", "annual"),
    "cumulative": ("achieved", "cumulative"),
    "expected": ("expected", None),
}
ARRANGEMENT_FILES = ("arrangements.csv", "arrangements_known.csv")
PERIODS_FILE = "savings_periods.csv"
PER_COUNCIL = {"yes": True, "no": False}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _opt_float(text: str) -> float | None:
    return float(text) if text else None


def _opt_int(text: str) -> int | None:
    return int(float(text)) if text else None


def _opt_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def parse_organisation(row: dict[str, str]) -> Organisation:
    return Organisation(
        code=row["gss_code"],
        name=row["name"],
        kind=row.get("kind") or "council",
        council_type=row.get("la_type") or None,
        tier=row.get("tier") or None,
        region=row.get("region") or None,
        county_code=row.get("county_gss") or None,
        lat=_opt_float(row.get("lat", "")),
        lon=_opt_float(row.get("lon", "")),
        population=_opt_int(row.get("population", "")),
        start_date=_opt_date(row.get("start_date", "")),
        end_date=_opt_date(row.get("end_date", "")),
        successor_codes=_split(row.get("replaced_by_gss", "")),
        short_name=row.get("short_name") or None,
        synthetic=row.get("synthetic", "").lower() in ("1", "true", "yes"),
    )


def parse_arrangement(row: dict[str, str]) -> Arrangement:
    savings: tuple[SavingsFigure, ...] = ()
    amount = _opt_float(row.get("savings_gbp", ""))
    if amount is not None and row.get("savings_kind") in SAVINGS_KIND_MAP:
        kind, period = SAVINGS_KIND_MAP[row["savings_kind"]]
        savings = (SavingsFigure(amount_gbp=amount, kind=kind, period=period),)
    return Arrangement(
        id=row["arrangement_id"],
        name=row["name"],
        services=_split(row["service_areas"]),
        members=tuple(Membership(org_code=code) for code in _split(row["council_codes"])),
        status=row.get("status") or "operational",
        start_year=_opt_int(row.get("start_year", "")),
        end_year=_opt_int(row.get("end_year", "")),
        savings=savings,
        other_partners=row.get("other_partners", ""),
        source_url=row.get("source_url", ""),
        synthetic=row.get("synthetic", "").lower() in ("1", "true", "yes"),
    )


def with_period(arrangement: Arrangement, row: dict[str, str]) -> Arrangement:
    """The arrangement with its headline figure given the period in ``row`` (periods format)."""
    if not arrangement.savings:
        return arrangement

    def year(column: str) -> int | None:
        return parse_year(row[column]) if row.get(column) else None

    headline = replace(
        arrangement.savings[0],
        reported_year=year("reported_year"),
        period_start_year=year("period_start_year"),
        period_end_year=year("period_end_year"),
        period_years=_opt_int(row.get("period_years", "")),
        per_council=PER_COUNCIL.get(row.get("per_council", "")),
        note=row.get("note", ""),
        source_url=row.get("source_url", ""),
    )
    return replace(arrangement, savings=(headline,) + arrangement.savings[1:])


def parse_neighbour(row: dict[str, str]) -> Neighbour:
    return Neighbour(row["gss_code_a"], row["gss_code_b"], float(row["shared_boundary_km"] or 0.0))


def parse_service_area(row: dict[str, str]) -> ServiceArea:
    return ServiceArea(row["slug"], row["name"], row["group"], row.get("covers", ""))


def fingerprint_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def load_csv_dataset(
    councils: Path,
    arrangements: Path,
    neighbours: Path | None = None,
    service_areas: Path | None = None,
    periods: Path | None = None,
) -> Dataset:
    paths = [p for p in (councils, arrangements, neighbours, service_areas, periods) if p is not None]
    period_rows = {r["arrangement_id"]: r for r in _rows(periods)} if periods else {}
    parsed = (parse_arrangement(r) for r in _rows(arrangements))
    return Dataset(
        organisations=tuple(parse_organisation(r) for r in _rows(councils)),
        arrangements=tuple(with_period(a, period_rows[a.id]) if a.id in period_rows else a for a in parsed),
        neighbours=tuple(parse_neighbour(r) for r in _rows(neighbours)) if neighbours else (),
        service_areas=tuple(parse_service_area(r) for r in _rows(service_areas)) if service_areas else (),
        fingerprint=fingerprint_files([Path(p) for p in paths]),
    )


def load_directory(directory: str | Path) -> Dataset:
    """Load councils.csv, neighbours.csv, service_areas.csv, an arrangements CSV and the savings
    periods (when present) from a folder."""
    folder = Path(directory)
    arrangements = next((folder / n for n in ARRANGEMENT_FILES if (folder / n).exists()), None)
    if arrangements is None:
        raise FileNotFoundError(f"{folder}: no arrangements CSV ({' or '.join(ARRANGEMENT_FILES)})")
    optional = {name: folder / name for name in ("neighbours.csv", "service_areas.csv", PERIODS_FILE)}
    present = {name: path if path.exists() else None for name, path in optional.items()}
    return load_csv_dataset(
        folder / "councils.csv",
        arrangements,
        present["neighbours.csv"],
        present["service_areas.csv"],
        present[PERIODS_FILE],
    )
