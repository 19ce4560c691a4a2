"""ETag and Cache-Control on read endpoints; 304 when If-None-Match matches.

The ETag is a hash of the body, so it changes exactly when the answer does. Responses that carry
contact details are never cached anywhere (``no-store``) and get no ETag: each read of a contact
must reach the server, where it is audited.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from matchmaker.api.auth import is_personalised
from matchmaker.api.errors import is_api_request

MAX_AGE_SECONDS = 60


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
    response.vary.add("Authorization")
    response.vary.add("X-API-Key")
    response.add_etag()
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.after_request(_conditional)
