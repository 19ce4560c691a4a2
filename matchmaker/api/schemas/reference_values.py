"""Values the OpenAPI document lists as enums: the service areas and groups of the bundled
reference data (data/service_areas.csv) and the English regions (data/councils.csv), so a
client sees every valid value up front."""

from __future__ import annotations

import csv
from functools import lru_cache

from matchmaker.config import PROJECT_ROOT

SERVICE_AREAS_CSV = PROJECT_ROOT / "data" / "service_areas.csv"
COUNCILS_CSV = PROJECT_ROOT / "data" / "councils.csv"


@lru_cache(maxsize=2)
def _rows(path=SERVICE_AREAS_CSV) -> tuple[dict[str, str], ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def service_slugs() -> tuple[str, ...]:
    return tuple(row["slug"] for row in _rows())


def service_groups() -> tuple[str, ...]:
    return tuple(sorted({row["group"] for row in _rows()}))


def regions() -> tuple[str, ...]:
    return tuple(sorted({row["region"] for row in _rows(COUNCILS_CSV) if row["region"]}))
