"""Web fixtures: one live server and one headless Debian chromium per test session, and an open
refresh round with a match request for the page crawls."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchmaker.flask_database import get_session
from matchmaker.services import refresh
from matchmaker.services.access import principal_for_user
from matchmaker.services.users import find_by_email
from tests.support.browser_server import ARTIFACTS, browser_page, start
from tests.support.pages import ADVISER
from tests.support.workflow import create_request

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/test does)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    with browser_page(browser, live_server.url, accept_downloads=True) as page:
        yield page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def open_round(app):
    with app.app_context():
        session = get_session()
        refresh.open_round(session, principal_for_user(find_by_email(session, ADVISER)), 2026)
        session.commit()
    create_request(app)
