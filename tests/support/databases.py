"""Throwaway test databases on SQLite and PostgreSQL, copied from migrated templates.

Each test gets its own database: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on
PostgreSQL. Templates are built once per run (migrated, and optionally loaded with the bundled
data), so a test starts in milliseconds and can commit freely.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matchmaker import create_app
from matchmaker.config import PROJECT_ROOT
from matchmaker.db import migrate
from matchmaker.db.session import Database
from matchmaker.flask_database import get_database
from matchmaker.ingest.bundled import load_bundled
from matchmaker.ops.scratch_database import postgres_answers

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEMO_PASSWORD = "demo-password-for-tests"
DATA_DIR = PROJECT_ROOT / "data"
BACKENDS = [b.strip() for b in os.environ.get("MATCHMAKER_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


def postgres_admin_url() -> str:
    return os.environ.get("MATCHMAKER_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)


def postgres_available() -> bool:
    return postgres_answers(postgres_admin_url())


def populate(url: str, contents: str) -> None:
    migrate.upgrade(url)
    if contents == "bundled":
        database = Database(url)
        with database.transaction() as session:
            load_bundled(session, DATA_DIR, demo=True, demo_password=DEMO_PASSWORD)
        database.dispose()


class SqliteDatabases:
    name = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.templates: dict[str, Path] = {}

    def template(self, contents: str) -> Path:
        if contents not in self.templates:
            path = self.directory / f"template-{contents}.sqlite"
            populate(f"sqlite:///{path}", contents)
            self.templates[contents] = path
        return self.templates[contents]

    def create(self, contents: str) -> str:
        path = self.directory / f"{uuid.uuid4().hex}.sqlite"
        shutil.copyfile(self.template(contents), path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        Path(make_url(url).database).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    name = "postgresql"

    def __init__(self) -> None:
        self.admin_url = make_url(postgres_admin_url())
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.run_id = uuid.uuid4().hex[:8]
        self.templates: dict[str, str] = {}

    def _url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def template(self, contents: str) -> str:
        if contents not in self.templates:
            name = f"mm_{self.run_id}_tpl_{contents}"
            self._execute(f'CREATE DATABASE "{name}"')
            populate(self._url(name), contents)
            self.templates[contents] = name
        return self.templates[contents]

    def create(self, contents: str) -> str:
        name = f"mm_{self.run_id}_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template(contents)}"')
        return self._url(name)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        for name in self.templates.values():
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@contextmanager
def app_on_copy(pool, contents: str, tmp_path: Path, **overrides) -> Iterator:
    """An app on its own copy of a template database ("bundled" or "empty"), dropped after."""
    url = pool.create(contents)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret-key",
            **overrides,
        }
    )
    try:
        yield app
    finally:
        leaked = get_database(app).engine.pool.checkedout()
        if leaked:
            gc.collect()  # return the leaked connections while their database still exists
        get_database(app).dispose()
        pool.drop(url)
    # A connection left checked out is closed later by the garbage collector, at a random
    # point of another test, against a database that no longer exists: fail here instead.
    assert not leaked, f"{leaked} database connection(s) left checked out: close every session"
