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


# What the input gate refuses, stated in the document (matchmaker.input_gate): free text may hold
# tab and line breaks; a query parameter holds no control character at all.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
QUERY_PATTERN = r"^[^\x00-\x1f\x7f]*$"


def text_pattern(_converter, field, ret, **_kwargs) -> dict:
    """Every string without a pattern, choices or format of its own gets TEXT_PATTERN."""
    if ret.get("type") == "string" and not {"pattern", "enum", "format"} & set(ret):
        return {"pattern": TEXT_PATTERN}
    return {}


def query_pattern(_converter, field, ret, **_kwargs) -> dict:
    schema = ret.get("schema")
    is_text = isinstance(schema, dict) and schema.get("pattern") == TEXT_PATTERN
    if ret.get("in") == "query" and is_text:
        return {"schema": {**schema, "pattern": QUERY_PATTERN}}
    return {}


def state_the_input_gate(spec_plugin) -> None:
    spec_plugin.converter.add_attribute_function(text_pattern)
    spec_plugin.converter.add_parameter_attribute_function(query_pattern)


def require_a_change(spec: APISpec, names: tuple[str, ...]) -> None:
    """A PATCH body must change something (schemas.common.ChangeSchema): at least one of its
    fields besides version, said the way OpenAPI 3.0 can."""
    for name in names:
        schema = spec.components.schemas.get(name)
        if schema is None:
            continue
        fields = [field for field in schema.get("properties", {}) if field != "version"]
        schema["anyOf"] = [{"required": [field]} for field in fields]


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
