"""Every page says what it is in a meta description; the main pages each in their own words."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.support.pages import ADUR, OFFICER, sign_in, text

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
MAIN_PAGES = {
    "/": "suggested partners",
    "/search?q=adur": "Search English councils",
    f"/councils/{ADUR}": "Adur District Council: its profile",
    "/find-partners": "Choose a council and a service",
    f"/find-partners?council={ADUR}&service=legal-democratic": "partners for Adur District Council",
    "/map": "A map of England",
    "/statistics": "in numbers",
    "/statistics?year=2015": "as in 2015",
    "/sign-in": "Sign in",
}


def description(html: str) -> str:
    found = DESCRIPTION.findall(html)
    assert len(found) == 1, "one meta description per page"
    return unescape(found[0])


def test_main_pages_describe_themselves(client):
    seen = set()
    for path, words in MAIN_PAGES.items():
        said = description(text(client.get(path)))
        assert words in said, (path, said)
        assert 50 <= len(said) <= 200 and "None" not in said, (path, said)
        seen.add(said)
    assert len(seen) == len(MAIN_PAGES)


@pytest.mark.parametrize("path", ["/submit", "/match-requests", "/account", "/nope"])
def test_other_pages_have_the_service_description(client, path):
    sign_in(client, OFFICER)
    assert "Find English councils to share services with" in description(text(client.get(path)))
