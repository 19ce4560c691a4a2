"""Scale on PostgreSQL with generated data: bulk import time, and query plans that use indexes."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql

from matchmaker import create_app
from matchmaker.core.synthetic import generate, write_csvs
from matchmaker.core.synthetic_cli import load_directory_services
from matchmaker.db import Arrangement, Organisation
from matchmaker.db.repositories.arrangements import ArrangementFilter, filtered_arrangements
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.councils import load_councils, load_neighbours, load_service_areas
from tests.support.databases import BACKENDS, DATA_DIR, PostgresDatabases, postgres_available

LARGE_TABLES = {"organisations", "arrangements", "arrangement_members", "arrangement_services"}
ORGANISATIONS, ARRANGEMENTS = 2_000, 10_000


@pytest.fixture(scope="module")
def scaled_app(tmp_path_factory):
    """One generated database for the whole module: building it is the slow part."""
    if "postgresql" not in BACKENDS or not postgres_available():
        pytest.skip("query plans and bulk COPY are checked on PostgreSQL")
    directory = tmp_path_factory.mktemp("scale")
    pool = PostgresDatabases()
    url = pool.create("empty")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "scale", "INSTANCE_PATH": str(directory / "instance")}
    )
    services = load_directory_services(DATA_DIR / "service_areas.csv")
    write_csvs(generate(ORGANISATIONS, ARRANGEMENTS, seed=5, service_areas=services), directory)
    started = time.perf_counter()
    with get_database(app).transaction() as session:
        load_service_areas(session, DATA_DIR / "service_areas.csv")
        load_councils(session, directory / "councils.csv")
        load_neighbours(session, directory / "neighbours.csv")
    with get_database(app).transaction() as session:
        load_arrangements(session, directory / "arrangements.csv")
    app.config["IMPORT_SECONDS"] = time.perf_counter() - started
    with get_database(app).engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    yield app
    get_database(app).dispose()
    pool.drop(url)
    pool.close()


def _plan(app, query) -> dict:
    sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    with get_database(app).engine.connect() as connection:
        return connection.execute(text("EXPLAIN (FORMAT JSON) " + sql)).scalar()[0]["Plan"]


def _sequential_scans(plan: dict) -> set[str]:
    found = {plan["Relation Name"]} if plan.get("Node Type") == "Seq Scan" else set()
    for child in plan.get("Plans", []):
        found |= _sequential_scans(child)
    return found


@pytest.mark.slow
def test_generated_data_imports_in_bulk_and_is_flagged(scaled_app):
    # 10,000 arrangements; the full 50,000 run (bench/scale.py) takes about 40 s on 2 cores.
    assert scaled_app.config["IMPORT_SECONDS"] < 30
    with get_database(scaled_app).session() as session:
        assert session.scalar(select(func.count()).where(Organisation.synthetic.is_(True))) == ORGANISATIONS
        assert session.scalar(select(func.count()).where(Arrangement.synthetic.is_(True))) == ARRANGEMENTS


@pytest.mark.slow
@pytest.mark.parametrize(
    "where",
    [
        ArrangementFilter(service="legal-democratic"),
        ArrangementFilter(group="back_office"),
        ArrangementFilter(region="Synthetic Region 2"),
        ArrangementFilter(organisation="X00000042"),
        ArrangementFilter(status="operational", year=2015),
    ],
    ids=repr,
)
def test_a_page_of_filtered_arrangements_scans_no_large_table(scaled_app, where):
    plan = _plan(scaled_app, filtered_arrangements(where).limit(50))
    assert not _sequential_scans(plan) & LARGE_TABLES, json.dumps(plan, indent=1)


@pytest.mark.slow
def test_counting_one_organisations_arrangements_uses_indexes(scaled_app):
    query = filtered_arrangements(ArrangementFilter(organisation="X00000042")).order_by(None)
    plan = _plan(scaled_app, select(func.count()).select_from(query.subquery()))
    assert not _sequential_scans(plan) & LARGE_TABLES, json.dumps(plan, indent=1)


@pytest.mark.slow
@pytest.mark.parametrize(
    "column, value", [("region", "Synthetic Region 2"), ("tier", "lower"), ("county_gss", "X00000533")]
)
def test_a_page_of_filtered_organisations_scans_no_large_table(scaled_app, column, value):
    query = (
        select(Organisation)
        .where(getattr(Organisation, column) == value)
        .order_by(Organisation.gss_code, Organisation.id)
        .limit(50)
    )
    plan = _plan(scaled_app, query)
    assert not _sequential_scans(plan) & LARGE_TABLES, json.dumps(plan, indent=1)
