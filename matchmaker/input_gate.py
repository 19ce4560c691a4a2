"""One gate for what every request carries before any view reads it.

Refused with 400, naming what is wrong: the API answers ``Refused`` with its problem document
(422 naming the parameter when one is at fault, as its validation does), the pages with their
error page:
- a path or query parameter holding a control character (NUL included: PostgreSQL cannot store
  or compare text with NUL, and no name, code or search needs one);
- query parameter names or values that are not valid UTF-8 percent-encoding, and parameter names
  that are not short ASCII words (so no name is ever echoed raw in a Link header);
- form fields and JSON strings holding a control character other than tab, line feed and
  carriage return, which free text may contain.
Under /api, a query parameter the endpoint does not declare in the OpenAPI document is refused
too, naming it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PARAMETER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\-\[\]]{0,63}")
DECLARED_KEY = "matchmaker.declared_query_parameters"


class Refused(BadRequest):
    """A 400 for the pages' own error page; the API answers it as a problem document naming
    ``detail`` (and, when ``parameter`` is set, the parameter at fault, with 422)."""

    def __init__(self, detail: str, name: str | None = None, where: str = "query") -> None:
        super().__init__()
        self.detail, self.parameter, self.where = detail, name, where


def init_app(app: Flask) -> None:
    app.before_request(_gate)


def _gate() -> None:
    _check_path()
    _check_declared(_check_query())
    _check_form()
    _check_json()


def _check_path() -> None:
    if CONTROL.search(request.path):
        raise Refused("the address contains a control character", where="path")


def _check_query() -> list[str]:
    names = []
    for pair in request.query_string.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        name = _decoded(raw_name, None)
        if not PARAMETER_NAME.fullmatch(name):
            raise Refused(f"the parameter name {ascii(name)[:80]} is not one this service uses")
        value = _decoded(raw_value, name)
        if CONTROL.search(value):
            raise Refused("contains a control character", name=name)
        names.append(name)
    return names


def _decoded(raw: bytes, name: str | None) -> str:
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        if name is None:
            raise Refused("a query parameter name is not valid UTF-8") from None
        raise Refused("is not valid UTF-8", name=name) from None


def _check_declared(names: list[str]) -> None:
    """Only API endpoints declare their query parameters (in the OpenAPI document)."""
    rule = request.url_rule
    if rule is None or not names:
        return
    declared = declared_query_parameters().get((rule.rule, request.method))
    if declared is None:
        return
    for name in names:
        if name not in declared:
            takes = ", ".join(sorted(declared)) or "none"
            raise Refused(f"unknown parameter; this endpoint takes {takes}", name=name)


def declared_query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """(Flask rule, method) -> the query parameter names the OpenAPI document declares."""
    found = current_app.extensions.get(DECLARED_KEY)
    if found is None:
        found = current_app.extensions[DECLARED_KEY] = _from_openapi()
    return found


def _from_openapi() -> dict[tuple[str, str], frozenset[str]]:
    api = current_app.extensions.get("flask-smorest", {}).get("apis", {}).get("")
    spec = api["ext_obj"].spec.to_dict() if api else {}
    by_path = {}
    for path, operations in spec.get("paths", {}).items():
        shared = [p for p in operations.get("parameters", []) if isinstance(p, dict)]
        for method, operation in operations.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            params = shared + operation.get("parameters", [])
            by_path[(path, method.upper())] = frozenset(
                p["name"] for p in params if isinstance(p, dict) and p.get("in") == "query"
            )
    declared = {}
    for rule in current_app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if (path, method) in by_path:
                declared[(rule.rule, method)] = by_path[(path, method)]
            elif method == "HEAD" and (path, "GET") in by_path:
                declared[(rule.rule, method)] = by_path[(path, "GET")]
    return declared


def _check_form() -> None:
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return
    for name, value in request.form.items(multi=True):
        if TEXT_CONTROL.search(value):
            raise Refused("contains a control character", name=name, where="body")


def _check_json() -> None:
    if not request.is_json:
        return
    body = request.get_json(silent=True)
    where = _control_in(body, "")
    if where is not None:
        raise Refused("contains a control character", name=where or "body", where="body")


def _control_in(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if TEXT_CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and TEXT_CONTROL.search(key):
                return path or "body"
            found = _control_in(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _control_in(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None
