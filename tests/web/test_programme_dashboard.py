"""The programme dashboard: the page's figures equal the API's, and the downloads say the same."""

import csv
import io
import re

from openpyxl import load_workbook

from tests.support.pages import ADVISER, OFFICER, sign_in, text
from tests.support.programme import build_programme

CELL = re.compile(r'<td class="govuk-table__cell govuk-table__cell--numeric" data-value="([^"]*)"')
TABLE = re.compile(r'<table [^>]*data-table="([a-z_]+)">(.*?)</table>', re.S)
ROW = re.compile(
    r'<tr class="govuk-table__row">\s*<th scope="row" class="govuk-table__header">(.*?)</th>(.*?)</tr>', re.S
)
MEASURES = ("achieved_annual", "achieved_cumulative", "expected")


def _page_tables(html: str) -> dict[str, list[list[str]]]:
    """{table: [[row heading, raw cell values...], ...]} from the cells' data-value attributes."""
    return {
        name: [[heading, *CELL.findall(cells)] for heading, cells in ROW.findall(body)]
        for name, body in TABLE.findall(html)
    }


def _raw(value) -> str:
    return "" if value is None else str(value)


def test_page_figures_equal_the_api_figures(client, app):
    build_programme(app)
    sign_in(client, ADVISER)
    page = _page_tables(text(client.get("/programme")))
    api = client.get("/api/v1/programme/figures").json
    requests = api["requests"]
    for table, key in (
        ("requests_by_status", "by_status"),
        ("requests_by_region", "by_region"),
        ("requests_by_service", "by_service"),
        ("not_pursued", "not_pursued_by_reason"),
    ):
        assert page[table] == [[r["label"], str(r["requests"])] for r in requests[key]]
    assert page["funding"] == [
        [
            row["financial_year_label"],
            row["kind_label"],
            *(_raw(row[f"{m}_pence"]) for m in ("budget", "awaiting_approval", "offered", "committed", "paid", "left")),
            "",
        ]
        for row in api["funding"]
    ]
    results = dict((row[0], row[1]) for row in page["results"])
    assert results["Requests received"] == str(requests["total"])
    assert results["Led to an arrangement"] == str(requests["led_to_arrangement"])
    assert results["Share of finished requests that led to an arrangement (%)"] == str(
        requests["share_led_to_arrangement"] * 100
    )
    assert results["Median days from request to introductions"] == _raw(requests["median_days_to_introduction"])
    assert results["Median days from request to arrangement"] == _raw(requests["median_days_to_arrangement"])
    supported = api["supported_arrangements"]
    assert page["supported_arrangements"] == [
        *(
            [
                a["arrangement_id"],
                a["name"],
                ", ".join(map(str, a["request_ids"])),
                str(a["funding_paid_pence"]),
                a["savings_since_label"],
                *(_raw(a["savings_pence"][m]) for m in MEASURES),
                "",
            ]
            for a in supported["arrangements"]
        ),
        [
            "All",
            "All supported arrangements",
            "",
            str(supported["funding_paid_pence"]),
            "",
            *(_raw(supported["savings_pence"][m]) for m in MEASURES),
            "",
        ],
    ]
    assert supported["funding_paid_pence"] == 100000  # the known programme, so the comparison is not of empties


def test_page_shows_money_in_pounds_and_missing_as_no_figure(client, app):
    build_programme(app)
    sign_in(client, ADVISER)
    page = text(client.get("/programme"))
    assert "£12,500.25" in page and "£30,000.00" in page and "£7,000.00" in page
    assert '<span class="app-missing">No figure</span>' in page  # nothing achieved in total was reported
    assert 'id="chart-funding"' in page and 'id="chart-requests_by_region"' in page


def test_csv_and_excel_downloads_carry_the_same_figures(client, app):
    build_programme(app)
    sign_in(client, ADVISER)
    response = client.get("/programme/figures.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="programme-figures.csv"'
    rows = list(csv.DictReader(io.StringIO(text(response))))
    funding = {(r["row"], r["column"]): r["value"] for r in rows if r["table"] == "Funding by financial year and offer"}
    assert funding[("2025-26", "Left (GBP)")] == "7000.00"
    assert funding[("2025-26", "Awaiting approval (GBP)")] == "6000.00"
    assert funding[("2026-27", "Committed (GBP)")] == "2000.00"
    savings = [r for r in rows if r["table"].startswith("Savings reported") and r["row"] == "All"]
    assert {r["column"]: r["value"] for r in savings}["Achieved in total (GBP)"] == ""
    workbook = load_workbook(io.BytesIO(client.get("/programme/figures.xlsx").data))
    sheet = workbook["Funding"]
    assert [c.value for c in sheet[1]][:3] == ["Financial year", "Offer", "Budget (GBP)"]
    assert [c.value for c in sheet[3]][:8] == ["2025-26", "Expert support", 10000, 6000, 3500, 3000, 1000, 7000]


def test_dashboard_and_figures_are_for_advisers(client, app):
    sign_in(client, OFFICER)
    assert client.get("/programme").status_code == 403
    assert client.get("/programme/figures.csv").status_code == 403
    assert client.get("/api/v1/programme/figures").status_code == 403
