"""Each role's links, followed from the home page, reach every page the role may use and no
page it may not."""

from __future__ import annotations

import pytest

from tests.support.crawl import walk
from tests.support.pages import ADMIN, ADVISER, OFFICER, VIEWER, sign_in

PUBLIC = {
    "home.index",
    "partners.find",
    "map.index",
    "statistics.index",
    "councils.show",
    "auth.sign_in",
    "passwords.forgot_password",
    "submit.report",
    "downloads.csv",
    "downloads.xlsx",
}
OFFICER_PAGES = PUBLIC - {"auth.sign_in", "passwords.forgot_password"} | {
    "match_requests.queue",
    "match_requests.show",
    "match_requests.new",
    "questionnaires.online",
    "questionnaires.download",
    "submit.mine",
    "submit.start",
    "submit.new_arrangement",
    "account.index",
    "refresh_pages.dashboard",
}
OFFICER_ONLY = {
    "questionnaires.online",
    "questionnaires.download",
    "submit.mine",
    "submit.start",
    "submit.new_arrangement",
}
ADVISER_PAGES = OFFICER_PAGES - OFFICER_ONLY | {
    "experts.index",
    "experts.show",
    "experts.proposal",
    "moderation.queue",
    "refresh_pages.reorganisation",
    "refresh_pages.data_quality",
    "refresh_pages.close_round",
    "history.show",
}
ADMIN_PAGES = ADVISER_PAGES | {"users.index", "users.invite", "users.show", "admin_keys.index"}
NEVER = {
    None: {"account.index", "match_requests.queue", "users.index", "experts.index", "moderation.queue"},
    VIEWER: {
        "match_requests.queue",
        "users.index",
        "experts.index",
        "moderation.queue",
        "refresh_pages.reorganisation",
    },
    OFFICER: {
        "users.index",
        "experts.index",
        "moderation.queue",
        "refresh_pages.reorganisation",
        "refresh_pages.data_quality",
        "admin_keys.index",
    },
    ADVISER: {"users.index", "admin_keys.index"},
    ADMIN: set(),
}
EXPECTED = {
    None: PUBLIC,
    VIEWER: PUBLIC - {"auth.sign_in", "passwords.forgot_password"} | {"account.index"},
    OFFICER: OFFICER_PAGES,
    ADVISER: ADVISER_PAGES,
    ADMIN: ADMIN_PAGES,
}


@pytest.mark.parametrize(
    "email", [None, VIEWER, OFFICER, ADVISER, ADMIN], ids=["anonymous", "viewer", "officer", "adviser", "admin"]
)
def test_links_from_home_reach_every_page_of_the_role_and_none_it_cannot_use(app, client, open_round, email):
    if email:
        assert sign_in(client, email).status_code == 302
    found = walk(app, client)
    missing = EXPECTED[email] - set(found.endpoints)
    assert not missing, f"not reachable by links: {sorted(missing)}"
    assert not found.broken, f"links that fail: {found.broken[:10]}"
    assert not NEVER[email] & set(found.endpoints)
