"""Helpers for fault tests: cut a PostgreSQL database off and bring it back; big import files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.support.arrangements_csv import row, write_csv


@contextmanager
def database_cut_off(backend, url: str) -> Iterator[None]:
    """No new connections, existing ones terminated; always restored on the way out."""
    name = make_url(url).database
    with backend.admin.connect() as admin:
        admin.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        admin.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )
    try:
        yield
    finally:
        with backend.admin.connect() as admin:
            admin.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))


def write_big_arrangements_csv(path: Path, rows: int, council_codes: list[str], slugs: list[str]) -> None:
    """A valid arrangements file of new synthetic-looking ids, large enough to take a while."""

    def members(k: int) -> str:
        a, b = council_codes[k % len(council_codes)], council_codes[(k * 7 + 1) % len(council_codes)]
        return a if a == b else f"{a};{b}"

    write_csv(
        path,
        (
            row(
                arrangement_id=f"BIG{k:07d}",
                name=f"Generated test arrangement {k}",
                council_codes=members(k),
                service_areas=slugs[k % len(slugs)],
                start_year=2010 + k % 10,
                status="operational",
            )
            for k in range(rows)
        ),
    )
