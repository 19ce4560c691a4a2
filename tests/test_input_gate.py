"""Hostile input from the attack on the running service: each request that answered 500 (or
was silently taken) now gets a named refusal, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import stat

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matchmaker.db import Arrangement, Expert, MatchRequest, User
from matchmaker.flask_database import get_database, get_session
from matchmaker.services import keys, match_requests
from matchmaker.services.request_fields import InvalidRequest
from matchmaker.web.auth import safe_next
from tests.support.databases import DATA_DIR
from tests.support.pages import ADUR, ADVISER, OFFICER, sign_in, text

PAGES_WITH_NUL = (
    "/search?q=a%00b",
    "/councils/E0700%0022",
    f"/find-partners?council={ADUR}%00&service=legal-democratic",
    "/arrangements/R0%0004/history",
)
API_WITH_NUL = ("/api/v1/organisations?name=a%00b", "/api/v1/organisations/E0700%0022", "/api/v1/arrangements/R0%0004")
LISTS = ("/api/v1/organisations", "/api/v1/arrangements", "/api/v1/match-requests")


def _key(app, *scopes: str, user_email: str | None = None) -> dict[str, str]:
    with get_database(app).transaction() as session:
        user_id = session.scalar(select(User.id).where(User.email == user_email)) if user_email else None
        _, plaintext = keys.create_key(session, "gate test", list(scopes), user_id=user_id)
    return {"Authorization": f"Bearer {plaintext}"}


def _is_problem(response, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_nul_in_a_path_or_query_is_refused_not_a_500(client):
    for path in PAGES_WITH_NUL:
        page = client.get(path)
        assert page.status_code == 400, path
        assert "Sorry, there is a problem with what was sent" in text(page)
    for path in API_WITH_NUL:
        _is_problem(client.get(path), 400 if "%00" in path.split("?")[0] else 422)


def test_undecodable_and_unknown_parameter_names_are_refused_and_never_echoed(client):
    for path in LISTS:
        for query in ("%C4%9F=1", "%FF=1", "a%00b=1"):
            refused = client.get(f"{path}?{query}")
            _is_problem(refused, 400)
            assert "Link" not in refused.headers
        unknown = client.get(f"{path}?colour=blue")
        _is_problem(unknown, 422 if path != "/api/v1/match-requests" else 422)
        assert unknown.json["invalid_params"][0]["name"] == "colour"
    listed = client.get("/api/v1/organisations?limit=2&name=%C3%A9")
    assert listed.status_code == 200
    assert listed.headers["Link"].isascii() and "name=%C3%A9" in listed.headers["Link"]


def test_control_characters_in_json_bodies_are_refused_naming_the_field(app, client):
    headers = _key(app, "adviser", "requests:write", "public:read", user_email=ADVISER)
    response = client.post(
        "/api/v1/experts", headers=headers, json={"name": "Bad\x00Name", "service_slugs": ["legal-democratic"]}
    )
    _is_problem(response, 422)
    assert response.json["invalid_params"][0] == {
        "name": "name",
        "in": "body",
        "reason": "contains a control character",
    }


def test_booleans_are_json_booleans_and_a_patch_must_change_something(app, client):
    headers = _key(app, "adviser", "requests:write", "public:read", user_email=ADVISER)
    with app.app_context():
        expert_id = get_session().scalar(select(Expert.id).limit(1))
    path = f"/api/v1/experts/{expert_id}"
    for body in ({"available": 0}, {"available": "yes"}, {"available": 1}):
        refused = client.patch(path, headers=headers, json=body)
        _is_problem(refused, 422)
        assert refused.json["invalid_params"][0]["name"] == "available"
    for body in ({}, {"version": 1}):
        _is_problem(client.patch(path, headers=headers, json=body), 422)
    _is_problem(client.patch(path, headers=headers), 422)
    assert client.patch(path, headers=headers, json={"available": False}).status_code == 200


def test_a_body_over_the_limit_is_refused_as_a_problem(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/api/v1/experts", data=b"{" + b" " * limit + b"}", content_type="application/json")
    _is_problem(response, 413)


def test_a_note_over_its_limit_is_refused_with_the_limit(app):
    from tests.support.workflow import adviser, create_request

    request_id = create_request(app)
    with app.app_context():
        session = get_session()
        request = session.get(MatchRequest, request_id)
        with pytest.raises(InvalidRequest, match="a note can be at most 5,000 characters; this one has 1,000,000"):
            match_requests.add_note(session, adviser(session), request, "n" * 1_000_000)
        session.rollback()


def test_line_breaks_in_the_sign_in_next_address_are_refused_before_the_password_check(app, client):
    page = client.get("/sign-in?next=/x%0d%0aSet-Cookie:%20a=b")
    assert page.status_code == 400
    with app.test_request_context():
        assert safe_next("/moderation\r\nSet-Cookie: a=b") == "/"
        assert safe_next("/\\evil.example") == "/"
        assert safe_next("/moderation") == "/moderation"


def test_pages_showing_contacts_are_not_stored(client):
    assert "no-store" not in client.get(f"/councils/{ADUR}").headers.get("Cache-Control", "")
    sign_in(client, OFFICER)
    assert client.get(f"/councils/{ADUR}").headers["Cache-Control"] == "no-store"
    partners = client.get(f"/find-partners?council={ADUR}&service=legal-democratic")
    assert partners.status_code == 200
    assert partners.headers["Cache-Control"] == "no-store"


def test_control_characters_in_an_approved_name_never_reach_the_spreadsheets(app, client):
    with get_database(app).transaction() as session:
        arrangement = session.scalar(select(Arrangement).where(Arrangement.public_id == "R004"))
        arrangement.name = "Adur\x0band\x01Worthing =1+1"
    response = client.get("/map/arrangements.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "AdurandWorthing =1+1" in names


def test_load_arrangements_with_a_nul_exits_2_naming_row_and_column(runner, tmp_path):
    path = tmp_path / "nul.csv"
    header = (DATA_DIR / "arrangements.csv").read_text().splitlines()[0]
    path.write_text(header + "\nX1,Legal\x00team,E07000223;E07000229,,legal-democratic,2020,,operational,,,,,\n")
    result = runner.invoke(["load", "arrangements", str(path)])
    assert result.exit_code == 2, result.output
    assert "nul.csv, row 2, column name: contains a control character (U+0000); remove it" in result.output
    assert "nothing was written" in result.output


def test_export_all_is_readable_by_its_owner_only(runner, tmp_path):
    target = tmp_path / "backup"
    result = runner.invoke(["export", "all", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o700
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in target.iterdir()}
    assert "users.csv" in modes and "manifest.json" in modes
    assert set(modes.values()) == {0o600}
