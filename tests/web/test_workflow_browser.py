"""The match-making journey in Debian chromium: an officer asks for partners, an adviser triages,
sends suggestions, assigns an expert and records the arrangement; the officer follows along."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser_server import BROWSER_TESTS
from tests.support.pages import ADVISER, OFFICER, signed_in

pytestmark = BROWSER_TESTS


def status_of(page):
    return page.locator("#status")


def test_request_to_arrangement_journey(browser, live_server, artifacts):
    with (
        signed_in(browser, live_server.url, OFFICER) as officer,
        signed_in(browser, live_server.url, ADVISER) as adviser,
    ):
        # The officer asks for procurement partners within 30 miles, with an expert's help.
        officer.click("text=Your requests")
        officer.click("text=Request partners for a service")
        officer.select_option("#service", "procurement-assets")
        officer.fill("#description", "Joint procurement of fleet and facilities")
        officer.fill("#max_distance_miles", "30")
        officer.check("#needs_expert")
        officer.select_option("#urgency", "high")
        officer.click("text=Send request")
        officer.wait_for_url(re.compile(r"/match-requests/\d+$"))
        request_url = officer.url.replace(live_server.url, "")
        request_id = request_url.rsplit("/", 1)[1]
        expect(status_of(officer)).to_have_text("Submitted")

        # The adviser finds it in the queue (filtered by service and region) and triages it.
        adviser.goto("/match-requests?service=procurement-assets&region=South+East")
        row = adviser.locator(f'#queue tr[data-request="{request_id}"]')
        assert "Adur" in row.inner_text() and "Submitted" in row.inner_text()
        row.locator("a").click()
        adviser.click("text=Mark as triaged")
        expect(status_of(adviser)).to_have_text("Triaged")
        adviser.click("text=Send suggestions")
        expect(status_of(adviser)).to_have_text("Suggestions sent")
        # The suggestions are read once the page that lists them has loaded, not while it arrives.
        adviser.wait_for_load_state("load")
        suggestions = adviser.locator("#suggestion-table tbody tr")
        assert suggestions.count() == 10
        km = [
            float(d.removesuffix(" km"))
            for d in adviser.locator("#suggestion-table tbody td:nth-child(4)").all_inner_texts()
        ]
        assert max(km) <= 30 * 1.609344 + 0.5  # within 30 miles, shown in whole kilometres like the reasons
        assert "In past years about" in adviser.locator("#suggestion-table tbody td:nth-child(3)").first.inner_text()

        # The officer sees the progress and the suggestions.
        officer.reload()
        expect(status_of(officer)).to_have_text("Suggestions sent")
        assert officer.locator("#suggestion-table tbody tr").count() == 10

        # The adviser runs the assignment and accepts it.
        adviser.goto("/experts/assignments")
        pair = adviser.locator(f'#pairs tr[data-request="{request_id}"]')
        assert "skills in procurement, commissioning and capital assets" in pair.inner_text()
        expert_name = pair.locator("select option:checked").inner_text().split(" (")[0]
        adviser.screenshot(path=str(artifacts / "expert-proposal.png"), full_page=True)
        adviser.click("text=Accept assignments")
        expect(adviser.locator(".govuk-notification-banner")).to_contain_text("expert assignment")
        expect(adviser.locator("#experts")).to_contain_text(expert_name)

        # Introductions, then the arrangement with the first suggested council.
        adviser.goto(request_url)
        assert expert_name in adviser.locator("#expert + p").inner_text()
        adviser.click("text=Record introductions made")
        expect(status_of(adviser)).to_have_text("Introductions made")
        partner = adviser.locator("#form-arrangement input[name=partner_codes]").first
        partner_name = adviser.locator("#form-arrangement .govuk-checkboxes__label").first.inner_text()
        partner.check()
        adviser.click("text=Record arrangement formed")
        expect(status_of(adviser)).to_have_text("Arrangement formed")
        adviser.wait_for_load_state("load")  # the whole page, for the result and the screenshot
        result = adviser.locator("#result-arrangement").inner_text()
        assert result.startswith(f"MR{int(request_id):05d}: Procurement") and partner_name.split()[0] in result
        adviser.screenshot(path=str(artifacts / "match-request.png"), full_page=True)

        # The officer sees the outcome, the expert and the whole timeline.
        officer.reload()
        expect(status_of(officer)).to_have_text("Arrangement formed")
        assert officer.locator("#result-arrangement").inner_text() == result
        timeline = officer.locator("#timeline-list").inner_text()
        for step in (
            "Request submitted",
            "Submitted → Triaged",
            "Triaged → Suggestions sent",
            "Suggestions sent → Introductions made",
            "Introductions made → Arrangement formed",
        ):
            assert step in timeline
        assert f"Expert assigned: {expert_name}" in timeline


def test_a_second_tab_with_an_old_version_gets_a_clear_conflict(browser, live_server):
    with (
        signed_in(browser, live_server.url, OFFICER) as officer,
        signed_in(browser, live_server.url, ADVISER) as adviser,
    ):
        officer.goto("/match-requests/new")
        officer.select_option("#service", "customer-services")
        officer.click("text=Send request")
        officer.wait_for_url(re.compile(r"/match-requests/\d+$"))
        url = officer.url.replace(live_server.url, "")
        first, second = adviser, adviser.context.new_page()
        first.goto(url)
        second.goto(url)
        first.click("text=Mark as triaged")
        # The triage has been made before the second tab sends its older version.
        expect(status_of(first)).to_have_text("Triaged")
        second.fill("#reason", "Duplicate of another request")
        second.click("#form-close button")
        expect(second.locator(".govuk-notification-banner")).to_contain_text(
            "was changed by someone else since you saw version 1 (it is now version 2)"
        )
        expect(status_of(second)).to_have_text("Triaged")
