"""Security headers for every response and CSRF protection for every form.

The Content-Security-Policy allows no inline style, and inline script only with the request's
nonce (the one line of the page template that marks scripts as supported before the page paints):
page scripts are static files and data reaches them through data- attributes or JSON endpoints.
HSTS and secure cookies are on only behind TLS (MATCHMAKER_BEHIND_TLS=1), so the service still works on plain http://127.0.0.1.
"""

from __future__ import annotations

from flask import Flask, request
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from matchmaker import input_gate

API_PREFIX = "/api/"

csrf = CSRFProtect()
talisman = Talisman()


def content_security_policy(app: Flask) -> dict[str, str | list[str]]:
    images = ["'self'", "data:"]
    tiles = app.config.get("MAP_TILE_URL")
    if tiles:
        images.append(_origin(tiles))
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def init_app(app: Flask) -> None:
    behind_tls = bool(app.config.get("BEHIND_TLS"))
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", behind_tls)
    talisman.init_app(
        app,
        force_https=behind_tls,
        strict_transport_security=behind_tls,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=behind_tls,
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        content_security_policy=content_security_policy(app),
        content_security_policy_nonce_in=["script-src"],
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )
    # API routes authenticate with keys, not cookies, so they are not CSRF-checked;
    # every other unsafe request is.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    input_gate.init_app(app)
    app.before_request(_protect_forms)


def _protect_forms() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    if request.path.startswith(API_PREFIX):
        return
    csrf.protect()
