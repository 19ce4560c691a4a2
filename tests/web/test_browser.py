"""Real-browser journeys with Debian chromium against the app served on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.accessibility import scanning_page, serious_violations
from tests.support.browser_server import BROWSER_TESTS
from tests.support.pages import ADUR, ADVISER, OFFICER, sign_in_page

WORTHING = "E07000229"

pytestmark = BROWSER_TESTS
FIND = f"/find-partners?council={ADUR}&service=legal-democratic"
MAIN_PAGES = {
    "home": "/",
    "search": "/search?q=bor",
    "council": f"/councils/{ADUR}",
    "find-partners-form": "/find-partners",
    "find-partners": FIND,
    "map": "/map",
    "statistics": "/statistics",
    "sign-in": "/sign-in",
}
WORKING_PAGES = {  # name: (who signs in, or None, path)
    "report": (None, "/report"),
    "quality": (None, "/quality"),
    "statistics-2015": (None, "/statistics?year=2015"),
    "submit": (OFFICER, "/submit"),
    "new-arrangement": (OFFICER, "/submit/new-arrangement"),
    "savings-update": (OFFICER, "/arrangements/R040/savings-update"),
    "correction": (OFFICER, "/arrangements/R040/correction"),
    "request-partners": (OFFICER, "/match-requests/new"),
    "history": (OFFICER, "/arrangements/R040/history"),
    "moderation": (ADVISER, "/moderation"),
    "match-requests": (ADVISER, "/match-requests"),
    "experts": (ADVISER, "/experts"),
    "expert": (ADVISER, "/experts/1"),
    "assignment-proposal": (ADVISER, "/experts/assignments"),
    "refresh": (ADVISER, "/refresh"),
    "reorganise": (ADVISER, "/reorganise?as_of=2025-01-01"),
}


def test_search_a_council_with_the_autocomplete(page):
    page.goto("/")
    page.fill("#council-search", "Adur")
    option = page.locator(".autocomplete__option", has_text="Adur District Council")
    option.first.wait_for()
    option.first.click()
    page.wait_for_url(re.compile(f"/councils/{ADUR}$"))
    assert page.locator("h1").inner_text() == "Adur District Council"


def test_find_partners_shows_reasons_and_a_map(page):
    page.goto(FIND)
    assert page.locator(".app-candidate").count() == 10
    first = page.locator(".app-candidate").first
    assert "Horsham" in first.locator("h3").inner_text()
    assert "same county area" in first.locator(".app-contributions").inner_text()
    page.locator("#partners-map.leaflet-container").wait_for()
    # Counted with locators: a polled string predicate is evaluated with eval, which the CSP refuses.
    page.locator("#partners-map path.app-map__council").nth(10).wait_for(state="attached")
    page.locator("#partners-map path.app-map__boundary").nth(300).wait_for(state="attached")


def test_find_partners_states_fit_in_words_and_lists_existing_partners(page):
    page.goto(f"/find-partners?council={WORTHING}&service=revenues-benefits")
    existing = page.locator(".app-existing-partners li")
    assert existing.count() == 1
    assert existing.first.inner_text() == "Adur (Adur and Worthing Councils, since 2007)"
    existing.first.locator("a", has_text="Adur and Worthing Councils").click()
    page.wait_for_url(re.compile("/arrangements/R004/history$"))
    page.go_back()
    body = page.locator("main").inner_text()
    fits = page.locator(".app-candidate dt:text-is('Fit') + dd").all_inner_texts()
    assert len(fits) == 10 and "100%" not in body and not any("%" in fit for fit in fits)
    assert "In past years about " in page.locator(".app-candidate").first.inner_text()
    assert "geometric mean" in page.locator(".app-combined-basis").inner_text()


def test_an_ended_partnership_is_named_with_its_years(page):
    page.goto("/find-partners?council=E06000042&service=hr-payroll")  # Milton Keynes
    reasons = page.locator(".app-candidate .app-contributions").all_inner_texts()
    assert any("in LGSS (Local Government Shared Services), 2010–2020 (ended)" in r for r in reasons)


def test_an_abolished_council_points_to_its_successor(page):
    page.goto("/find-partners?council=E07000201&service=legal-democratic")  # Forest Heath
    page.locator(".app-successors a", has_text="West Suffolk").click()
    page.wait_for_url(re.compile("council=E07000245"))
    assert page.locator(".app-candidate").count() == 10
    page.goto("/councils/E07000201")
    page.locator(".govuk-inset-text a", has_text="West Suffolk").click()
    page.wait_for_url(re.compile("/councils/E07000245$"))


def test_signed_in_officer_sees_demo_contacts(page):
    sign_in_page(page, OFFICER)
    assert page.locator(".app-demo-banner").count() == 1
    page.goto(FIND)
    contacts = page.locator(".app-contacts")
    assert contacts.count() == 10
    assert re.search(r"@horsham\.example", contacts.first.inner_text())
    assert "Demo" in contacts.first.inner_text()
    assert page.locator("button", has_text="Request an introduction").count() == 10


def test_signed_out_no_contact_appears_anywhere(page):
    for path in list(MAIN_PAGES.values()):
        page.goto(path)
        assert ".example" not in page.content(), path
    page.goto("/map")
    page.wait_for_selector("[data-national-map][data-ready=true]")
    page.locator("#national-map path.app-layer__point").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Type of work" in popup.inner_text()
    assert page.locator(".leaflet-popup-content button", has_text="Show contacts").count() == 0
    assert ".example" not in page.content()


def test_map_layers_toggle(page):
    page.goto("/map")
    page.wait_for_selector("[data-national-map][data-ready=true]")
    revenues = "#national-map path.app-layer--2"  # revenues and benefits is the second layer
    before = page.locator(revenues).count()
    assert before > 0
    page.uncheck("#layer-revenues-benefits")
    assert page.locator(revenues).count() == 0
    assert "14 of 15 service layers" in page.locator("#map-status").inner_text()
    page.check("#layer-revenues-benefits")
    assert page.locator(revenues).count() == before


def test_officer_opens_contacts_from_a_map_popup(page):
    sign_in_page(page, OFFICER)
    page.goto("/map?service=revenues-benefits")
    page.wait_for_selector("[data-national-map][data-ready=true]")
    page.locator("#national-map path.app-layer--2.app-layer__point").first.click(force=True)
    button = page.locator(".leaflet-popup-content button", has_text="Show contacts")
    button.wait_for()
    with page.expect_response(re.compile(r"/contacts")):
        button.dispatch_event("click")  # not a click at a point: the popup may still be panning
    page.locator(".leaflet-popup-content .app-contacts").wait_for()
    assert ".example" in page.locator(".leaflet-popup-content").inner_text()


def test_download_csv(page):
    page.goto("/map?status=ended")
    with page.expect_download() as download:
        page.click("text=CSV (import format)")
    path = Path(download.value.path())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("arrangement_id,name,council_codes")
    rows = page.locator("#arrangements-table tbody tr").count()
    assert len(lines) - 1 == rows and all(",ended," in line for line in lines[1:])


def test_keyboard_only_journey(page):
    page.goto("/")

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"could not reach {selector} with the Tab key")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("govuk-skip-link")
    tab_to("#council-search")
    page.keyboard.type("Adur")
    # Each keystroke asks the server; wait until the list answers "Adur" itself, then until the
    # arrow key has chosen its first option, so Enter confirms that option.
    page.locator('[data-council-search][data-answered="Adur"]').wait_for(state="attached")
    page.keyboard.press("ArrowDown")
    page.locator(".autocomplete__option--focused", has_text="Adur District Council").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/councils/{ADUR}$"))
    tab_to("select#service")
    page.keyboard.press("ArrowDown")  # second service: revenues and benefits
    tab_to("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/find-partners\\?"))
    assert "service=revenues-benefits" in page.url
    assert page.locator(".app-candidate").count() > 0
    tab_to(".app-candidate h3 a")
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).backgroundColor"
    )
    assert outline != "none rgba(0, 0, 0, 0)"  # the focused link is visibly marked


@pytest.mark.parametrize("name", list(MAIN_PAGES) + ["account"])
def test_accessibility_scan_and_screenshots(browser, live_server, artifacts, name):
    with scanning_page(browser, live_server.url) as page:
        if name == "account":
            sign_in_page(page, OFFICER)
            path = "/account"
        else:
            path = MAIN_PAGES[name]
        page.goto(path)
        if name == "map":
            page.wait_for_selector("[data-national-map][data-ready=true]")
        serious = serious_violations(page)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=name not in ("map", "statistics"))
        assert not serious, "\n".join(serious)


@pytest.mark.parametrize("name", list(WORKING_PAGES))
def test_accessibility_scan_of_the_signed_in_working_pages(browser, live_server, artifacts, name):
    email, path = WORKING_PAGES[name]
    with scanning_page(browser, live_server.url) as page:
        if email:
            sign_in_page(page, email)
        assert page.goto(path).status == 200
        serious = serious_violations(page)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        assert not serious, "\n".join(serious)
