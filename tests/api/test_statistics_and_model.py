from collections import Counter


def test_statistics_match_the_bundled_file(client, bundled_arrangements):
    body = client.get("/api/v1/statistics").get_json()
    totals = body["totals"]
    with_figures = sum(bool(a["savings_gbp"]) for a in bundled_arrangements)
    assert totals["arrangements"] == len(bundled_arrangements)
    assert totals["with_savings_figures"] == with_figures
    assert totals["without_savings_figures"] == len(bundled_arrangements) - with_figures
    statuses = Counter(a["status"] for a in bundled_arrangements)
    assert {r["key"]: r["arrangements"] for r in body["by_status"]} == dict(statuses)
    cumulative = sum(
        int(a["savings_gbp"]) for a in bundled_arrangements if a["savings_kind"] == "cumulative"
    )
    assert totals["savings_gbp"]["achieved_cumulative"] == cumulative
    legal = next(r for r in body["by_service"] if r["key"] == "legal-democratic")
    assert legal["arrangements"] == sum(
        "legal-democratic" in a["service_areas"].split(";") for a in bundled_arrangements
    )
    councils = {c for a in bundled_arrangements for c in a["council_codes"].split(";")}
    assert totals["councils_involved"] == len(councils)


def test_a_kind_nobody_reported_is_null_not_zero(client):
    body = client.get("/api/v1/statistics").get_json()
    for row in body["by_service_group"]:
        for measure, count in row["savings_figures"].items():
            assert (row["savings_gbp"][measure] is None) == (count == 0)


def test_tier_pairs_and_start_years_are_reported(client):
    body = client.get("/api/v1/statistics").get_json()
    assert "lower-lower" in {r["key"] for r in body["by_tier_pair"]}
    assert "2007" in {r["key"] for r in body["by_start_year"]}


def test_model_card_describes_the_active_artefact(client):
    body = client.get("/api/v1/model").get_json()
    assert body["fallback"] is False
    assert body["version"] and body["features"][0]["name"]
    assert "backtest" in body["metrics"]
