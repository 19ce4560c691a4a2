"""The database going away is an outage to report, not a crash: 503 with Retry-After.

Under /api the answer is RFC 9457 problem+json; pages get a plain 503 page that needs no
database (no layout, no signed-in user). The engine pings pooled connections before use, so the
service recovers by itself once the database answers again.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from matchmaker.api.errors import ApiProblem, is_api_request, problem_response

RETRY_AFTER_SECONDS = 30
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(PoolTimeout, database_unavailable)
    app.register_error_handler(DBAPIError, _maybe_disconnect)


def is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def describe_database_error(exc: SQLAlchemyError) -> str:
    """The driver's first line, without the SQL statement or parameters."""
    original = getattr(exc, "orig", None) or exc
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return f"{type(original).__name__}: {first_line}"


def database_unavailable(exc: SQLAlchemyError) -> Response:
    log.error("database unavailable: %s", describe_database_error(exc), extra={"fault": "database"})
    _discard_session()
    detail = "The database cannot be reached. Try again shortly."
    if is_api_request():
        response = problem_response(ApiProblem(503, detail))
    else:
        # Rendered without context processors: Flask-Login's would look the user up in the
        # database that just failed, turning a signed-in user's 503 into a 500.
        page = current_app.jinja_env.get_template("ops/unavailable.html")
        response = Response(
            page.render(retry_after=RETRY_AFTER_SECONDS),
            status=503,
            mimetype="text/html",
        )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _maybe_disconnect(exc: DBAPIError):
    if is_connection_error(exc):
        return database_unavailable(exc)
    raise exc


def _discard_session() -> None:
    """Drop the request's session so its dead connection goes back to be invalidated."""
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except SQLAlchemyError:
            current_app.logger.debug("closing a session on a dead connection failed", exc_info=True)
