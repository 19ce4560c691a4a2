from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from matchmaker.db import NeighbourPair, Organisation, ServiceArea
from matchmaker.flask_database import get_database
from matchmaker.ingest.councils import load_councils
from matchmaker.ingest.problems import ImportRejected
from tests.support.databases import DATA_DIR


def organisations(app) -> list[Organisation]:
    with get_database(app).session() as session:
        return list(session.scalars(select(Organisation)))


def test_bundled_councils_by_type_today(app):
    today = date(2026, 4, 1)
    current = [o for o in organisations(app) if o.exists_on(today)]
    assert Counter(o.council_type for o in current) == {
        "NMD": 164, "UA": 62, "MD": 36, "LBO": 32, "CTY": 21, "COI": 1, "IOS": 1,
    }  # fmt: skip
    assert len(current) == 317


def test_bundled_councils_before_the_2019_reorganisations(app):
    on = date(2018, 4, 1)
    codes = {o.gss_code for o in organisations(app) if o.exists_on(on)}
    assert "E07000205" in codes  # Suffolk Coastal, merged into East Suffolk in 2019
    assert "E07000244" not in codes  # East Suffolk did not exist yet


def test_successor_chain_resolves(app):
    with get_database(app).session() as session:
        suffolk_coastal = session.scalar(select(Organisation).where(Organisation.gss_code == "E07000205"))
        assert [o.gss_code for o in suffolk_coastal.successors] == ["E07000244"]
        east_suffolk = suffolk_coastal.successors[0]
        assert {o.gss_code for o in east_suffolk.predecessors} == {"E07000205", "E07000206"}


def test_neighbours_and_service_areas_loaded(app):
    with get_database(app).session() as session:
        assert len(session.scalars(select(NeighbourPair)).all()) == 1271
        assert [s.slug for s in session.scalars(select(ServiceArea).order_by(ServiceArea.position))][:2] == [
            "management", "revenues-benefits",
        ]  # fmt: skip


def test_loading_councils_twice_changes_nothing(app):
    before = {(o.gss_code, o.updated_at) for o in organisations(app)}
    with get_database(app).transaction() as session:
        load_councils(session, DATA_DIR / "councils.csv")
    assert {(o.gss_code, o.updated_at) for o in organisations(app)} == before


def test_unknown_successor_is_reported_with_row_and_column(empty_app, tmp_path):
    path = tmp_path / "councils.csv"
    lines = (DATA_DIR / "councils.csv").read_text().splitlines()
    header, first = lines[0], lines[1].split(",")
    first[9] = "E07999999"
    path.write_text(header + "\n" + ",".join(first) + "\n")
    with pytest.raises(ImportRejected) as rejected:
        with get_database(empty_app).transaction() as session:
            load_councils(session, path)
    assert str(rejected.value.problems[0]) == (
        "councils.csv, row 2, column replaced_by_gss: unknown GSS code 'E07999999'"
    )
    assert organisations(empty_app) == []
