import json

import pytest

from matchmaker.api import recommendations
from tests.support.keys import bearer

URL = "/api/v1/recommendations?council=E07000223&service=legal-democratic"


def test_ranked_explained_candidates_with_model_version(client, make_key, bundled_arrangements):
    response = client.get(URL + "&limit=10", headers=bearer(make_key()))
    assert response.status_code == 200
    body = response.get_json()
    assert body["council"] == {
        "gss_code": "E07000223",
        "name": "Adur District Council",
        "href": "/api/v1/organisations/E07000223",
    }
    candidates = body["candidates"]
    assert [c["rank"] for c in candidates] == list(range(1, 11))
    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates), reverse=True)
    already = {
        code for a in bundled_arrangements if "E07000223" in a["council_codes"]
        and "legal-democratic" in a["service_areas"] and a["status"] != "ended"
        for code in a["council_codes"].split(";")
    }  # fmt: skip
    assert not {c["gss_code"] for c in candidates} & (already | {"E07000223"})
    assert all(c["reasons"] and c["reasons"][0]["text"] for c in candidates)
    assert all(0 <= c["reciprocal_score"] <= 1 and c["distance_km"] >= 0 for c in candidates)
    # Worthing is 7 km away and shares five services with Adur already: it must be on the list.
    assert "E07000229" in {c["gss_code"] for c in candidates}
    model = client.get("/api/v1/model").get_json()
    assert body["model"]["version"] == model["version"] and body["model"]["kind"] == model["model"]


def test_join_existing_suggestions_name_arrangements_in_the_service(client, bundled_arrangements):
    body = client.get(URL).get_json()
    in_service = {a["arrangement_id"] for a in bundled_arrangements if "legal-democratic" in a["service_areas"]}
    assert body["join_existing"]
    assert {row["arrangement_id"] for row in body["join_existing"]} <= in_service
    assert all(row["href"].startswith("/api/v1/arrangements/") for row in body["join_existing"])


def test_as_of_a_past_year_ranks_councils_that_existed_then(client):
    body = client.get("/api/v1/recommendations?council=E07000026&service=legal-democratic&as_of=2015").get_json()
    assert body["as_of_year"] == 2015
    assert "E06000063" not in {c["gss_code"] for c in body["candidates"]}  # created 2023


def test_an_abolished_council_today_is_404_naming_its_successor(client):
    response = client.get("/api/v1/recommendations?council=E07000026&service=legal-democratic")
    assert response.status_code == 404
    assert "E06000063" in response.get_json()["detail"]


def test_bad_parameters_are_422_with_the_fields_at_fault(client):
    cases = {
        "council=E07000223&service=legal": "service",
        "council=E07000223&service=legal-democratic&limit=0": "limit",
        "council=E07000223&service=legal-democratic&limit=51": "limit",
        "council=adur&service=legal-democratic": "council",
        "service=legal-democratic": "council",
    }
    for query, field in cases.items():
        response = client.get(f"/api/v1/recommendations?{query}")
        assert response.status_code == 422, query
        assert response.content_type == "application/problem+json"
        assert field in {p["name"] for p in response.get_json()["invalid_params"]}, query


def test_unknown_council_is_404(client):
    response = client.get("/api/v1/recommendations?council=E07999999&service=legal-democratic")
    assert response.status_code == 404


def test_coalitions_include_the_council_and_name_members(client):
    body = client.get("/api/v1/coalitions?council=E07000223&service=legal-democratic").get_json()
    assert body["coalitions"]
    for coalition in body["coalitions"]:
        codes = [m["gss_code"] for m in coalition["members"]]
        assert codes[0] == "E07000223" and len(codes) == coalition["size"] and 3 <= coalition["size"] <= 5
        assert coalition["weakest_pair_score"] <= coalition["score"]


def test_savings_estimate_for_adur_and_worthing(client):
    response = client.post(
        "/api/v1/savings-estimates",
        json={"council_codes": ["E07000223", "E07000229"], "service": "legal-democratic"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] in ("estimate", "evidence_too_thin", "not_enough_evidence")
    if body["status"] == "estimate":
        assert body["low_gbp"] <= body["annual_gbp"] <= body["high_gbp"]
        assert body["evaluation"]["beats_constant"] is True
    else:
        assert body["annual_gbp"] is None and body["low_gbp"] is None
    assert all(c["source_url"] for c in body["comparables"])
    assert all(isinstance(c["annual_gbp"], int) and c["derivation"] for c in body["comparables"])


def test_savings_estimate_problems(client):
    empty = client.post("/api/v1/savings-estimates", json={"council_codes": [], "service": "legal-democratic"})
    assert empty.status_code == 422
    assert empty.get_json()["invalid_params"][0] == {
        "name": "council_codes", "in": "body", "reason": "Length must be between 1 and 20."
    }  # fmt: skip
    unknown = client.post(
        "/api/v1/savings-estimates",
        json={"council_codes": ["E07999999"], "service": "legal-democratic"},
    )
    assert unknown.status_code == 404
    assert client.post("/api/v1/savings-estimates", data="x", content_type="text/plain").status_code in (415, 422)


def estimate(client, codes, service="legal-democratic"):
    return client.post("/api/v1/savings-estimates", json={"council_codes": codes, "service": service})


def problems(response):
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.get_json()["invalid_params"]}


def test_a_savings_estimate_needs_two_different_current_councils(client):
    assert problems(estimate(client, ["E07000223"])) == {
        "council_codes": "sharing needs at least two different current councils; this proposal has 1"
    }
    doubled = problems(estimate(client, ["E07000223", "E07000223"]))
    assert doubled == {
        "council_codes[1]": "Adur District Council (E07000223) is listed twice (first as council_codes[0])",
        "council_codes": "sharing needs at least two different current councils; this proposal has 1",
    }


def test_an_abolished_council_is_refused_naming_its_successor(client):
    found = problems(estimate(client, ["E07000187", "E06000022", "E06000054"]))
    assert found == {
        "council_codes[0]": "Mendip District Council (E07000187) was abolished on 31 March 2023; "
        "its successor is Somerset Council (E06000066)"
    }
    assert "council_codes[0]" in estimate(client, ["E07000187", "E06000022", "E06000054"]).get_json()["detail"]


def test_an_unknown_service_is_refused_naming_the_field(client):
    assert "service" in problems(estimate(client, ["E07000223", "E07000229"], service="legal"))


def test_benchmark_numbers_are_numbers_and_missing_ones_null(client):
    body = estimate(client, ["E07000223", "E07000229"], service="community-safety").get_json()
    rows = body["benchmarks"] or [{}]
    for row in body["benchmarks"]:
        assert all(row[k] is None or isinstance(row[k], (int, float)) for k in ("low", "central", "high"))
        assert row["year"] is None or isinstance(row["year"], int)
        assert all(row[k] != "" for k in row)
    assert rows


def test_a_new_arrangement_takes_effect_once_the_data_check_interval_passes(app, client):
    from sqlalchemy import select

    from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea
    from matchmaker.flask_database import get_database

    app.config["API_DATA_CHECK_SECONDS"] = 0
    before = {c["gss_code"] for c in client.get(URL + "&limit=50").get_json()["candidates"]}
    assert "E07000227" in before  # Horsham
    with get_database(app).transaction() as session:
        adur, horsham = (
            session.scalar(select(Organisation).where(Organisation.gss_code == code))
            for code in ("E07000223", "E07000227")
        )
        legal = session.scalar(select(ServiceArea).where(ServiceArea.slug == "legal-democratic"))
        session.add(
            Arrangement(
                public_id="T001",
                name="Adur and Horsham legal (test)",
                status="operational",
                start_year=2020,
                members=[
                    Membership(organisation=adur),
                    Membership(organisation=horsham, position=1),
                ],
                services=[legal],
            )
        )
    after = {c["gss_code"] for c in client.get(URL + "&limit=50").get_json()["candidates"]}
    assert "E07000227" not in after


def test_the_shared_response_schema_gives_each_concurrent_query_its_own_answer(app):
    """The response schema is one instance shared by every request and thread: answers computed
    at the same time are those each query gets alone."""
    from concurrent.futures import ThreadPoolExecutor

    from matchmaker.app_cache import EXTENSION

    queries = [
        f"/api/v1/recommendations?council={code}&service={service}&limit=5"
        for code in ("E07000223", "E07000229", "E06000058", "E08000025")
        for service in ("legal-democratic", "ict-digital")
    ]

    def fetch(path: str) -> dict:
        response = app.test_client().get(path)
        assert response.status_code == 200
        return response.get_json()

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(fetch, queries))
    app.extensions[EXTENSION].clear()
    alone = [fetch(path) for path in queries]
    assert together == alone
    assert len({(b["council"]["gss_code"], b["service"]) for b in together}) == len(queries)


QUERIES = [  # (council, service, limit, as_of, order_by)
    ("E07000223", "legal-democratic", 10, None, "score"),
    ("E07000223", "revenues-benefits", 3, None, "combined"),
    ("E08000035", "ict-digital", 25, 2015, "score"),
    ("E06000001", "waste-environment", 1, None, "combined"),
]


@pytest.mark.parametrize("model_path", ["active", "missing"])
def test_recommendation_bodies_are_already_in_the_schemas_form(app, tmp_path, model_path):
    """The endpoint sends the engine's answer without dumping it through its schema: that is only
    right while dumping would change nothing, with the model or the baseline."""
    if model_path == "missing":
        app.config["MODEL_PATH"] = str(tmp_path / "no-model.json")
    with app.test_request_context():
        for council, service, limit, as_of, order_by in QUERIES:
            council_ref, dataset = recommendations._query(council, service)
            body = recommendations._recommendations(dataset, council_ref, service, limit, as_of, order_by)
            dumped = recommendations.RECOMMENDATIONS_SCHEMA.dump(body)
            assert json.dumps(dumped, sort_keys=True) == json.dumps(body, sort_keys=True)
            assert body["model"]["fallback"] is (model_path == "missing")
            assert body["candidates"] and (as_of is None) == (body["as_of_year"] != 2015)


def test_existing_partners_are_listed_not_dropped(client):
    # data/arrangements.csv R004: Adur and Worthing share revenues and benefits (among others) since 2007
    body = client.get("/api/v1/recommendations?council=E07000229&service=revenues-benefits").get_json()
    assert body["existing_partners"] == [
        {
            "gss_code": "E07000223",
            "name": "Adur District Council",
            "href": "/api/v1/organisations/E07000223",
            "arrangements": [
                {
                    "arrangement_id": "R004",
                    "name": "Adur and Worthing Councils",
                    "start_year": 2007,
                    "href": "/api/v1/arrangements/R004",
                }
            ],
        }
    ]
    assert "E07000223" not in {c["gss_code"] for c in body["candidates"]}


def test_scores_are_calibrated_rates_stated_in_words_never_certain(client):
    response = client.get(URL + "&limit=50")
    body = response.get_json()
    assert "100%" not in response.get_data(as_text=True)
    for c in body["candidates"]:
        assert 0 < c["score"] < 0.9 and 0 <= c["combined_score"] < 0.9
        assert c["fit"].startswith("In past years ") and c["fit"].endswith(" suggestions this strong became partners")
    assert len({c["fit"] for c in body["candidates"]}) > 1


def test_an_ended_partnership_is_named_with_its_years(client):
    # data/arrangements.csv R016: LGSS, Cambridgeshire, Northamptonshire (now its successors) and Milton Keynes,
    # 2010-2020, ended
    body = client.get("/api/v1/recommendations?council=E06000042&service=hr-payroll").get_json()
    texts = [r["text"] for c in body["candidates"] for r in c["reasons"] if r["factor"] == "past_ended"]
    assert texts and all("in LGSS (Local Government Shared Services), 2010–2020 (ended)" in t for t in texts)
