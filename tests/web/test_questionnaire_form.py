"""The questionnaire answered in the web form: the workbook's rows, gaps, rules and outcome."""

import io
import re

from openpyxl import load_workbook

from matchmaker.flask_database import get_database
from matchmaker.services import refresh
from tests.support.dumps import dump_tables
from tests.support.pages import ADVISER, OFFICER, csrf_token, sign_in, text
from tests.support.refresh import (
    adviser,
    approve_and_check_the_census_figure,
    filled,
    upload_page,
)

ADUR = "/refresh/2025/questionnaires/E07000223"


def open_round(app, year=2025):
    with get_database(app).transaction() as session:
        refresh.open_round(session, adviser(session), year)


def answer(client, data):
    token = csrf_token(text(client.get(ADUR)))
    return client.post(ADUR, data={**data, "csrf_token": token})


def section(page, public_id):
    return re.search(rf'<section [^>]*data-arrangement="{public_id}">(.*?)</section>', page, re.S).group(1)


def test_the_form_lists_the_councils_arrangements_with_the_workbooks_gaps(app, client):
    open_round(app)
    sign_in(client, OFFICER)
    page = text(client.get(ADUR))
    workbook = load_workbook(io.BytesIO(client.get(f"{ADUR}.xlsx").data))["Arrangements"]
    assert re.findall(r'data-arrangement="(R\d+)"', page) == [
        workbook["A2"].value,
        workbook["A3"].value,
    ]
    census = section(page, "R040")
    assert "No savings figure" in census and "No end year" in census
    assert re.findall(r'app-gap" data-column="(\w+)"', census) == ["end_year", "savings_on_record"]
    assert "app-gap" not in section(page, "R004") and "£17,000,000 achieved cumulative" in page


def test_bad_answers_are_named_by_arrangement_and_field_and_nothing_changes(app, client):
    open_round(app)
    sign_in(client, OFFICER)
    before = dump_tables(app)
    rejected = answer(
        client,
        {
            "confirm-R004": "yes",
            "savings_gbp-R040": "lots",
            "savings_kind-R040": "achieved",
            "savings_year-R040": "2024",
            "correct_end_year-R040": "soon",
        },
    )
    page = text(rejected)
    assert rejected.status_code == 400
    assert '<a href="#savings_gbp-R040">R040, Savings figure (£): not an amount in pounds' in page
    assert '<a href="#correct_end_year-R040">R040, Correct end year' in page
    assert 'value="lots"' in page and 'id="confirm-R004" name="confirm-R004" type="radio" value="yes" checked' in page
    assert dump_tables(app) == before


def test_the_web_form_and_the_workbook_give_the_same_verdict(app, client):
    open_round(app)
    sign_in(client, OFFICER)
    form_page = text(
        answer(
            client,
            {
                "savings_gbp-R040": "lots",
                "savings_kind-R040": "achieved",
                "savings_year-R040": "2024",
            },
        )
    )
    raw = filled(client.get(f"{ADUR}.xlsx").data, {"O3": "lots", "P3": "achieved", "Q3": 2024})
    uploaded = upload_page(client, raw)
    cell_message = re.search(r"Sheet Arrangements, cell O3: ([^<]+)<", text(uploaded)).group(1)
    assert f"R040, Savings figure (£): {cell_message}" in form_page


def test_an_empty_form_is_refused_and_another_councils_form_is_forbidden(app, client):
    open_round(app)
    sign_in(client, OFFICER)
    empty = answer(client, {"confirm-R004": ""})
    assert empty.status_code == 400 and "Nothing was answered" in text(empty)
    assert client.get("/refresh/2025/questionnaires/E07000229").status_code == 403
    assert client.get("/refresh/2031/questionnaires/E07000223").status_code == 404


def test_answers_become_submissions_counted_by_the_round_and_approved_into_the_data(app, client):
    open_round(app)
    sign_in(client, OFFICER)
    sent = answer(
        client,
        {
            "confirm-R004": "yes",
            "savings_gbp-R040": "52,000",
            "savings_kind-R040": "expected",
            "savings_year-R040": "2025",
        },
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/refresh")
    assert "1 arrangement(s) confirmed, 1 submission(s) for checking" in text(client.get("/refresh"))
    review = approve_and_check_the_census_figure(app, client, (52000.0, "expected", 2025))
    assert "Savings figure added" in review


def test_an_adviser_picks_a_council_to_answer_for(app, client):
    open_round(app)
    sign_in(client, ADVISER)
    picked = client.get("/refresh/2025/questionnaire?council=E07000223&how=online")
    assert picked.status_code == 302 and picked.headers["Location"].endswith(ADUR)
    download = client.get("/refresh/2025/questionnaire?council=E07000223&how=excel")
    assert download.headers["Location"].endswith(f"{ADUR}.xlsx")
    assert 'data-arrangement="R040"' in text(client.get(ADUR))
