"""Helpers for page tests: CSRF tokens from forms, signing in as a demo account."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.browser_server import browser_page
from tests.support.databases import DEMO_PASSWORD

OFFICER = "council-officer@demo.example"
VIEWER = "viewer@demo.example"
ADVISER = "adviser@demo.example"
ADMIN = "admin@demo.example"
ADUR = "E07000223"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


def sign_in(client, email: str, password: str = DEMO_PASSWORD):
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )


def text(response) -> str:
    return response.get_data(as_text=True)


def sign_in_page(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form in a real browser page and wait for the home page."""
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


INVITED_PASSWORD = "harbour lantern pebble"


def accept_invitation(page, path: str, email: str, password: str = INVITED_PASSWORD) -> None:
    """In a real browser page: open the emailed set-password link at ``path``, set ``password``
    and sign in with it."""
    page.goto(path)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.click("main button:has-text('Set password')")
    page.wait_for_url(re.compile(r"/sign-in$"))
    sign_in_page(page, email, password)


@contextmanager
def signed_in(browser, base_url: str, email: str) -> Iterator:
    """``browser_page`` signed in as ``email``."""
    with browser_page(browser, base_url) as page:
        sign_in_page(page, email)
        yield page


def wait_until_drawn(page) -> None:
    """Wait for what the page's scripts draw after it has loaded: its web fonts, the national map's
    layers and each place map's labels, so that a measurement sees the page's final layout."""
    from playwright.sync_api import expect  # only browser tests call this

    page.evaluate("document.fonts.ready.then(() => true)")
    if page.locator("[data-national-map]").count():
        page.locator("[data-national-map][data-ready=true]").wait_for(state="attached")
    expect(page.locator("[data-places-map]:not([data-labels-for])")).to_have_count(0)
