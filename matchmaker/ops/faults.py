"""The database going away is an outage to report, not a crash: 503 with Retry-After.

Pages get a plain 503 page that needs no database (no layout, no signed-in user); under /api
the API's error handling answers with a problem document instead (api/errors.py), through the
same ``record_outage`` and headers. The engine pings pooled connections before use, so the
service recovers by itself once the database answers again.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from matchmaker.flask_database import discard_session

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_DETAIL = "The database cannot be reached. Try again shortly."
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(PoolTimeout, database_unavailable)
    app.register_error_handler(DBAPIError, database_unavailable)  # only when it lost its connection


def is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def describe_database_error(exc: SQLAlchemyError) -> str:
    """The driver's first line, without the SQL statement or parameters."""
    original = getattr(exc, "orig", None) or exc
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return f"{type(original).__name__}: {first_line}"


def record_outage(exc: SQLAlchemyError) -> None:
    """Log the outage and drop the request's session so its dead connection is invalidated."""
    log.error("database unavailable: %s", describe_database_error(exc), extra={"fault": "database"})
    discard_session()


def unavailable(response: Response) -> Response:
    """The headers every answer to an outage carries, page or problem document."""
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def database_unavailable(exc: SQLAlchemyError) -> Response:
    if not is_connection_error(exc):
        raise exc
    record_outage(exc)
    # Rendered without context processors: Flask-Login's would look the user up in the
    # database that just failed, turning a signed-in user's 503 into a 500.
    page = current_app.jinja_env.get_template("ops/unavailable.html")
    return unavailable(Response(page.render(retry_after=RETRY_AFTER_SECONDS), status=503, mimetype="text/html"))
