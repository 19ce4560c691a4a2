"""Duplicates are refused with a reason: one open introduction request per council pair and
service (a second click shows the first), and no council introduced to itself."""

from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.db import MatchRequest
from matchmaker.flask_database import get_session
from tests.support.pages import ADUR, OFFICER, csrf_token, sign_in, text

FIND = f"/find-partners?council={ADUR}&service=legal-democratic"


def _introduce(client, candidate):
    html = text(client.get(FIND))
    return client.post(
        "/find-partners/introductions",
        data={"council": ADUR, "service": "legal-democratic", "candidate": candidate, "csrf_token": csrf_token(html)},
    )


def _count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(MatchRequest))


def test_a_second_click_shows_the_first_request(app, client):
    sign_in(client, OFFICER)
    first = _introduce(client, "E07000227")
    assert first.status_code == 302 and _count(app) == 1
    second = _introduce(client, "E07000227")
    assert _count(app) == 1
    with app.app_context():
        request_id = get_session().scalar(select(MatchRequest.id))
    assert second.headers["Location"] == f"/match-requests/{request_id}"
    page = text(client.get(second.headers["Location"]))
    assert "You already asked for an introduction to Horsham for legal" in page and "This is that request" in page
    assert _introduce(client, "E07000229").status_code == 302 and _count(app) == 2  # another partner


def test_a_council_is_not_introduced_to_itself(app, client):
    sign_in(client, OFFICER)
    response = _introduce(client, ADUR)
    assert _count(app) == 0
    assert "Adur cannot be introduced to itself" in text(client.get(response.headers["Location"]))


def test_csv_downloads_name_one_charset(client):
    response = client.get("/map/arrangements.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
