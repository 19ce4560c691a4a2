"""Who is calling the API: an API key, a signed-in user, or an anonymous visitor.

A key comes in ``Authorization: Bearer <key>`` or ``X-API-Key``. A key that is presented but
unknown or revoked is refused (401), never silently treated as anonymous. Without a key, a user
signed in to the web pages is recognised; otherwise the caller is anonymous (``public:read``).
Each worker looks a key up about once a second, not on every request (``key_checks``).
"""

from __future__ import annotations

import re

from flask import current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.api import key_checks
from matchmaker.api.errors import ApiProblem
from matchmaker.flask_database import get_session
from matchmaker.services import keys
from matchmaker.services.access import ANONYMOUS, Principal, principal_for_key, principal_for_user

KEY_SHAPE = re.compile(rf"{keys.KEY_PREFIX}_[0-9a-f]{{1,16}}_[A-Za-z0-9_-]{{16,128}}")


def current_principal() -> Principal:
    if "api_principal" not in g:
        g.api_principal = _resolve()
    return g.api_principal


def _resolve() -> Principal:
    presented = keys.presented_key(request.headers)
    if presented is not None:
        now = current_app.config["CLOCK"]()
        principal = key_checks.remembered().principal(presented, now, lambda: _look_up(presented, now))
        if principal is None:
            raise ApiProblem(401, "The API key is not valid: it is unknown, malformed or revoked.")
        return principal
    user = _signed_in_user()
    return principal_for_user(user) if user is not None else ANONYMOUS


def verified_caller() -> str | None:
    """Whose API budget this request spends (registered with the rate limiter): the verified
    key's or signed-in user's, else None. A key refused here is answered 401 after the limit."""
    try:
        principal = current_principal()
    except (ApiProblem, SQLAlchemyError):
        return None
    return None if principal.is_anonymous else principal.actor


def _look_up(presented: str, now) -> Principal | None:
    if not KEY_SHAPE.fullmatch(presented):
        return None
    session = get_session()
    key = keys.authenticate(session, presented)
    if key is None:
        return None
    principal = principal_for_key(key)
    if keys.record_use(session, key, now):
        session.commit()
    return principal


def _signed_in_user():
    if not hasattr(current_app, "login_manager"):
        return None
    from flask_login import current_user

    return current_user if current_user and current_user.is_authenticated else None


def require(scope: str) -> Principal:
    """The caller, if allowed ``scope``: else 401 (anonymous) or 403 (known but not allowed)."""
    principal = current_principal()
    if principal.has(scope):
        return principal
    if principal.is_anonymous:
        raise ApiProblem(401, f"This needs an API key with the {scope} scope.")
    raise ApiProblem(403, f"This key or account does not have the {scope} scope.")


def is_personalised() -> bool:
    """Whether the response may differ by caller (then shared caches must not keep it): the
    caller was recognised, by a key or as a signed-in user, when the request was authenticated."""
    principal = g.get("api_principal")
    if principal is not None:
        return not principal.is_anonymous
    return keys.presented_key(request.headers) is not None or _signed_in_user() is not None


def _authenticate_api_request() -> None:
    from matchmaker.api.errors import is_api_request

    if is_api_request():
        current_principal()


def init_app(app) -> None:
    """Every /api request is authenticated up front, so a bad key is refused on any endpoint.
    Registered after the rate limiter: guessing keys is rate limited like anything else."""
    key_checks.init_app(app)
    app.before_request(_authenticate_api_request)
