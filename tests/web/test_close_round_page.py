"""Advisers close a refresh round from its page, after seeing its figures."""

from __future__ import annotations

from matchmaker.flask_database import get_session
from matchmaker.services import refresh
from tests.support.pages import ADVISER, OFFICER, csrf_token, sign_in, text
from tests.support.workflow import adviser


def _open(app, year=2026):
    with app.app_context():
        session = get_session()
        refresh.open_round(session, adviser(session), year)
        session.commit()


def test_an_adviser_closes_the_open_round_from_the_dashboard(app, client):
    _open(app)
    sign_in(client, ADVISER)
    dashboard = text(client.get("/refresh"))
    assert 'href="/refresh/rounds/2026/close">Close<span class="govuk-visually-hidden"> the 2026 round' in dashboard
    page = text(client.get("/refresh/rounds/2026/close"))
    assert "Close the 2026 refresh round?" in page and "Councils responded" in page
    response = client.post("/refresh/rounds/2026/close", data={"csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/refresh"
    assert "The 2026 refresh round is closed" in text(client.get("/refresh"))
    with app.app_context():
        assert refresh.round_for_year(get_session(), 2026).status == "closed"
    again = client.get("/refresh/rounds/2026/close")
    assert again.status_code == 302 and "already closed" in text(client.get("/refresh"))


def test_officers_cannot_close_a_round_and_unknown_rounds_are_not_found(app, client):
    _open(app)
    sign_in(client, OFFICER)
    assert client.get("/refresh/rounds/2026/close").status_code == 403
    page = text(client.get("/refresh"))
    assert client.post("/refresh/rounds/2026/close", data={"csrf_token": csrf_token(page)}).status_code == 403
    with app.app_context():
        assert refresh.round_for_year(get_session(), 2026).status == "open"
    client.post("/sign-out", data={"csrf_token": csrf_token(page)})
    sign_in(client, ADVISER)
    assert client.get("/refresh/rounds/1999/close").status_code == 404
