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
    cumulative = sum(int(a["savings_gbp"]) for a in bundled_arrangements if a["savings_kind"] == "cumulative")
    assert totals["savings_gbp"]["achieved_cumulative"] == cumulative
    legal = next(r for r in body["by_service"] if r["key"] == "legal-democratic")
    assert legal["arrangements"] == sum(
        "legal-democratic" in a["service_areas"].split(";") for a in bundled_arrangements
    )
    councils = {c for a in bundled_arrangements for c in a["council_codes"].split(";")}
    assert totals["councils_involved"] == len(councils)


def running_in(row: dict[str, str], year: int) -> bool:
    """The as-of rule restated for a bundled row: started by then and not over by then; without
    a start year an arrangement is only known to be running from the present on."""
    if row["status"] == "proposed" or not row["start_year"] or int(row["start_year"]) > year:
        return False
    return int(row["end_year"]) > year if row["end_year"] else row["status"] != "ended"


def test_statistics_for_a_past_year_count_what_was_running_then(client, bundled_arrangements):
    body = client.get("/api/v1/statistics?year=2020").get_json()
    running = [a for a in bundled_arrangements if running_in(a, 2020)]
    assert body["as_of_year"] == 2020
    assert body["totals"]["arrangements"] == len(running) < len(bundled_arrangements)
    then = Counter("operational" if a["status"] == "ended" else a["status"] for a in running)
    assert {r["key"]: r["arrangements"] for r in body["by_status"]} == dict(then)
    councils = {c for a in running for c in a["council_codes"].split(";")}
    assert body["totals"]["councils_involved"] == len(councils)
    assert client.get("/api/v1/statistics").get_json()["as_of_year"] is None


def test_a_year_outside_the_records_is_refused_by_name(client):
    for year in ("1989", "2100", "recent"):
        response = client.get(f"/api/v1/statistics?year={year}")
        assert response.status_code == 422
        assert response.get_json()["invalid_params"][0]["name"] == "year"


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
