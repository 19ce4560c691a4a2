import re

from matchmaker.flask_database import get_database
from matchmaker.services import refresh
from tests.support.dumps import dump_tables
from tests.support.pages import ADVISER, OFFICER, csrf_token, sign_in, text
from tests.support.refresh import (
    adviser,
    approve_and_check_the_census_figure,
    arrangement,
    filled,
    upload_page,
)


def post_form(client, path, data):
    token = csrf_token(text(client.get(path)))
    return client.post(path, data={**data, "csrf_token": token})


def test_officer_savings_update_then_adviser_approves_and_history_shows_it(app, client):
    sign_in(client, OFFICER)
    start = text(client.get("/submit"))
    assert "CenSus revenues and benefits partnership" in start and "No savings figure" in start
    assert client.post("/arrangements/R040/savings-update", data={"amount_gbp": "1"}).status_code == 400  # no CSRF
    bad = post_form(
        client,
        "/arrangements/R040/savings-update",
        {"amount_gbp": "lots", "kind": "achieved", "financial_year": "2024"},
    )
    assert bad.status_code == 400 and "Enter the savings in pounds, like 250000" in text(bad)
    sent = post_form(
        client,
        "/arrangements/R040/savings-update",
        {"amount_gbp": "45,000", "kind": "achieved", "financial_year": "2024"},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/submissions")
    assert "Waiting for an adviser" in text(client.get("/submissions"))
    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/submissions")))})

    sign_in(client, ADVISER)
    assert "Submission 1" in text(client.get("/moderation"))
    review = text(client.get("/moderation/1"))
    assert "Savings figure added" in review and "£45k a year in 2024/25" in review
    approved = client.post("/moderation/1/approve", data={"csrf_token": csrf_token(review)})
    assert approved.status_code == 302
    with get_database(app).session() as session:
        assert [float(r.amount_gbp) for r in arrangement(session, "R040").savings] == [45000.0]
    history = text(client.get("/arrangements/R040/history"))
    assert "Version 2 (current)" in history and "submission 1" in history and "Version 1" in history
    assert "Restore version 1" in history


def test_anonymous_report_gets_a_receipt_and_sees_the_reason(app, client):
    bad = post_form(client, "/report", {"email": "nope", "message": ""})
    assert bad.status_code == 400 and "Enter an email address in the correct format, like name@example.org" in text(bad)
    sent = post_form(
        client,
        "/report",
        {"email": "visitor@example.org", "message": "Worthing and Adur share legal too"},
    )
    receipt = re.search(r'id="receipt">([^<]+)<', text(sent)).group(1)
    with get_database(app).transaction() as session:
        from matchmaker.db import Submission
        from matchmaker.services import moderation

        moderation.reject(session, session.get(Submission, 1), adviser(session), "Already listed as R004")
    assert 'not accepted: <span id="reason">Already listed as R004</span>' in text(
        client.get(f"/report/receipt?code={receipt}")
    )


def test_questionnaire_upload_with_bad_cells_lists_them_and_changes_nothing(app, client):
    with get_database(app).transaction() as session:
        refresh.open_round(session, adviser(session), 2025)
    sign_in(client, OFFICER)
    raw = client.get("/refresh/2025/questionnaires/E07000223.xlsx").data
    before = dump_tables(app)
    rejected = upload_page(client, filled(raw, {"O3": "lots", "Q3": "=2024"}))
    assert rejected.status_code == 400
    assert "Sheet Arrangements, cell Q3: formulas are not accepted" in text(rejected)
    assert dump_tables(app) == before
    assert client.get("/refresh/2025/questionnaires/E07000229.xlsx").status_code == 403


def test_quality_page_and_adviser_only_pages(client):
    quality = text(client.get("/quality"))
    assert 'data-check="without_savings">101<' in quality
    assert client.get("/moderation").status_code == 302  # to sign in
    sign_in(client, OFFICER)
    assert client.get("/moderation").status_code == 403
    assert client.get("/reorganise").status_code == 403


def test_questionnaire_round_trip_through_the_pages(app, client):
    with get_database(app).transaction() as session:
        refresh.open_round(session, adviser(session), 2025)
    sign_in(client, OFFICER)
    raw = client.get("/refresh/2025/questionnaires/E07000223.xlsx").data
    sent = upload_page(client, filled(raw, {"K2": "yes", "O3": 52000, "P3": "expected", "Q3": 2025}))
    assert sent.status_code == 302
    assert "1 arrangement(s) confirmed, 1 submission(s) for checking" in text(client.get("/refresh"))
    approve_and_check_the_census_figure(app, client, (52000.0, "expected", 2025))
