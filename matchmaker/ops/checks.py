"""Start-up checks: refuse to start with a message that says what to fix."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.flask_database import get_database
from matchmaker.ops.faults import describe_database_error


class StartupCheckFailed(RuntimeError):
    pass


def check_database(app: Flask) -> None:
    """Connect once; the pool is emptied afterwards so no connection crosses a fork."""
    database = get_database(app)
    shown = make_url(database.url).render_as_string(hide_password=True)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise StartupCheckFailed(
            f"cannot reach the database at {shown} ({describe_database_error(exc)}). "
            "Check MATCHMAKER_DATABASE_URL and that the database server is running."
        ) from None
    finally:
        database.dispose()
