"""Every error under /api is RFC 9457 application/problem+json: type, title, status, detail.

Validation problems list the fields at fault in ``invalid_params`` (name, where, reason).
405 carries ``Allow``, 429 ``Retry-After``, 401 ``WWW-Authenticate``. No HTML, no stack traces.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from matchmaker.input_gate import Refused
from matchmaker.ops import faults

API_PREFIX = "/api/"
PROBLEM_TYPE_BASE = "https://matchmaker.invalid/problems/"
PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)

TYPE_SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "version-conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "invalid-parameters",
    429: "too-many-requests",
    500: "internal-error",
    503: "service-unavailable",
}


class ApiProblem(Exception):
    """Raised by API code to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        invalid_params: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        type_slug: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.invalid_params = invalid_params
        self.headers = dict(headers or {})
        self.type_slug = type_slug
        self.extra = dict(extra or {})  # RFC 9457 extension members, e.g. current_version


def invalid(name: str, reason: str, where: str = "query") -> ApiProblem:
    """A 422 naming one parameter at fault."""
    return ApiProblem(422, f"{name}: {reason}", invalid_params=[{"name": name, "in": where, "reason": reason}])


def not_found(detail: str) -> ApiProblem:
    return ApiProblem(404, detail)


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(problem: ApiProblem) -> Response:
    """The problem document (RFC 9457) for ``problem``; a 401 says how to authenticate."""
    status = problem.status
    body: dict[str, Any] = {
        **problem.extra,
        "type": PROBLEM_TYPE_BASE + (problem.type_slug or TYPE_SLUGS.get(status, str(status))),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.invalid_params:
        body["invalid_params"] = problem.invalid_params
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    response.headers.update(problem.headers)
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="matchmaker"')
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _webargs_params(messages: Mapping[str, Any]) -> list[dict[str, str]]:
    """webargs' {location: {field: [messages]}} as a flat list of fields at fault."""
    found = []
    for where, fields in messages.items():
        location = {"json": "body", "querystring": "query", "view_args": "path"}.get(where, where)
        for name, reasons in _flatten(fields):
            found.append({"name": name, "in": location, "reason": "; ".join(reasons)})
    return found


def _flatten(fields: Any, prefix: str = "") -> list[tuple[str, list[str]]]:
    if isinstance(fields, list):
        return [(prefix or "_schema", [str(m) for m in fields])]
    out = []
    for key, value in fields.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        out.extend(_flatten(value, name))
    return out


def handle_http_exception(error: HTTPException) -> Response | HTTPException:
    """For /api requests, the problem document; other paths keep Flask's own handling."""
    if not is_api_request():
        return error
    if isinstance(error, Refused):
        return problem_response(_refused_input(error))
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() in ("allow", "retry-after")}
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:
        params = _webargs_params(messages)
        detail = "; ".join(f"{p['name']}: {p['reason']}" for p in params)
        return problem_response(ApiProblem(status, detail, invalid_params=params, headers=headers))
    if status == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = str(_retry_after(error))
    detail = _detail(error, status)
    return problem_response(ApiProblem(status, detail, headers={**headers, **data.get("headers", {})}))


def _refused_input(refused: Refused) -> ApiProblem:
    """The input gate's refusal: 422 naming the parameter at fault, as validation answers; else 400."""
    if refused.parameter is None:
        return ApiProblem(400, refused.detail)
    return invalid(refused.parameter, refused.detail, refused.where)


def _detail(error: HTTPException, status: int) -> str:
    if status == 404:
        return f"There is no resource at {request.path}."
    if status == 405:
        allowed = error.valid_methods if hasattr(error, "valid_methods") else None
        return f"{request.method} is not allowed here; allowed: {', '.join(allowed or [])}."
    if status == 429:
        return f"Too many requests: the limit is {error.description}. Try again later."
    if status >= 500:
        return "The server could not answer this request."
    return str(error.description or HTTPStatus(status).phrase)


def _retry_after(error: HTTPException) -> int:
    limit = getattr(error, "limit", None)
    seconds = getattr(getattr(limit, "limit", None), "get_expiry", lambda: 60)()
    return max(1, int(seconds))


def handle_api_problem(problem: ApiProblem) -> Response:
    return problem_response(problem)


def handle_version_conflict(error: StaleDataError) -> Response:
    if not is_api_request():
        raise error
    return problem_response(ApiProblem(409, "The record was changed by someone else; fetch it again and retry."))


def handle_internal_error(error: InternalServerError) -> Response | InternalServerError:
    if not is_api_request():
        return error
    original = getattr(error, "original_exception", None)
    if original is not None:
        log.error("unhandled error under /api", exc_info=original)
    return problem_response(ApiProblem(500, "The server could not answer this request."))


def handle_database_outage(error: SQLAlchemyError) -> Response:
    if not faults.is_connection_error(error):
        raise error
    faults.record_outage(error)
    return faults.unavailable(problem_response(ApiProblem(503, faults.UNAVAILABLE_DETAIL)))


def _api_first(page_handler: Callable, api_handler: Callable) -> Callable:
    def handler(error):
        return api_handler(error) if is_api_request() else page_handler(error)

    return handler


def take_over_api_errors(app: Flask) -> None:
    """Status-code handlers registered for the pages (e.g. a designed 404 page) win over the
    HTTPException handler; under /api, ours answer instead, elsewhere theirs still do."""
    for code, handlers in app.error_handler_spec[None].items():
        if code is None:
            continue
        for exception_class, page_handler in list(handlers.items()):
            api_handler = handle_internal_error if code == 500 else handle_http_exception
            handlers[exception_class] = _api_first(page_handler, api_handler)
    # The database outage page (ops/faults.py) is registered by exception class, not status.
    by_class = app.error_handler_spec[None].get(None, {})
    for exception_class, page_handler in list(by_class.items()):
        if issubclass(exception_class, SQLAlchemyError):
            by_class[exception_class] = _api_first(page_handler, handle_database_outage)


def init_app(app: Flask) -> None:
    """Call after the pages have registered their own error handlers."""
    take_over_api_errors(app)
    app.register_error_handler(ApiProblem, handle_api_problem)
    app.register_error_handler(StaleDataError, handle_version_conflict)
    if 500 not in app.error_handler_spec[None]:
        app.register_error_handler(500, handle_internal_error)
