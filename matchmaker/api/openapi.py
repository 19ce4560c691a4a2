"""OpenAPI details flask-smorest does not produce by itself: error responses documented as
application/problem+json, with the headers some of them carry."""

from __future__ import annotations

import http

from apispec import APISpec

from matchmaker.api.errors import PROBLEM_MIMETYPE

ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    405: {"Allow": {"schema": {"type": "string"}, "description": "the methods allowed here"}},
    429: {"Retry-After": {"schema": {"type": "string"}, "description": "seconds to wait"}},
    503: {"Retry-After": {"schema": {"type": "string"}, "description": "seconds to wait"}},
}


def register_problem_responses(spec: APISpec, problem_schema) -> None:
    """A component response per status code (and DEFAULT_ERROR), errors as problem documents."""
    for status in http.HTTPStatus:
        response: dict = {"description": status.phrase}
        if status >= 400:
            response["content"] = {PROBLEM_MIMETYPE: {"schema": problem_schema}}
        if status in ERROR_HEADERS:
            response["headers"] = ERROR_HEADERS[status]
        spec.components.response(status.name, response, lazy=True)
    spec.components.response(
        "DEFAULT_ERROR",
        {
            "description": "An RFC 9457 problem (404, 401, 403, 405, 406, 429, 500, 503...)",
            "content": {PROBLEM_MIMETYPE: {"schema": problem_schema}},
            "headers": {
                "Allow": ERROR_HEADERS[405]["Allow"],
                "Retry-After": ERROR_HEADERS[429]["Retry-After"],
                "WWW-Authenticate": ERROR_HEADERS[401]["WWW-Authenticate"],
            },
        },
        lazy=True,
    )
