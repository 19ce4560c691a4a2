"""Arrangements CSV files in the import format, written for a test."""

from __future__ import annotations

import csv

from matchmaker.ingest.arrangements_csv import COLUMNS

GOOD = {
    "arrangement_id": "T001",
    "name": "Test partnership",
    "council_codes": "E07000223;E07000229",
    "council_names": "Adur;Worthing",
    "service_areas": "legal-democratic",
    "start_year": "2020",
    "end_year": "",
    "status": "operational",
    "savings_gbp": "250000",
    "savings_kind": "annual",
    "other_partners": "",
    "source_url": "https://example.org/a",
    "evidence": "Made up for a test",
}


def row(**fields) -> dict[str, str]:
    """A row of the import format with the given fields filled and the others empty."""
    unknown = set(fields) - set(COLUMNS)
    assert not unknown, f"not columns of the import format: {unknown}"
    return {column: str(fields.get(column, "")) for column in COLUMNS}


def write_csv(path, rows, columns=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
