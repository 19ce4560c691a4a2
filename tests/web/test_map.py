"""The national map: filters, JSON for the layers, boundaries with caching, downloads."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from matchmaker.db import Arrangement
from matchmaker.flask_database import get_session
from matchmaker.ingest.arrangements_csv import COLUMNS, EXPORT_COLUMNS
from tests.support.bundled import read_csv
from tests.support.pages import text


def _count(app, *conditions) -> int:
    with app.app_context():
        return get_session().scalar(
            select(func.count()).select_from(Arrangement).where(Arrangement.status != "proposed", *conditions)
        )


def _rows(html: str) -> int:
    return len(re.findall(r'<tr class="govuk-table__row" data-services=', html))


def test_map_lists_every_arrangement_in_the_table(app, client):
    html = text(client.get("/map"))
    assert _rows(html) == _count(app)
    assert html.count('data-layer="') == 15
    assert 'data-boundaries="/map/boundaries.topojson?v=' in html


def test_map_filters_by_status_service_and_region(app, client):
    ended = text(client.get("/map?status=ended"))
    assert _rows(ended) == _count(app, Arrangement.status == "ended")
    legal = text(client.get("/map?service=legal-democratic"))
    assert 0 < _rows(legal) < _count(app)
    assert all("legal-democratic" in row for row in re.findall(r'data-services="([^"]*)"', legal))
    london = text(client.get("/map?region=London"))
    assert "HB Public Law legal services for Hounslow" in london
    assert "Adur and Worthing Councils" not in london


def test_map_json_carries_members_places_and_popup_facts(client):
    body = client.get("/map/arrangements.json").get_json()
    assert len(body["services"]) == 15
    adur = next(a for a in body["arrangements"] if a["id"] == "R004")
    assert {m["code"] for m in adur["members"]} == {"E07000223", "E07000229"}
    assert all(m["lat"] is not None for m in adur["members"])
    assert adur["savings_achieved"] == "£17m over 2007–2017, about £1.7m a year"
    assert adur["contacts_url"] is None  # signed out


def test_boundaries_are_served_with_caching(client):
    response = client.get("/map/boundaries.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "max-age" in response.headers["Cache-Control"]
    assert len(response.get_json()["features"]) > 300
    again = client.get("/map/boundaries.geojson", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_maps_boundaries_are_a_topology_of_every_council_a_third_of_the_geojson(client):
    geojson = client.get("/map/boundaries.geojson").get_json()
    topology = client.get("/map/boundaries.topojson").get_json()
    assert topology["type"] == "Topology" and set(topology["transform"]) == {"scale", "translate"}
    councils = topology["objects"]["councils"]["geometries"]
    assert [g["properties"] for g in councils] == [f["properties"] for f in geojson["features"]]
    arcs = len(topology["arcs"])
    used = {i if i >= 0 else ~i for g in councils for i in _arc_indexes(g["arcs"])}
    assert used == set(range(arcs))
    topo_size = len(client.get("/map/boundaries.topojson").get_data())
    assert topo_size < len(client.get("/map/boundaries.geojson").get_data()) / 3


def _arc_indexes(nested):
    for item in nested:
        if isinstance(item, list):
            yield from _arc_indexes(item)
        else:
            yield item


def test_csv_download_uses_the_import_format(app, client):
    response = client.get("/map/arrangements.csv?status=operational")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(text(response))))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS and EXPORT_COLUMNS[: len(COLUMNS)] == COLUMNS
    assert len(rows) == _count(app, Arrangement.status == "operational")
    assert {r["status"] for r in rows} == {"operational"}


def test_excel_download_neutralises_formulas(app, client):
    with app.app_context():
        session = get_session()
        arrangement = session.scalar(select(Arrangement).where(Arrangement.public_id == "R004"))
        arrangement.name = '=HYPERLINK("http://evil.example","x")'
        session.commit()
    response = client.get("/map/arrangements.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert tuple(header) == EXPORT_COLUMNS
    names = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names["R004"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert sheet.max_row - 1 == _count(app)
    csv_text = text(client.get("/map/arrangements.csv"))
    assert "'=HYPERLINK" in csv_text


def test_the_map_filters_a_region_by_the_apis_rule(client):
    """A region keeps the arrangements with a member there, on the map as in the API's list,
    checked against the bundled files."""
    region_of = {c["gss_code"]: c["region"] for c in read_csv("councils.csv")}
    for region in ("London", "South East"):
        expected = {
            a["arrangement_id"]
            for a in read_csv("arrangements.csv")
            if a["status"] != "proposed"
            and any(region_of.get(code) == region for code in a["council_codes"].split(";"))
        }
        on_the_map = client.get(f"/map/arrangements.json?region={region}").get_json()["arrangements"]
        in_the_api = client.get(f"/api/v1/arrangements?limit=200&region={region}").get_json()["items"]
        assert {a["id"] for a in on_the_map} == expected
        assert {a["arrangement_id"] for a in in_the_api if a["status"] != "proposed"} == expected
