import csv
import io

from matchmaker.ingest.arrangements_csv import COLUMNS, EXPORT_COLUMNS
from tests.support.keys import bearer


def test_a_public_read_key_pages_through_every_arrangement(client, make_key, bundled_arrangements):
    headers = bearer(make_key("public:read"))
    seen, url, pages = [], "/api/v1/arrangements?limit=20", 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["total"] == len(bundled_arrangements)
        seen.extend(a["arrangement_id"] for a in body["items"])
        url, pages = body["links"].get("next"), pages + 1
    assert seen == sorted(a["arrangement_id"] for a in bundled_arrangements)
    assert pages == -(-len(bundled_arrangements) // 20)


def test_filters_match_the_bundled_file(client, bundled_arrangements):
    def ids(query: str) -> set[str]:
        return {a["arrangement_id"] for a in client.get(f"/api/v1/arrangements?limit=200&{query}").get_json()["items"]}

    assert ids("status=ended") == {a["arrangement_id"] for a in bundled_arrangements if a["status"] == "ended"}
    assert ids("service=legal-democratic") == {
        a["arrangement_id"] for a in bundled_arrangements if "legal-democratic" in a["service_areas"].split(";")
    }
    assert ids("organisation=E07000223") == {
        a["arrangement_id"] for a in bundled_arrangements if "E07000223" in a["council_codes"].split(";")
    }
    running_2010 = {
        a["arrangement_id"]
        for a in bundled_arrangements
        if (not a["start_year"] or int(a["start_year"]) <= 2010) and (not a["end_year"] or int(a["end_year"]) >= 2010)
    }
    assert ids("year=2010") == running_2010
    assert "R004" in ids("group=back_office&region=South%20East")


def test_unknown_service_slug_is_422_naming_the_parameter(client):
    response = client.get("/api/v1/arrangements?service=legal")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.get_json()["invalid_params"][0]["name"] == "service"


def test_one_arrangement_with_members_services_savings_and_links(client):
    body = client.get("/api/v1/arrangements/R004").get_json()
    assert [m["gss_code"] for m in body["members"]] == ["E07000223", "E07000229"]
    assert "management" in {s["slug"] for s in body["services"]}
    assert body["savings"] == [
        {
            "kind": "achieved",
            "period": "cumulative",
            "financial_year": None,
            "amount_gbp": 17000000.0,
            "note": "£17m saved in ten years since 2007, reported at tenth anniversary; ongoing savings "
            "over £3m a year.",
            "reported_year": 2017,
            "period_start_year": 2007,
            "period_end_year": 2017,
            "period_years": 10,
            "per_council": False,
            "source_url": "https://businessesforsalebrighton.co.uk/joint-approach-hailed-a-success-as-it-saves-17m/",
            "yearly_gbp": 1700000.0,
            "text": "£17m over 2007–2017, about £1.7m a year",
        }
    ]
    assert body["links"]["self"] == "/api/v1/arrangements/R004"
    assert body["links"]["source"].startswith("https://")
    assert "contacts" not in body


def test_missing_savings_are_an_empty_list_never_zero(client):
    body = client.get("/api/v1/arrangements/R007").get_json()
    assert body["savings"] == [] and body["has_savings_figures"] is False


def test_unknown_arrangement_is_404(client):
    response = client.get("/api/v1/arrangements/R999")
    assert response.status_code == 404
    assert response.get_json()["detail"] == "There is no arrangement R999."


def test_csv_download_is_the_import_format_without_contacts(client, bundled_arrangements):
    response = client.get("/api/v1/arrangements.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS and EXPORT_COLUMNS[: len(COLUMNS)] == COLUMNS
    assert [r["arrangement_id"] for r in rows] == sorted(a["arrangement_id"] for a in bundled_arrangements)
    text = response.get_data(as_text=True)
    assert ".example" not in text and "(demo)" not in text
    filtered = client.get("/api/v1/arrangements.csv?organisation=E07000223").get_data(as_text=True)
    assert all("E07000223" in row["council_codes"] for row in csv.DictReader(io.StringIO(filtered)))
