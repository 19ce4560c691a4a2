"""Importers at scale: bulk writes, the same history as row by row, synthetic data flagged."""

from __future__ import annotations

from sqlalchemy import event, func, select
from sqlalchemy.orm import selectinload

from matchmaker.core.synthetic import generate, write_csvs
from matchmaker.core.synthetic_cli import load_directory_services
from matchmaker.db import Arrangement, ArrangementVersion, Membership, Organisation, arrangement_state
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.councils import load_councils, load_neighbours
from matchmaker.ingest.problems import ImportRejected
from tests.support.databases import DATA_DIR
from tests.support.dumps import dump_tables


def _synthetic_csvs(directory, organisations=300, arrangements=1_500):
    services = load_directory_services(DATA_DIR / "service_areas.csv")
    write_csvs(generate(organisations, arrangements, seed=3, service_areas=services), directory)
    return directory


def test_first_versions_are_the_arrangements_as_loaded(app):
    with get_database(app).session() as session:
        arrangements = session.scalars(
            select(Arrangement).options(
                selectinload(Arrangement.members).selectinload(Membership.organisation),
                selectinload(Arrangement.services),
                selectinload(Arrangement.savings),
            )
        ).all()
        first = {v.arrangement_id: v for v in session.scalars(select(ArrangementVersion))}
        assert len(arrangements) == 161
        for arrangement in arrangements:
            assert first[arrangement.id].number == 1
            assert first[arrangement.id].snapshot == arrangement_state.take(arrangement), arrangement.public_id


def test_synthetic_data_loads_flagged_with_a_fixed_number_of_queries(app, tmp_path):
    directory = _synthetic_csvs(tmp_path)
    engine = get_database(app).engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    with get_database(app).transaction() as session:
        load_councils(session, directory / "councils.csv")
        load_neighbours(session, directory / "neighbours.csv")
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert load_arrangements(session, directory / "arrangements.csv") == 1_500
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) < 25, "a query per row crept back into the arrangements import"
    with get_database(app).session() as session:
        synthetic = select(func.count()).select_from(Organisation).where(Organisation.synthetic.is_(True))
        assert session.scalar(synthetic) == 300
        assert session.scalar(select(func.count()).where(Arrangement.synthetic.is_(True))) == 1_500
        assert session.scalar(select(func.count()).where(Arrangement.synthetic.is_(False))) == 161
        assert session.scalar(select(func.count()).select_from(ArrangementVersion)) == 161 + 1_500


def test_synthetic_codes_are_refused_in_rows_not_flagged_synthetic(app, tmp_path):
    directory = _synthetic_csvs(tmp_path, organisations=20, arrangements=10)
    councils = directory / "councils.csv"
    councils.write_text(councils.read_text().replace(",true\n", ",\n", 1))
    before = dump_tables(app)
    with get_database(app).transaction() as session:
        try:
            load_councils(session, councils)
        except ImportRejected as rejected:
            message = rejected.summary()
        else:
            raise AssertionError("an X code in a row not flagged synthetic was accepted")
    assert "councils.csv, row 2, column gss_code: malformed GSS code 'X00000000'" in message
    assert dump_tables(app) == before


def test_reloading_the_same_synthetic_file_changes_nothing(app, tmp_path):
    directory = _synthetic_csvs(tmp_path, organisations=50, arrangements=200)
    for _ in range(2):
        with get_database(app).transaction() as session:
            load_councils(session, directory / "councils.csv")
            load_arrangements(session, directory / "arrangements.csv")
        if _ == 0:
            after_first = dump_tables(app)
    assert dump_tables(app) == after_first
