"""In a real browser: an officer submits a savings update and a missing arrangement, an adviser
reviews the differences and approves, and the map, statistics and history show the change."""

from __future__ import annotations

import re

import pytest

from tests.databases import DEMO_PASSWORD
from tests.web.browser_server import start
from tests.web.helpers import ADVISER, OFFICER

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of its own: these journeys change the data other browser tests read."""
    live = start(tmp_path_factory.mktemp("refresh-live"))
    yield live
    live.stop()


@pytest.fixture
def page(browser, server):
    """Like the shared ``page`` fixture, on this module's own server."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


def sign_in(page, email):
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def sign_out(page):
    page.click("button:has-text('Sign out')")


def totals(page) -> tuple[int, int]:
    page.goto("/statistics")
    numbers = [int(t) for t in page.locator(".app-total").all_inner_texts()]
    return numbers[0], numbers[2]  # arrangements, with savings figures


def map_ids(page) -> set[str]:
    return {a["id"] for a in page.request.get("/map/arrangements.json").json()["arrangements"]}


def test_submissions_moderated_and_published(page):
    arrangements_before, with_savings_before = totals(page)
    assert arrangements_before == 67

    sign_in(page, OFFICER)
    page.goto("/submit")
    page.click("a:has-text('Add savings for CenSus revenues and benefits partnership')")
    page.fill("#amount_gbp", "45,000")
    page.select_option("#kind", "achieved")
    page.fill("#financial_year", "2024")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/submissions$"))

    page.goto("/submit/new-arrangement")
    page.fill("#name", "Adur and Worthing legal services")
    page.fill("#council_codes", "E07000223; E07000229")
    page.check("input[value=legal-democratic]")
    page.fill("#start_year", "2022")
    page.fill("#source_url", "https://example.org/adur-worthing-legal")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/submissions$"))
    assert page.locator("#my-submissions tbody tr").count() == 2
    assert page.locator("#my-submissions", has_text="Waiting for an adviser").count() == 1
    assert totals(page) == (arrangements_before, with_savings_before)  # nothing published yet
    sign_out(page)

    sign_in(page, ADVISER)
    page.goto("/moderation")
    page.click("a:has-text('Submission 1')")
    assert "£45000.00 achieved annual 2024/25" in page.locator(".app-diff").inner_text()
    page.click("#approve")
    page.wait_for_url(re.compile(r"/moderation$"))
    page.click("a:has-text('Submission 2')")
    diff = page.locator(".app-diff").inner_text()
    assert "Adur and Worthing legal services" in diff and "Worthing (E07000229)" in diff
    page.click("#approve")
    page.wait_for_url(re.compile(r"/moderation$"))
    assert "Nothing waiting." in page.locator("#queue").inner_text()

    assert totals(page) == (arrangements_before + 1, with_savings_before + 1)
    assert "S00002" in map_ids(page)
    page.goto("/arrangements/R040/history")
    assert page.locator(".app-version h2").all_inner_texts() == ["Version 2 (current)", "Version 1"]
    assert "submission 1" in page.locator("#version-2").inner_text()
    page.goto("/arrangements/S00002/history")
    assert page.locator(".app-version h2").all_inner_texts() == ["Version 1 (current)"]
