"""Statistics computed ahead: used while the data version matches, computed live otherwise."""

from sqlalchemy import select

from matchmaker.db import Organisation, StoredStatistics
from matchmaker.flask_database import get_database
from matchmaker.services import stored_statistics
from matchmaker.services.statistics import national_statistics
from tests.support.refresh import rename_r004_via_csv


def stored_rows(session):
    return {row.period: row for row in session.scalars(select(StoredStatistics))}


def test_a_rebuild_stores_every_period_exactly_as_computed_live(app):
    with get_database(app).transaction() as session:
        version = stored_statistics.rebuild(session)
    with get_database(app).session() as session:
        rows = stored_rows(session)
        years = stored_statistics.years(session)
        assert set(rows) == {"now", *map(str, years)}
        assert {(row.data_version, row.state) for row in rows.values()} == {(version.number, version.state)}
        for year in (None, years[-1], 2010):
            assert stored_statistics.figures(session, year) == national_statistics(session, year)
        assert stored_statistics.figures(session)["totals"]["savings_gbp"]["achieved_cumulative"] is not None


def test_a_second_rebuild_with_nothing_changed_does_nothing(app):
    with get_database(app).transaction() as session:
        assert stored_statistics.rebuild(session) is not None
    with get_database(app).transaction() as session:
        assert stored_statistics.rebuild(session) is None


def mark(app, arrangements):
    """Make the stored present figures recognisable, keeping their data version."""
    with get_database(app).transaction() as session:
        row = session.get(StoredStatistics, "now")
        row.figures = {**row.figures, "totals": {**row.figures["totals"], "arrangements": arrangements}}


def test_stored_figures_are_read_while_current_and_never_once_the_data_changed(app, tmp_path):
    with get_database(app).transaction() as session:
        stored_statistics.rebuild(session)
    mark(app, -1)
    with get_database(app).session() as session:
        assert stored_statistics.figures(session)["totals"]["arrangements"] == -1  # read, not computed
    rename_r004_via_csv(app, tmp_path, "Adur and Worthing (renamed)")
    with get_database(app).session() as session:
        assert stored_statistics.figures(session) == national_statistics(session)


def test_reference_data_changed_outside_the_change_log_also_makes_them_out_of_date(app):
    with get_database(app).transaction() as session:
        stored_statistics.rebuild(session)
    mark(app, -1)
    with get_database(app).transaction() as session:
        adur = session.scalar(select(Organisation).where(Organisation.gss_code == "E07000223"))
        adur.region = "Somewhere else"
    with get_database(app).session() as session:
        assert not stored_statistics.is_current(session)
        live = stored_statistics.figures(session)
        assert live == national_statistics(session)
        assert "Somewhere else" in {row["label"] for row in live["by_region"]}
