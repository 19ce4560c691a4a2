"""Programme pages through the test client: budgets, offering, approving, answering, claiming, letters."""

import re
from datetime import date

from matchmaker.core.money import financial_year
from matchmaker.flask_database import get_database
from matchmaker.services import experts
from tests.support.pages import ADMIN, ADVISER, OFFICER, VIEWER, csrf_token, sign_in, text
from tests.support.programme import SECOND_ADVISER, build_programme, make_offer, second_adviser, set_budget
from tests.support.workflow import adviser, create_request


def _post(client, page_url, action_url, data):
    token = csrf_token(text(client.get(page_url)))
    return client.post(action_url, data={**data, "csrf_token": token})


def _second_adviser(app):
    with get_database(app).transaction() as session:
        second_adviser(session)


def test_admin_sets_a_budget_and_advisers_see_it_left(client, app):
    sign_in(client, ADMIN)
    response = _post(
        client,
        "/programme/budgets",
        "/programme/budgets",
        {"financial_year": "2026", "kind": "mediation", "amount": "50,000", "approval_threshold": "5000"},
    )
    assert response.status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/")))})
    sign_in(client, ADVISER)
    page = text(client.get("/programme/budgets"))
    assert "2026-27" in page and "Mediation" in page and "£50,000.00" in page
    assert "Set a budget" not in page  # advisers see budgets; only admins set them


def test_bad_budget_names_each_field(client):
    sign_in(client, ADMIN)
    response = _post(
        client,
        "/programme/budgets",
        "/programme/budgets",
        {"financial_year": "2026", "kind": "mediation", "amount": "lots", "approval_threshold": "-1"},
    )
    page = text(response)
    assert response.status_code == 400
    assert "&#39;lots&#39; is not an amount in pounds" in page and "the amount must not be negative" in page


def test_adviser_offers_second_adviser_approves_officer_accepts_adviser_claims(client, app):
    set_budget(app, financial_year(date.today()), kind="mediation", amount="10000", threshold="1000")
    _second_adviser(app)
    request_id = create_request(app)
    sign_in(client, ADVISER)
    assert 'id="offer-funding"' in text(client.get(f"/match-requests/{request_id}"))
    new_url = f"/programme/requests/{request_id}/offers/new"
    response = _post(
        client,
        new_url,
        new_url,
        {
            "kind": "mediation",
            "basis": "days",
            "days": "4",
            "day_rate": "600",
            "cap": "2000",
            "conditions": "Report shared",
        },
    )
    assert response.status_code == 302
    offer_url = response.headers["Location"]
    page = text(client.get(offer_url))
    assert (
        "Awaiting a second adviser&#39;s approval" in page
        and "£2,000.00 (4 days at £600.00 a day, capped at £2,000.00)" in page
    )
    _post(client, offer_url, offer_url + "/approval", {"decision": "approve"})
    assert "a second adviser must approve this offer: you made it" in text(client.get(offer_url))

    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/")))})
    sign_in(client, SECOND_ADVISER)
    _post(client, offer_url, offer_url + "/approval", {"decision": "approve"})
    assert "Offered to the council" in text(client.get(offer_url))

    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/")))})
    sign_in(client, OFFICER)
    letter = text(client.get(offer_url + "/letter"))
    assert "Offer of funding: mediation" in letter and "Report shared" in letter
    _post(client, offer_url, offer_url + "/answer", {"answer": "accept"})
    assert "Accepted by the council" in text(client.get(offer_url))
    assert client.post(offer_url + "/claims", data={"amount": "1"}).status_code in (400, 403)

    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/")))})
    sign_in(client, ADVISER)
    response = _post(
        client,
        offer_url,
        offer_url + "/claims",
        {"amount": "2000.01", "delivered_on": date.today().isoformat(), "evidence": "Mediation sessions"},
    )
    assert "the offer has £2,000.00 left to pay of £2,000.00; this claim is £2,000.01" in text(client.get(offer_url))
    _post(
        client,
        offer_url,
        offer_url + "/claims",
        {"amount": "1500", "delivered_on": date.today().isoformat(), "evidence": "Two mediation sessions"},
    )
    page = text(client.get(offer_url))
    assert "Paid £1,500.00 of £2,000.00; £500.00 left to pay." in page and "Two mediation sessions" in page
    assert re.search(
        r"Mediation: £2,000.00</a> \(20\d\d-\d\d\), accepted by the council; £1,500.00 paid",
        text(client.get(f"/match-requests/{request_id}")),
    )


def test_offer_beyond_the_budget_is_refused_on_the_page(client, app):
    set_budget(app, financial_year(date.today()), amount="100", threshold="1000")
    request_id = create_request(app)
    sign_in(client, ADVISER)
    new_url = f"/programme/requests/{request_id}/offers/new"
    response = _post(client, new_url, new_url, {"kind": "expert_support", "basis": "amount", "amount": "100.01"})
    assert response.status_code == 400
    assert "has £100.00 left of £100.00; this offer is £100.01" in text(response)


def test_officers_and_viewers_are_kept_out_of_adviser_pages(client, app):
    set_budget(app, 2025)
    offer_id = make_offer(app)
    sign_in(client, VIEWER)
    assert client.get(f"/programme/offers/{offer_id}").status_code == 403
    assert client.get("/programme").status_code == 403
    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/")))})
    sign_in(client, OFFICER)
    assert client.get("/programme/budgets").status_code == 403
    assert client.get(f"/programme/offers/{offer_id}").status_code == 200  # their council's offer
    assert "Programme" not in text(client.get("/")).split("<main")[0]


def test_programme_is_in_the_advisers_navigation(client):
    sign_in(client, ADVISER)
    home = text(client.get("/"))
    assert 'href="/programme"' in home.split("<main")[0]
    assert 'href="/programme/budgets"' in text(client.get("/programme"))


def test_assignment_pages_link_to_offering_funding(client, app):
    request_id = create_request(app)
    with get_database(app).transaction() as session:
        proposal = experts.propose(session, adviser(session))
        pair = next(p for p in proposal["pairs"] if p.request_id == request_id)
        experts.accept(session, adviser(session), [(pair.request_id, pair.expert_id)], edited=False)
        expert_id = pair.expert_id
    sign_in(client, ADVISER)
    page = text(client.get(f"/experts/{expert_id}"))
    assert f"/programme/requests/{request_id}/offers/new?assignment=" in page


def test_closing_records_why_it_was_not_pursued_and_the_page_and_api_show_it(client, app):
    request_id = create_request(app)
    sign_in(client, ADVISER)
    page_url = f"/match-requests/{request_id}"
    page = text(client.get(page_url))
    assert 'name="not_pursued_reason"' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    client.post(
        f"{page_url}/status",
        data={
            "csrf_token": csrf_token(page),
            "version": version,
            "to_status": "closed",
            "reason": "Council chose to wait",
            "not_pursued_reason": "timing",
        },
    )
    page = text(client.get(page_url))
    assert "Not pursued: not the right time for the council" in page
    assert client.get(f"/api/v1/match-requests/{request_id}").json["outcome"] == {
        "kind": "not_pursued",
        "label": "Not pursued",
        "not_pursued_reason": "timing",
        "not_pursued_reason_label": "Not the right time for the council",
        "arrangement_id": None,
    }


def test_request_page_shows_the_arrangement_and_the_savings_reported_since(client, app):
    ids = build_programme(app)
    sign_in(client, ADVISER)
    page = text(client.get(f"/match-requests/{ids['formed']}"))
    assert "Arrangement formed" in page and "/arrangements/MR" in page
    savings = page.split('id="later-savings"')[1].split("</dd>")[0]
    assert "Achieved a year: £12,500.25" in savings and "Expected: £30,000.00" in savings
    assert "Achieved in total: <span class=\"app-missing\">no figure reported</span>" in savings
    assert "for 2026-27 or later" in savings


def test_claim_with_bad_fields_is_shown_on_the_offer_page(client, app):
    set_budget(app, financial_year(date.today()), threshold="5000")
    offer_id = make_offer(app, on=date.today())
    sign_in(client, OFFICER)
    url = f"/programme/offers/{offer_id}"
    _post(client, url, url + "/answer", {"answer": "accept"})
    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/")))})
    sign_in(client, ADVISER)
    response = _post(client, url, url + "/claims", {"amount": "ten", "delivered_on": "", "evidence": ""})
    assert response.status_code == 400
    page = text(response)
    assert "govuk-error-summary" in page and "say what was delivered" in page and "enter the date" in page
