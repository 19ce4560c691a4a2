"""The funding journey in Debian chromium: an admin sets the budget, an adviser offers funding on a
request, a second adviser approves it, the council's officer reads the letter and accepts, the
adviser records a claim, and the programme dashboard shows the money move."""

from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import date

from playwright.sync_api import expect

from matchmaker.core.money import financial_year, year_label
from matchmaker.flask_database import get_database
from tests.support.accessibility import scanning_page, serious_violations
from tests.support.browser_server import BROWSER_TESTS
from tests.support.pages import ADMIN, ADVISER, OFFICER, sign_in_page, signed_in
from tests.support.programme import SECOND_ADVISER, make_offer, second_adviser, set_budget
from tests.support.workflow import create_request

pytestmark = BROWSER_TESTS
YEAR = year_label(financial_year(date.today()))


def funding_row(page) -> dict[str, str]:
    """This year's expert-support row of the dashboard's funding table: {column: raw pence}."""
    page.goto("/programme")
    headings = page.locator("#table-funding thead th").all_inner_texts()
    row = (
        page.locator("#table-funding tbody tr")
        .filter(has=page.locator(f'th:text-is("{YEAR}")'))
        .filter(has_text="Expert support")
    )
    if row.count() == 0:
        return {}
    cells = row.locator("td").evaluate_all("cells => cells.map(c => c.dataset.value)")
    return dict(zip(headings[1:], cells))


def test_offer_approve_accept_claim_and_the_dashboard_moves(browser, live_server, artifacts):
    with get_database(live_server.app).transaction() as session:
        second_adviser(session)
    request_id = create_request(live_server.app)
    with ExitStack() as people:
        admin, adviser, approver, officer = (
            people.enter_context(signed_in(browser, live_server.url, email))
            for email in (ADMIN, ADVISER, SECOND_ADVISER, OFFICER)
        )
        # The admin sets this year's expert-support budget, reached from the navigation.
        admin.click("nav >> text=Programme")
        admin.click("text=Budgets by financial year")
        admin.select_option("#kind", "expert_support")
        admin.fill("#amount", "20,000")
        admin.fill("#approval_threshold", "1000")
        admin.click("text=Set budget")
        expect(admin.locator(".govuk-notification-banner")).to_contain_text("budget for")
        before = funding_row(adviser)

        # The adviser offers 5 days at £400 a day, capped at £1,800: above the threshold.
        adviser.goto(f"/match-requests/{request_id}")
        adviser.click("#offer-funding")
        adviser.select_option("#kind", "expert_support")
        adviser.check("#basis-days")
        adviser.fill("#days", "5")
        adviser.fill("#day_rate", "400")
        adviser.fill("#cap", "1800")
        adviser.fill("#conditions", "Progress notes every month")
        adviser.click("text=Make offer")
        adviser.wait_for_url(re.compile(r"/programme/offers/\d+$"))
        offer_url = adviser.url.replace(live_server.url, "")
        assert "Awaiting a second adviser" in adviser.locator("#offer-status").inner_text()
        assert (
            "£1,800.00 (5 days at £400.00 a day, capped at £1,800.00)" in adviser.locator("#offer-amount").inner_text()
        )

        # A second adviser finds it among the offers awaiting approval and approves it.
        approver.click("nav >> text=Programme")
        approver.click("text=Offers awaiting a second adviser's approval")
        approver.click(f'#offers a[href="{offer_url}"]')
        approver.click("text=Approve offer")
        expect(approver.locator("#offer-status")).to_have_text("Offered to the council")

        # The council's officer follows the request to the offer, reads the letter and accepts.
        officer.goto(f"/match-requests/{request_id}")
        officer.click("#funding-offers a")
        officer.click("#letter-link")
        expect(officer.locator("#letter h1")).to_contain_text("Offer of funding: expert support")
        expect(officer.locator("#letter")).to_contain_text("Progress notes every month")
        officer.evaluate("window.print = () => { document.body.dataset.printed = 'yes' }")
        officer.click("text=Print this letter")
        assert officer.locator("body").get_attribute("data-printed") == "yes"
        officer.screenshot(path=str(artifacts / "programme-offer-letter.png"), full_page=True)
        officer.go_back()
        officer.click("text=Accept offer")
        expect(officer.locator("#offer-status")).to_have_text("Accepted by the council")

        # The adviser records a claim with its evidence; more than is left is refused with the reason.
        adviser.goto(offer_url)
        adviser.fill("#amount", "1800.01")
        adviser.fill("#evidence", "Options appraisal")
        adviser.click("text=Record claim")
        expect(adviser.locator(".govuk-notification-banner")).to_contain_text("£1,800.00 left to pay")
        adviser.fill("#amount", "1000")
        adviser.fill("#evidence", "Options appraisal delivered")
        adviser.click("text=Record claim")
        expect(adviser.locator("#paid")).to_have_text("Paid £1,000.00 of £1,800.00; £800.00 left to pay.")

        # The dashboard shows the commitment and the payment.
        after = funding_row(adviser)
        adviser.screenshot(path=str(artifacts / "programme-dashboard.png"), full_page=True)
        was = {k: int(v or 0) for k, v in before.items() if k not in ("Offer", "Demo")}
        now = {k: int(v or 0) for k, v in after.items() if k not in ("Offer", "Demo")}
        assert now["Budget"] == 2000000
        assert now["Committed"] - was.get("Committed", 0) == 180000
        assert now["Paid"] - was.get("Paid", 0) == 100000
        assert now["Left"] == now["Budget"] - now["Committed"]


def test_programme_pages_have_no_serious_accessibility_problems(browser, live_server):
    request_id = create_request(live_server.app)
    set_budget(live_server.app, financial_year(date.today()), kind="mediation", amount="5000", threshold="5000")
    offer_id = make_offer(live_server.app, request_id, on=date.today(), kind="mediation", amount="250")
    with scanning_page(browser, live_server.url) as page:
        sign_in_page(page, ADVISER)
        paths = [
            "/programme",
            "/programme/budgets",
            "/programme/offers",
            f"/programme/offers/{offer_id}",
            f"/programme/offers/{offer_id}/letter",
            f"/programme/requests/{request_id}/offers/new",
        ]
        page.goto(paths[-1])
        page.click("text=Make offer")  # nothing filled in: the errors are shown
        page.locator(".govuk-error-summary").wait_for()
        page.wait_for_load_state("load")  # scanned once the page with the errors has loaded
        problems = {"offer form with errors": serious_violations(page)}
        for path in paths:
            page.goto(path)
            problems[path] = serious_violations(page)
        assert not any(problems.values()), problems
