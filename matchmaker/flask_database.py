"""Flask glue for the database: one Database per app, one session per request."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matchmaker.db.session import Database, DatabaseTimeouts

EXTENSION_KEY = "matchmaker.flask_database"


def init_app(app: Flask) -> None:
    timeouts = DatabaseTimeouts(
        connect=app.config["DATABASE_CONNECT_TIMEOUT"],
        statement=app.config["DATABASE_STATEMENT_TIMEOUT"],
        pool=app.config["DATABASE_POOL_TIMEOUT"],
    )
    app.extensions[EXTENSION_KEY] = Database(app.config["DATABASE_URL"], timeouts)
    app.teardown_appcontext(_close_session)


def get_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions[EXTENSION_KEY]


def get_session() -> Session:
    """The session for this request or command; closed when the app context ends."""
    if "db_session" not in g:
        g.db_session = get_database().session()
    return g.db_session


def discard_session() -> None:
    """Drop this request's session so its dead connection goes back to be invalidated."""
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except SQLAlchemyError:
            current_app.logger.debug("closing a session on a dead connection failed", exc_info=True)


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
