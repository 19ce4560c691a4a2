"""Forms in people's words: pickers by name, GOV.UK error messages, amounts as people write them."""

from __future__ import annotations

import re

from sqlalchemy import select

from matchmaker.core.amounts import parse_amount
from matchmaker.db import MatchRequest, Submission
from matchmaker.flask_database import get_session
from tests.support.pages import ADVISER, OFFICER, csrf_token, sign_in, text

OPTION = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


def test_the_request_form_picks_councils_and_arrangements_by_name(client):
    sign_in(client, ADVISER)
    page = text(client.get("/match-requests/new"))
    assert "GSS code" not in page and "its id" not in page
    options = dict(OPTION.findall(page.split('id="organisation"')[1].split("</select>")[0]))
    assert options["E07000223"] == "Adur District Council"
    assert 'data-council-select' in page and "accessible-autocomplete.min." in page


def test_request_errors_follow_the_gov_uk_patterns(client):
    sign_in(client, ADVISER)
    page = text(client.get("/match-requests/new"))
    response = client.post(
        "/match-requests/new",
        data={"csrf_token": csrf_token(page), "organisation": "", "service": "", "urgency": "normal"},
    )
    body = text(response)
    assert response.status_code == 400
    assert "Choose the council asking for partners" in body and "Choose the service" in body
    assert "unknown service" not in body and "GSS code" not in body


def test_an_officer_adds_an_arrangement_with_council_pickers_and_savings_in_words(app, client):
    sign_in(client, OFFICER)
    page = text(client.get("/submit/new-arrangement"))
    assert "GSS code" not in page and 'id="council_codes"' in page
    base = {
        "csrf_token": csrf_token(page),
        "name": "Adur and Worthing legal team",
        "council_1": "E07000223",
        "council_2": "E07000229",
        "council_3": "E07000223",
        "service_areas": "legal-democratic",
        "status": "operational",
        "start_year": "2020",
        "savings_kind": "annual",
        "source_url": "https://example.org/legal",
    }
    refused = client.post("/submit/new-arrangement", data={**base, "savings_gbp": "1e9"})
    assert refused.status_code == 400 and "Enter the savings in pounds, like 250000" in text(refused)
    negative = client.post("/submit/new-arrangement", data={**base, "savings_gbp": "-250000"})
    assert "Enter the savings in pounds, like 250000" in text(negative)
    accepted = client.post("/submit/new-arrangement", data={**base, "savings_gbp": "£1.2m"})
    assert accepted.status_code == 302
    with app.app_context():
        payload = get_session().scalars(select(Submission.payload)).all()[-1]
        assert payload["council_codes"] == ["E07000223", "E07000229"]
        assert payload["row"]["savings_gbp"] == "£1.2m"  # read again, the same way, on approval
        assert parse_amount(payload["row"]["savings_gbp"]) == 1_200_000


def test_no_request_is_made_when_the_form_is_wrong(app, client):
    sign_in(client, ADVISER)
    page = text(client.get("/match-requests/new"))
    client.post("/match-requests/new", data={"csrf_token": csrf_token(page), "organisation": "E07000223"})
    with app.app_context():
        assert get_session().scalars(select(MatchRequest)).all() == []
