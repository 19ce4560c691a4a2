"""List totals: counted the cheapest exact way, remembered per data state, never stale for the
process that wrote, and at most API_DATA_CHECK_SECONDS stale for a write from elsewhere."""

import pytest
from sqlalchemy import create_engine, delete, func, insert, select

from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea, arrangement_services
from matchmaker.db.repositories.arrangements import ArrangementFilter, count_arrangements
from matchmaker.flask_database import get_database
from tests.support.bundled import read_csv

BUNDLED = read_csv("arrangements.csv")
REGIONS = {row["gss_code"]: row["region"] for row in read_csv("councils.csv")}
SERVICE_GROUPS = {row["slug"]: row["group"] for row in read_csv("service_areas.csv")}


def _expected(**where) -> int:
    """How many bundled arrangements match, worked out from the CSV files alone."""

    def matches(row) -> bool:
        codes, slugs = row["council_codes"].split(";"), row["service_areas"].split(";")
        return all(
            (
                where.get("service") in (None, *slugs),
                "group" not in where or where["group"] in {SERVICE_GROUPS[s] for s in slugs},
                "region" not in where or where["region"] in {REGIONS.get(c) for c in codes},
                where.get("organisation") in (None, *codes),
                where.get("status") in (None, row["status"]),
            )
        )

    return sum(1 for row in BUNDLED if matches(row))


FILTERS = [
    {"service": "legal-democratic"},
    {"group": "back_office"},
    {"region": "South East"},
    {"organisation": "E07000223"},
    {"status": "ended"},
    {"group": "back_office", "region": "South East"},
    {"service": "revenues-benefits", "status": "operational"},
]


@pytest.mark.parametrize("where", FILTERS, ids=repr)
def test_every_count_path_gives_the_bundled_answer(app, client, where):
    expected = _expected(**where)
    assert expected > 0  # a filter that matches nothing would prove little
    with get_database(app).session() as session:
        assert session.scalar(count_arrangements(ArrangementFilter(**where))) == expected
    query = "&".join(f"{k}={v.replace(' ', '%20')}" for k, v in where.items())
    assert client.get(f"/api/v1/arrangements?limit=1&{query}").get_json()["total"] == expected


def _add_arrangement(session, public_id: str, code: str, slug: str) -> None:
    arrangement = Arrangement(public_id=public_id, name="Test partnership", status="operational")
    arrangement.members = [
        Membership(
            organisation=session.scalar(select(Organisation).where(Organisation.gss_code == code)),
            role="member",
            position=0,
        )
    ]
    arrangement.services = [session.scalar(select(ServiceArea).where(ServiceArea.slug == slug))]
    session.add(arrangement)


def test_a_write_in_this_process_is_counted_at_once(app, client):
    app.config["API_DATA_CHECK_SECONDS"] = 3600  # only the commit itself can refresh the total
    url = "/api/v1/arrangements?organisation=E07000223&limit=1"
    before = client.get(url).get_json()["total"]
    assert before == _expected(organisation="E07000223")
    with get_database(app).transaction() as session:
        _add_arrangement(session, "T001", "E07000223", "legal-democratic")
    assert client.get(url).get_json()["total"] == before + 1


def test_a_write_from_elsewhere_is_counted_after_the_check_interval(app, client):
    """A write this process did not make (another worker, a command) reaches the count once
    the data is checked again; with checks every 3600 s the remembered total is still served."""
    url = "/api/v1/arrangements?service=legal-democratic&limit=1"
    before = _expected(service="legal-democratic")
    with get_database(app).session() as session:
        service_id = session.scalar(select(ServiceArea.id).where(ServiceArea.slug == "legal-democratic"))
    elsewhere = create_engine(app.config["DATABASE_URL"])
    try:
        _count_a_write_from_elsewhere(app, client, elsewhere, service_id, before, url)
    finally:
        elsewhere.dispose()


def _count_a_write_from_elsewhere(app, client, elsewhere, service_id, before, url):
    with elsewhere.begin() as connection:
        arrangement_id = connection.scalar(
            select(Arrangement.id)
            .where(
                ~Arrangement.id.in_(
                    select(arrangement_services.c.arrangement_id).where(
                        arrangement_services.c.service_area_id == service_id
                    )
                )
            )
            .order_by(Arrangement.id)
            .limit(1)
        )
    app.config["API_DATA_CHECK_SECONDS"] = 3600
    assert client.get(url).get_json()["total"] == before
    with elsewhere.begin() as connection:
        connection.execute(
            insert(arrangement_services).values(arrangement_id=arrangement_id, service_area_id=service_id)
        )
    assert client.get(url).get_json()["total"] == before  # remembered: within the interval
    app.config["API_DATA_CHECK_SECONDS"] = 0
    assert client.get(url).get_json()["total"] == before + 1
    with elsewhere.begin() as connection:
        connection.execute(
            delete(arrangement_services).where(
                arrangement_services.c.arrangement_id == arrangement_id,
                arrangement_services.c.service_area_id == service_id,
            )
        )
    assert client.get(url).get_json()["total"] == before


def test_organisation_totals_follow_the_data(app, client, bundled_councils):
    app.config["API_DATA_CHECK_SECONDS"] = 3600
    url = "/api/v1/organisations?region=South%20East&limit=1"
    expected = sum(1 for c in bundled_councils if c["region"] == "South East")
    assert client.get(url).get_json()["total"] == expected
    with get_database(app).transaction() as session:
        session.add(Organisation(gss_code="E07999999", name="Test", kind="council", region="South East"))
    assert client.get(url).get_json()["total"] == expected + 1
    with get_database(app).session() as session:
        assert (
            session.scalar(select(func.count()).select_from(Organisation).where(Organisation.region == "South East"))
            == expected + 1
        )
