"""Whole-database dumps for asserting that a failed operation changed nothing."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.db import Base
from matchmaker.flask_database import get_database


def dump_tables(app) -> dict[str, list[tuple]]:
    with get_database(app).engine.connect() as connection:
        return {
            name: sorted(connection.execute(select(table)).all(), key=repr)
            for name, table in Base.metadata.tables.items()
        }
