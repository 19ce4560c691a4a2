"""Per role, in a real browser: an account invited by an administrator, set up through the link
in the email a real SMTP server received; the role's navigation walked to every page it lists,
each checked for internal values, sideways scroll at 375 px and serious or critical axe
violations; then the role's main journey. Screenshots go to tests/artifacts/journeys/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from matchmaker.flask_database import get_database
from matchmaker.services import match_requests, refresh, submissions
from matchmaker.services.access import principal_for_user
from matchmaker.services.users import find_by_email
from tests.support.accessibility import scanning_page, serious_violations
from tests.support.browser_server import ARTIFACTS, BROWSER_TESTS, start
from tests.support.internals import internals
from tests.support.mail_server import path_of, smtp_config, smtp_server  # noqa: F401 (fixture)
from tests.support.pages import ADMIN, accept_invitation, sign_in_page, wait_until_drawn

pytestmark = BROWSER_TESTS
SHOTS = ARTIFACTS / "journeys"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start(tmp_path_factory.mktemp("journeys"))
    yield live
    live.stop()


@pytest.fixture
def mail(server, smtp_server):  # noqa: F811
    server.app.config.update(smtp_config(smtp_server))
    yield smtp_server
    server.app.config["SMTP_HOST"] = None


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _invite(page, email: str, role: str, council: str | None = None) -> None:
    """An administrator invites through the page, choosing the council with the keyboard."""
    page.click("nav >> text=Users")
    page.click("text=Invite a user")
    page.fill("#email", email)
    page.select_option("#role", role)
    if council:
        combobox = page.locator("input#organisation")
        combobox.fill(council)
        assert combobox.get_attribute("role") == "combobox"
        page.wait_for_selector("#organisation__listbox li")
        assert combobox.get_attribute("aria-expanded") == "true"
        announced = page.locator("[id^=organisation__status--][role=status]")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[id^=organisation__status--]')]"
            ".some(e => /result/.test(e.textContent))"
        )
        assert "available" in " ".join(announced.all_inner_texts())  # what a screen reader hears
        combobox.press("ArrowDown")
        combobox.press("Enter")
    page.click("main button:has-text('Send invitation')")
    page.wait_for_selector("text=Invitation sent to")


@contextmanager
def _set_up(browser, server, mail, email: str) -> Iterator:
    """The invitee opens the emailed link, sets a password and signs in."""
    with scanning_page(browser, server.url) as page:
        accept_invitation(page, path_of(mail.link_for(email)), email)
        yield page


@contextmanager
def _invited(browser, server, mail, email, role, council=None) -> Iterator:
    with scanning_page(browser, server.url) as admin:
        sign_in_page(admin, ADMIN)
        _invite(admin, email, role, council)
    with _set_up(browser, server, mail, email) as page:
        yield page


def _walk_navigation(page, role: str) -> list[str]:
    """Every page in the role's navigation: no internals, no sideways scroll at 375 px, no serious
    or critical accessibility violations."""
    page.goto("/")
    links = page.eval_on_selector_all(
        "#navigation a", "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])"
    )
    problems = []
    for text, href in links:
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(href)
        if response.status != 200:
            problems.append(f"{text} ({href}): status {response.status}")
            continue
        wait_until_drawn(page)  # a map's scripts may still be drawing it after the page has loaded
        # The API's documentation names its fields (gss_code, null) on purpose.
        leaks = [] if href.startswith("/api/") else internals(page.content())
        if leaks:
            problems.append(f"{text} ({href}): {leaks[:3]}")
        problems += [f"{text} ({href}): {v}" for v in serious_violations(page)]
        page.set_viewport_size({"width": 375, "height": 800})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            problems.append(f"{text} ({href}): {width} px wide at 375 px")
        _shot(page, f"{role}-{re.sub(r'[^a-z0-9]+', '-', text.lower())}")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n".join(problems)
    return [text for text, _ in links]


def test_administrator_invites_a_user_then_disables_them(browser, server, mail):
    with _invited(browser, server, mail, "new.admin@example.org", "admin") as page:
        assert "Users" in _walk_navigation(page, "admin")
        _invite(page, "leaving@example.org", "viewer")
        _shot(page, "admin-invited")
        with _set_up(browser, server, mail, "leaving@example.org") as leaver:
            page.click("nav >> text=Users")
            page.click("a:has-text('leaving@example.org')")
            page.click("main button:has-text('Disable account')")
            page.wait_for_selector("text=is disabled")
            _shot(page, "admin-disabled")
            leaver.reload()
            assert leaver.locator("button:has-text('Sign out')").count() == 0


def test_officer_finds_partners_requests_an_introduction_and_answers_the_questionnaire(browser, server, mail):
    with get_database(server.app).transaction() as session:
        if refresh.current_round(session) is None:
            refresh.open_round(session, principal_for_user(find_by_email(session, "adviser@demo.example")), 2026)
    with _invited(browser, server, mail, "officer@example.org", "council_officer", "Adur") as page:
        names = _walk_navigation(page, "officer")
        assert {
            "Find partners",
            "Your council",
            "Your requests",
            "2026 questionnaire",
            "Submissions",
            "API keys",
        } <= set(names)
        page.click("nav >> text=Find partners")
        page.goto("/find-partners?council=E07000223&service=legal-democratic")
        page.locator("main button:has-text('Request an introduction')").first.click()
        page.wait_for_selector("text=Introduction requested")
        _shot(page, "officer-introduction-requested")
        page.click("nav >> text=2026 questionnaire")
        page.click("#answer-online")
        page.locator("section[data-arrangement] input[type=radio][value=yes]").first.check()
        page.click("main button:has-text('Send answers')")
        page.wait_for_url(re.compile(r"/refresh$"))
        _shot(page, "officer-questionnaire-sent")
        assert page.locator(".govuk-notification-banner--success").count() == 1


def test_adviser_triages_assigns_an_expert_moderates_and_closes_a_round(browser, server, mail):
    with get_database(server.app).transaction() as session:
        officer = principal_for_user(find_by_email(session, "council-officer@demo.example"))
        request = match_requests.create(
            session,
            officer,
            {
                "service": "procurement-assets",
                "description": "Joint procurement of fleet",
                "urgency": "high",
                "needs_expert": True,
            },
        )
        request_id = request.id
        submissions.submit(
            session,
            officer,
            "savings_update",
            {"amount_gbp": "45,000", "kind": "achieved", "financial_year": "2024"},
            "R040",
        )
        if refresh.current_round(session) is None:
            refresh.open_round(session, principal_for_user(find_by_email(session, "adviser@demo.example")), 2026)
        year = refresh.current_round(session).year
    with _invited(browser, server, mail, "adviser2@example.org", "adviser") as page:
        names = _walk_navigation(page, "adviser")
        assert "Users" not in names and {
            "Requests",
            "Experts",
            "Assignments",
            "Refresh rounds",
            "Moderation",
            "Reorganisation",
            "Quality",
        } <= set(names)
        page.click("nav >> text=Requests")
        page.click(f"a:has-text('Request {request_id}')")
        page.click("main button:has-text('Mark as triaged')")
        page.wait_for_selector("#status:has-text('Triaged')")
        _shot(page, "adviser-triaged")
        page.click("nav >> text=Assignments")
        page.click("main button:has-text('Accept assignments')")
        page.wait_for_selector(".govuk-notification-banner--success")
        _shot(page, "adviser-expert-assigned")
        page.click("nav >> text=Moderation")
        page.locator("main table a").first.click()
        page.click("#approve")
        page.wait_for_selector(".govuk-notification-banner--success")
        _shot(page, "adviser-moderated")
        page.click("nav >> text=Refresh rounds")
        page.click("a:has-text('Close')")
        page.click("main button:has-text('Close the round')")
        page.wait_for_selector(f"text=The {year} refresh round is closed")
        _shot(page, "adviser-round-closed")


def test_viewer_sees_the_public_pages_and_is_told_to_ask_an_adviser_elsewhere(browser, server, mail):
    with _invited(browser, server, mail, "viewer2@example.org", "viewer") as page:
        names = _walk_navigation(page, "viewer")
        assert names == ["Find partners", "Map", "Statistics", "API"]
        page.goto("/match-requests")
        assert "ask an adviser" in page.inner_text("main")
        _shot(page, "viewer-forbidden")
