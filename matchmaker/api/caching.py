"""ETag and Cache-Control on read endpoints; 304 when If-None-Match matches.

The ETag is a hash of the body, so it changes exactly when the answer does. Responses that carry
contact details are never cached anywhere (``no-store``) and get no ETag: each read of a contact
must reach the server, where it is audited.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from werkzeug.http import generate_etag

from matchmaker.api.auth import is_personalised
from matchmaker.api.errors import is_api_request

MAX_AGE_SECONDS = 60
VARY_ON = ("Authorization", "X-API-Key")
# Only a request with one of these can be answered other than 200 with the whole body.
CONDITIONAL_HEADERS = ("If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range", "Range")


def no_store() -> None:
    """Mark this response as not cacheable (it carries contact details)."""
    g.api_no_store = True


def _conditional(response: Response) -> Response:
    if not is_api_request() or request.method not in ("GET", "HEAD"):
        return response
    if g.get("api_no_store"):
        response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code != 200 or response.direct_passthrough:
        return response
    scope = "private" if is_personalised() else "public"
    response.headers["Cache-Control"] = f"{scope}, max-age={MAX_AGE_SECONDS}"
    _vary_on_keys(response)
    response.set_etag(generate_etag(response.get_data()))
    if any(name in request.headers for name in CONDITIONAL_HEADERS):
        return response.make_conditional(request)
    return response


def _vary_on_keys(response: Response) -> None:
    names = [name.strip() for name in response.headers.get("Vary", "").split(",") if name.strip()]
    lowered = {name.lower() for name in names}
    names += [name for name in VARY_ON if name.lower() not in lowered]
    response.headers["Vary"] = ", ".join(names)


def init_app(app: Flask) -> None:
    app.after_request(_conditional)
