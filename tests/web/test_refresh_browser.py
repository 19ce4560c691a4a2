"""In a real browser: an officer submits a savings update and a missing arrangement, an adviser
reviews the differences and approves, and the map, statistics and history show the change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import scanning_page, serious_violations
from tests.support.browser_server import BROWSER_TESTS, browser_page, start
from tests.support.pages import ADVISER, OFFICER
from tests.support.pages import sign_in_page as sign_in

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of its own: these journeys change the data other browser tests read."""
    live = start(tmp_path_factory.mktemp("refresh-live"))
    yield live
    live.stop()


@pytest.fixture
def page(browser, server):
    with browser_page(browser, server.url) as page:
        yield page


def sign_out(page):
    page.click("button:has-text('Sign out')")
    # Signed out before the next page is asked for, not while the sign-out is still on its way.
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You are signed out.")


def totals(page) -> tuple[int, int]:
    page.goto("/statistics")
    numbers = [int(t) for t in page.locator(".app-total").all_inner_texts()]
    return numbers[0], numbers[2]  # arrangements, with savings figures


def map_ids(page) -> set[str]:
    return {a["id"] for a in page.request.get("/map/arrangements.json").json()["arrangements"]}


def test_submissions_moderated_and_published(page):
    arrangements_before, with_savings_before = totals(page)
    assert arrangements_before == 161

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
    # The officer's own council fills the first picker; Worthing is picked by name in the second.
    assert page.input_value("#council_codes") == "Adur District Council"
    page.fill("#council_2", "Worthing")
    page.locator("#council_2__listbox li", has_text="Worthing Borough Council").first.click()
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
    expect(page.locator(".app-diff")).to_contain_text("£45k a year in 2024/25")
    page.click("#approve")
    page.wait_for_url(re.compile(r"/moderation$"))
    page.click("a:has-text('Submission 2')")
    diff = page.locator(".app-diff")
    expect(diff).to_contain_text("Adur and Worthing legal services")
    expect(diff).to_contain_text("Worthing (E07000229)")
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


def test_questionnaire_answered_online_and_counted_by_the_round(page, browser, server):
    sign_in(page, ADVISER)
    page.goto("/refresh")
    page.fill("#year", "2026")
    page.click("button:has-text('Open round')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The 2026 refresh round is open.")
    sign_out(page)

    sign_in(page, OFFICER)
    page.goto("/refresh")
    page.click("#answer-online")
    census = page.locator("section[data-arrangement=R040]")
    expect(census).to_contain_text("No end year")  # (its savings gap may be filled by another test)
    page.check("#confirm-R004")
    page.fill("#savings_gbp-R040", "lots")
    page.select_option("#savings_kind-R040", "expected")
    page.fill("#savings_year-R040", "2025")
    page.click("button:has-text('Send answers')")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("R040, Savings figure (£): not an amount in pounds: 'lots'")
    # The summary takes focus once its script has started; only then does its link move focus.
    expect(summary).to_be_focused()
    summary.locator("a").first.click()
    expect(page.locator("#savings_gbp-R040")).to_be_focused()
    assert page.locator("#confirm-R004").is_checked()  # answers kept
    page.fill("#savings_gbp-R040", "52000")
    page.click("button:has-text('Send answers')")
    page.wait_for_url(re.compile(r"/refresh$"))
    assert "1 arrangement(s) confirmed, 1 submission(s) for checking" in page.content()
    sign_out(page)

    sign_in(page, ADVISER)
    page.goto("/refresh")
    row = page.locator("#rounds tbody tr", has_text="2026").inner_text()
    assert re.search(r"2026\s+Open\s+1 of \d+\s+1 of \d+", row), row

    with scanning_page(browser, server.url) as scanned:  # accessibility, errors shown
        sign_in(scanned, ADVISER)
        scanned.goto("/refresh/2026/questionnaires/E07000223")
        scanned.fill("#savings_gbp-R004", "lots")
        scanned.click("button:has-text('Send answers')")
        scanned.locator(".govuk-error-summary").wait_for()
        # Scanned once the page with the errors has loaded: its scripts have run, its files arrived.
        scanned.wait_for_load_state("load")
        assert not serious_violations(scanned)


def test_reorganisation_moves_only_the_chosen_arrangement(page):
    sign_in(page, ADVISER)
    page.goto("/reorganise")
    page.fill("#as_of", "2025-01-01")
    page.click("button:has-text('Show')")
    # The list is read once the page for that date has arrived, not from the page before it.
    page.wait_for_url(re.compile(r"as_of=2025-01-01"))
    sections = page.locator("section.app-move")
    # Live on 1 January 2025 with a member abolished by then (councils.csv end dates).
    affected = [
        "R055",
        "R072",
        "R122",
        "R164",
        "R212",
        "R218",
        "R231",
        "R232",
        "R240",
        "R245",
        "R261",
        "R289",
        "R290",
        "R294",
        "R307",
    ]
    assert sections.evaluate_all("s => s.map(e => e.dataset.arrangement)") == affected
    for arrangement_id in affected:
        if arrangement_id != "R072":
            page.uncheck(f"#arrangement-{arrangement_id}")
    page.click("button:has-text('Move memberships in the chosen arrangements')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("in 1 arrangement(s)")
    # The list is read once the page after the move has all of its sections, not part of them.
    expect(sections).to_have_count(len(affected) - 1)
    assert sections.evaluate_all("s => s.map(e => e.dataset.arrangement)") == [a for a in affected if a != "R072"]
    page.goto("/arrangements/R072/history")
    assert "Reorganisation: Mendip (E07000187) replaced by Somerset (E06000066)" in page.content()
