"""A throwaway, migrated database for benchmarks: PostgreSQL when it answers, else SQLite."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matchmaker.db import migrate

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    return os.environ.get("MATCHMAKER_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)


def postgres_answers(url: str) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def scratch_database(directory: Path, backend: str = "auto") -> Iterator[str]:
    """Yields the URL of a new migrated database; drops it afterwards."""
    if backend == "postgresql" or (backend == "auto" and postgres_answers(admin_url())):
        yield from _postgres()
    else:
        url = f"sqlite:///{directory / f'bench-{uuid.uuid4().hex[:8]}.sqlite'}"
        migrate.upgrade(url)
        yield url


def _postgres() -> Iterator[str]:
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    name = f"mm_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
