from datetime import date

from tests.support.keys import bearer


def _all_pages(client, url: str) -> list[dict]:
    items, next_url = [], url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200
        body = response.get_json()
        items.extend(body["items"])
        next_url = body["links"].get("next")
    return items


def test_pages_cover_every_bundled_council_once_in_code_order(client, bundled_councils):
    items = _all_pages(client, "/api/v1/organisations?limit=100")
    codes = [o["gss_code"] for o in items]
    assert codes == sorted(c["gss_code"] for c in bundled_councils)


def test_link_header_and_links_agree(client):
    response = client.get("/api/v1/organisations?limit=100&offset=100")
    body = response.get_json()
    assert body["total"] == 365 and body["limit"] == 100 and body["offset"] == 100
    assert body["links"]["prev"] == "/api/v1/organisations?limit=100&offset=0"
    assert body["links"]["next"] == "/api/v1/organisations?limit=100&offset=200"
    assert body["links"]["last"] == "/api/v1/organisations?limit=100&offset=300"
    link = response.headers["Link"]
    assert '</api/v1/organisations?limit=100&offset=200>; rel="next"' in link
    assert 'rel="prev"' in link and 'rel="first"' in link


def test_filters_match_the_bundled_file(client, bundled_councils):
    body = client.get("/api/v1/organisations?tier=upper&limit=200").get_json()
    assert body["total"] == sum(c["tier"] == "upper" for c in bundled_councils)
    body = client.get("/api/v1/organisations?region=North%20East&type=UA&limit=200").get_json()
    expected = {c["gss_code"] for c in bundled_councils if c["region"] == "North East" and c["la_type"] == "UA"}
    assert {o["gss_code"] for o in body["items"]} == expected
    west_sussex = client.get("/api/v1/organisations?county=E10000032&limit=200").get_json()
    assert "E07000223" in {o["gss_code"] for o in west_sussex["items"]}
    assert all(o["county_gss"] == "E10000032" for o in west_sussex["items"])


def test_name_search_and_existing_on_a_date(client, bundled_councils):
    found = client.get("/api/v1/organisations?name=adur").get_json()["items"]
    assert [o["gss_code"] for o in found] == ["E07000223"]
    on = date(2024, 4, 1)
    body = client.get(f"/api/v1/organisations?exists_on={on.isoformat()}&limit=1").get_json()
    expected = [
        c for c in bundled_councils
        if (not c["start_date"] or date.fromisoformat(c["start_date"]) <= on)
        and (not c["end_date"] or date.fromisoformat(c["end_date"]) >= on)
    ]  # fmt: skip
    assert body["total"] == len(expected)


def test_one_council_with_neighbours_and_arrangements(client):
    body = client.get("/api/v1/organisations/E07000223").get_json()
    assert body["name"] == "Adur District Council" and not body["abolished"]
    assert {n["gss_code"]: n["shared_boundary_km"] for n in body["neighbours"]} == {
        "E06000043": 4.58, "E07000224": 1.81, "E07000227": 10.81, "E07000229": 6.05,
    }  # fmt: skip
    assert "R004" in {a["arrangement_id"] for a in body["arrangements"]}
    assert "contacts" not in body


def test_abolished_council_points_to_its_successor(client):
    body = client.get("/api/v1/organisations/E06000028").get_json()
    assert body["abolished"] and body["end_date"] == "2019-03-31"
    assert [s["gss_code"] for s in body["successors"]] == ["E06000058"]
    assert body["successors"][0]["href"] == "/api/v1/organisations/E06000058"
    successor = client.get("/api/v1/organisations/E06000058").get_json()
    assert {"E06000028", "E06000029"} <= {p["gss_code"] for p in successor["predecessors"]}


def test_unknown_code_is_404_and_malformed_code_is_422(client):
    missing = client.get("/api/v1/organisations/E07999999")
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"
    malformed = client.get("/api/v1/organisations/adur")
    assert malformed.status_code == 422
    assert malformed.get_json()["invalid_params"][0]["name"] == "gss_code"


def test_service_areas_are_the_fifteen_bundled(client):
    body = client.get("/api/v1/service-areas").get_json()
    assert len(body["items"]) == 15
    assert body["items"][0]["slug"] == "management"
    assert "shared chief executive" in body["items"][0]["covers"]


def test_a_public_read_key_reads_the_same(client, make_key):
    key = make_key()
    response = client.get("/api/v1/organisations/E07000223", headers=bearer(key))
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
