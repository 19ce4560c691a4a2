"""Security headers on every response, CSRF on every form, cookies, rate-limited sign-in."""

from __future__ import annotations

import re

import pytest

from matchmaker import create_app
from matchmaker.flask_database import get_database
from tests.support.pages import OFFICER, csrf_token, sign_in, text

PAGES = [
    "/",
    "/search?q=adur",
    "/councils/E07000223",
    "/find-partners",
    "/find-partners?council=E07000223&service=ict-digital",
    "/map",
    "/statistics",
    "/sign-in",
]


@pytest.mark.parametrize("path", PAGES + ["/map/arrangements.json", "/nope"])
def test_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_style_or_handlers_and_one_nonced_script(client, path):
    response = client.get(path)
    html = text(response)
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    inline = [s for s in html.split("<script")[1:] if " src=" not in s.split(">")[0]]
    # GOV.UK Frontend's line that marks scripts as supported before the page paints.
    assert len(inline) == 1 and nonce is not None
    assert inline[0].split(">")[0] == f' nonce="{nonce.group(1)}"'
    assert "govuk-frontend-supported" in inline[0]
    assert " onclick=" not in html and " onload=" not in html and "javascript:" not in html


def test_each_page_gets_its_own_nonce(client):
    first, second = (client.get("/").headers["Content-Security-Policy"] for _ in range(2))
    assert "'nonce-" in first and first != second


def test_hsts_and_secure_cookies_behind_tls(app, tmp_path):
    secure = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path / "tls"),
            "SECRET_KEY": "k",
            "BEHIND_TLS": True,
        }
    )
    try:
        response = secure.test_client().get("/", base_url="https://localhost")
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
        assert secure.config["SESSION_COOKIE_SECURE"] is True
        redirected = secure.test_client().get("/", base_url="http://localhost")
        assert redirected.status_code in (301, 302) and redirected.headers["Location"].startswith("https://")
    finally:
        get_database(secure).dispose()


def test_forms_without_a_csrf_token_are_refused(client):
    response = client.post("/sign-in", data={"email": OFFICER, "password": "x"})
    assert response.status_code == 400
    assert "Your form has expired" in text(response)
    assert client.post("/sign-out").status_code == 400
    assert client.post("/account/keys", data={"owner": "x"}).status_code == 400
    assert client.post("/find-partners/introductions", data={}).status_code == 400


def test_api_posts_are_not_csrf_checked(client):
    # The API authenticates with keys; its own validation answers, not the CSRF check.
    response = client.post("/api/v1/organisations")
    assert response.status_code != 400 or "CSRF" not in text(response)
    assert "Your form has expired" not in text(response)


def test_sign_in_sets_an_http_only_lax_session_cookie(client):
    response = sign_in(client, OFFICER)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; secure behind TLS


def test_sign_in_is_rate_limited(client):
    page = text(client.get("/sign-in"))
    token = csrf_token(page)
    statuses = [
        client.post("/sign-in", data={"email": OFFICER, "password": "wrong", "csrf_token": token}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429
    assert "too many attempts" in text(client.post("/sign-in", data={"csrf_token": token}))


def test_a_configured_tile_layer_is_allowed_by_the_policy_and_passed_to_the_map(app, tmp_path):
    tiled = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path / "tiles"),
            "SECRET_KEY": "k",
            "MAP_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
        }
    )
    try:
        response = tiled.test_client().get("/map")
        assert "img-src 'self' data: https://tiles.example.org" in response.headers["Content-Security-Policy"]
        assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in text(response)
    finally:
        get_database(tiled).dispose()
