"""The bundled data read straight from data/, so that expected answers do not come from the code
under test."""

from __future__ import annotations

import csv

from tests.support.databases import DATA_DIR


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
