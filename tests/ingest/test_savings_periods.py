"""Savings periods: optional columns of the arrangements CSV and the periods file beside it."""

import csv

import pytest
from sqlalchemy import select

from matchmaker.db import Arrangement
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.arrangements_csv import COLUMNS, EXPORT_COLUMNS
from matchmaker.ingest.export import arrangements_csv_text
from matchmaker.ingest.problems import ImportRejected
from matchmaker.ingest.savings_periods import PERIODS_REQUIRED
from tests.support.arrangements_csv import GOOD, write_csv
from tests.support.dumps import dump_tables

PERIOD = {
    "arrangement_id": "T001",
    "savings_gbp": "17000000",
    "savings_kind": "cumulative",
    "reported_year": "2017",
    "period_start_year": "2007",
    "period_end_year": "2017",
    "period_years": "10",
    "per_council": "no",
    "note": "Ten years since 2007.",
    "source_url": "https://example.org/p",
}
FIGURE = dict(GOOD, savings_gbp="17000000", savings_kind="cumulative")


def write_periods(path, rows):
    return write_csv(path, rows, columns=PERIODS_REQUIRED)


def load(app, path, periods=None):
    with get_database(app).transaction() as session:
        return load_arrangements(session, path, periods=periods)


def headline(app, public_id="T001"):
    with get_database(app).session() as session:
        record = session.scalar(select(Arrangement).where(Arrangement.public_id == public_id)).savings[0]
        return {
            name: getattr(record, name)
            for name in (
                "amount_gbp",
                "kind",
                "period",
                "reported_year",
                "period_start_year",
                "period_end_year",
                "period_years",
                "per_council",
                "note",
                "source_url",
            )
        }


def test_a_periods_file_gives_the_headline_figure_its_period(app, tmp_path):
    load(app, write_csv(tmp_path / "a.csv", [FIGURE]), write_periods(tmp_path / "p.csv", [PERIOD]))
    found = headline(app)
    assert (found["kind"], found["period"], found["reported_year"], found["period_start_year"]) == (
        "achieved",
        "cumulative",
        2017,
        2007,
    )
    assert (found["period_end_year"], found["period_years"], found["per_council"]) == (2017, 10, False)
    assert found["note"] == "Ten years since 2007." and found["source_url"] == "https://example.org/p"


def test_a_period_for_another_figure_is_refused_naming_file_row_and_column(app, tmp_path):
    before = dump_tables(app)
    periods = write_periods(tmp_path / "p.csv", [dict(PERIOD, savings_gbp="1700000")])
    with pytest.raises(ImportRejected) as rejected:
        load(app, write_csv(tmp_path / "a.csv", [FIGURE]), periods)
    assert str(rejected.value.problems[0]) == (
        "p.csv, row 2, column savings_gbp: £1,700,000 cumulative does not match the arrangements file's "
        "figure for T001 (£17,000,000 cumulative)"
    )
    assert dump_tables(app) == before


@pytest.mark.parametrize(
    "change, column, message",
    [
        ({"arrangement_id": "T404"}, "arrangement_id", "no arrangement 'T404' in the arrangements file"),
        ({"period_years": "0"}, "period_years", "must be at least 1"),
        ({"period_end_year": "2006"}, "period_end_year", "the period ends (2006) before it starts (2007)"),
        ({"per_council": "maybe"}, "per_council", "'maybe' is not yes, no or empty"),
        ({"period_start_year": "2007/09"}, "period_start_year", "is not one financial year"),
        ({"source_url": "example.org"}, "source_url", "not a web address"),
    ],
)
def test_bad_period_cells_are_refused_with_the_reason(app, tmp_path, change, column, message):
    with pytest.raises(ImportRejected) as rejected:
        load(app, write_csv(tmp_path / "a.csv", [FIGURE]), write_periods(tmp_path / "p.csv", [dict(PERIOD, **change)]))
    problem = rejected.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("p.csv", 2, column) and message in problem.message


def test_period_columns_in_the_arrangements_csv_accept_financial_years(app, tmp_path):
    row = dict(
        FIGURE,
        savings_reported_year="2017",
        savings_period_start_year="2007/08",
        savings_period_end_year="2016/17",
        savings_period_years="10",
        savings_per_council="no",
        savings_note="",
        savings_source_url="",
    )
    load(app, write_csv(tmp_path / "a.csv", [row], columns=EXPORT_COLUMNS))
    found = headline(app)
    assert (found["period_start_year"], found["period_end_year"], found["period_years"]) == (2007, 2016, 10)


def test_a_file_without_period_columns_leaves_held_periods_alone_and_exports_carry_them(app, tmp_path):
    load(app, write_csv(tmp_path / "a.csv", [FIGURE]), write_periods(tmp_path / "p.csv", [PERIOD]))
    load(app, write_csv(tmp_path / "b.csv", [dict(FIGURE, name="Renamed partnership")]))
    assert headline(app)["period_years"] == 10
    with get_database(app).session() as session:
        exported = arrangements_csv_text(session)
    rows = {r["arrangement_id"]: r for r in csv.DictReader(exported.splitlines())}
    assert list(rows["T001"])[: len(COLUMNS)] == list(COLUMNS)
    assert {
        k: rows["T001"][k] for k in ("savings_period_start_year", "savings_period_years", "savings_per_council")
    } == {"savings_period_start_year": "2007", "savings_period_years": "10", "savings_per_council": "no"}
    again = tmp_path / "again.csv"
    again.write_text(exported, newline="")
    load(app, again)
    with get_database(app).session() as session:
        assert arrangements_csv_text(session) == exported


def test_the_bundled_figures_carry_their_periods(app):
    with get_database(app).session() as session:
        held = {a.public_id: a.savings[0] for a in session.scalars(select(Arrangement)) if a.savings}
    assert len(held) == 60
    adur = held["R004"]
    assert (adur.period_start_year, adur.period_end_year, adur.period_years, adur.per_council) == (
        2007,
        2017,
        10,
        False,
    )
    assert held["R155"].per_council is True  # Maidstone's share only
    # the arrangements file re-classed R038 as a forecast; its period still comes from the periods file
    assert (held["R038"].kind, held["R038"].period_years, held["R038"].reported_year) == ("expected", 1, 2022)
    assert held["R003"].period_years is None  # "six months": no number of years given
