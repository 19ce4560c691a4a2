"""Engine and session factory for one database URL, SQLite and PostgreSQL alike."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long to wait on the database before giving up (seconds).

    A server that accepts connections but never answers must not hold a request for minutes:
    opening a connection, waiting for a pooled one and (on PostgreSQL) running one statement
    each have a bound. ``statement=None`` means no statement bound (migrations).
    """

    connect: float = 5.0
    statement: float | None = 30.0
    pool: float = 5.0


def make_engine(url: str, timeouts: DatabaseTimeouts | None = None, **kwargs) -> Engine:
    timeouts = timeouts or DatabaseTimeouts()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_timeout", timeouts.pool)
    return create_engine(url, connect_args=_postgres_connect_args(timeouts), **kwargs)


def _postgres_connect_args(timeouts: DatabaseTimeouts) -> dict:
    # libpq counts connect_timeout in whole seconds and treats anything under 2 as 2.
    args: dict = {"connect_timeout": max(2, math.ceil(timeouts.connect))}
    if timeouts.statement:
        args["options"] = f"-c statement_timeout={int(timeouts.statement * 1000)}"
    return args


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Database:
    """Holds the engine and hands out sessions; transactions commit or roll back whole."""

    def __init__(self, url: str, timeouts: DatabaseTimeouts | None = None, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, timeouts, **engine_kwargs)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessionmaker()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessionmaker() as session, session.begin():
            yield session

    def refresh_statistics(self) -> None:
        """Let the query planner see freshly imported rows now rather than when autovacuum runs."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")

    def dispose(self) -> None:
        self.engine.dispose()
