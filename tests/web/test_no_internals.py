"""Every page each role can reach by links from the home page shows names and words, never
internal values: None, actor ids, slugs, digests, unformatted money."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.db import ServiceArea
from matchmaker.flask_database import get_session
from tests.support.crawl import walk
from tests.support.internals import internals
from tests.support.pages import ADMIN, ADVISER, OFFICER, VIEWER, sign_in


@pytest.mark.parametrize(
    "email", [None, VIEWER, OFFICER, ADVISER, ADMIN], ids=["anonymous", "viewer", "officer", "adviser", "admin"]
)
def test_no_page_a_role_reaches_shows_internal_values(app, client, open_round, email):
    with app.app_context():
        slugs = {s for s in get_session().scalars(select(ServiceArea.slug)) if "-" in s}
    if email:
        sign_in(client, email)
    found = walk(app, client)
    leaks = {path: internals(html, slugs) for path, (_status, html) in found.pages.items() if html}
    leaks = {path: found for path, found in leaks.items() if found}
    assert not leaks, "\n".join(f"{path}: {found[:5]}" for path, found in sorted(leaks.items()))
