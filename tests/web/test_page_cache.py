"""Find partners pages seen signed out are rendered once per query and data state, then sent
again with the request's own script nonce; signed-in visitors always get a fresh page."""

from __future__ import annotations

import re

import pytest

from matchmaker.web import partners_view
from tests.support.pages import ADUR, OFFICER, sign_in, text

FIND = f"/find-partners?council={ADUR}&service=legal-democratic"


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Each time the page's results are worked out."""
    seen: list[str] = []
    real = partners_view.find_partners

    def counted(session, council, service, principal):
        seen.append(principal.actor)
        return real(session, council, service, principal)

    monkeypatch.setattr("matchmaker.web.partners.find_partners", counted)
    return seen


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def test_a_signed_out_page_is_worked_out_once_and_carries_each_requests_nonce(client, renders):
    first, second = client.get(FIND), client.get(FIND)
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1
    assert nonce_of(first) != nonce_of(second)
    for response in (first, second):
        assert f'<script nonce="{nonce_of(response)}">' in text(response)
    strip = re.compile(r'nonce="[^"]+"')
    assert strip.sub("", text(first)) == strip.sub("", text(second))
    client.get(f"/find-partners?council={ADUR}&service=ict-digital")
    assert len(renders) == 2


def test_a_change_to_the_data_gives_a_fresh_page(app, client, renders):
    app.config["API_DATA_CHECK_SECONDS"] = 0
    client.get(FIND)
    from matchmaker.db import Arrangement
    from matchmaker.flask_database import get_database

    with get_database(app).transaction() as session:
        arrangement = session.query(Arrangement).first()
        arrangement.name = arrangement.name + " (renamed)"
        arrangement.version += 1
    client.get(FIND)
    assert len(renders) == 2


def test_signed_in_visitors_always_get_a_fresh_page(client, renders):
    sign_in(client, OFFICER)
    for _ in range(2):
        assert "Signed in as" in text(client.get(FIND))
    assert len(renders) == 2
