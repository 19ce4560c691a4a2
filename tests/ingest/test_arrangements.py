import csv
import io

import pytest
from sqlalchemy import select

from matchmaker.db import Arrangement
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.arrangements_csv import COLUMNS
from matchmaker.ingest.export import arrangements_csv_text
from matchmaker.ingest.problems import ImportRejected
from tests.support.arrangements_csv import GOOD, write_csv
from tests.support.databases import DATA_DIR
from tests.support.dumps import dump_tables


def load(app, path):
    with get_database(app).transaction() as session:
        return load_arrangements(session, path)


def test_bundled_arrangements_loaded_with_unknown_savings_absent(app):
    with get_database(app).session() as session:
        arrangements = {a.public_id: a for a in session.scalars(select(Arrangement))}
        assert len(arrangements) == 161
        adur_worthing = arrangements["R004"]
        assert [m.organisation.gss_code for m in adur_worthing.members] == ["E07000223", "E07000229"]
        assert [(float(r.amount_gbp), r.kind, r.period) for r in adur_worthing.savings] == [
            (17_000_000.0, "achieved", "cumulative")
        ]
        assert arrangements["R007"].savings == []  # no figure published: no row, not a zero


def test_one_bad_row_leaves_database_unchanged(app, tmp_path):
    before = dump_tables(app)
    bad = dict(GOOD, arrangement_id="T002", council_codes="E07000223;E09999999")
    path = write_csv(tmp_path / "mixed.csv", [GOOD, bad])
    with pytest.raises(ImportRejected) as rejected:
        load(app, path)
    assert [str(p) for p in rejected.value.problems] == [
        "mixed.csv, row 3, column council_codes: unknown GSS code 'E09999999'"
    ]
    assert dump_tables(app) == before


@pytest.mark.parametrize(
    "change, column, message",
    [
        ({"service_areas": "legal"}, "service_areas", "unknown service slug 'legal'"),
        ({"start_year": "20x0"}, "start_year", "bad year '20x0' (expected four digits, 1900-2100)"),
        ({"status": "live"}, "status", "'live' is not one of: proposed, in_development, operational, ended"),
        ({"savings_gbp": "-5"}, "savings_gbp", "amount out of range: '-5'"),
        ({"end_year": "2019"}, "end_year", "ends (2019) before it starts (2020)"),
        ({"council_codes": "Adur"}, "council_codes", "malformed GSS code 'Adur'"),
    ],
)
def test_each_bad_field_is_named(app, tmp_path, change, column, message):
    path = write_csv(tmp_path / "bad.csv", [dict(GOOD, **change)])
    with pytest.raises(ImportRejected) as rejected:
        load(app, path)
    assert [(p.row, p.column, p.message) for p in rejected.value.problems] == [(2, column, message)]


def test_duplicate_id_and_missing_column_and_encoding(app, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        load(app, write_csv(tmp_path / "dup.csv", [GOOD, GOOD]))
    assert rejected.value.problems[0].message == "duplicate id 'T001' (first on row 2)"

    columns = [c for c in COLUMNS if c != "status"]
    row = {k: v for k, v in GOOD.items() if k != "status"}
    with pytest.raises(ImportRejected) as rejected:
        load(app, write_csv(tmp_path / "nostatus.csv", [row], columns))
    assert [(p.row, p.column, p.message) for p in rejected.value.problems] == [(1, "status", "missing column")]

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(
        (",".join(COLUMNS) + "\nT9,Caf\xe9,E07000223,,legal-democratic,,,operational,,,,,\n").encode("latin-1")
    )
    with pytest.raises(ImportRejected) as rejected:
        load(app, latin1)
    assert rejected.value.problems[0].row == 2
    assert "wrong encoding" in rejected.value.problems[0].message


def test_loading_twice_changes_nothing(app):
    before = dump_tables(app)
    load(app, DATA_DIR / "arrangements.csv")
    assert dump_tables(app) == before


def test_export_then_import_is_lossless(app, empty_app, tmp_path):
    exported = tmp_path / "export.csv"
    with get_database(app).session() as session:
        exported.write_text(arrangements_csv_text(session), newline="")
    source_text = (DATA_DIR / "arrangements.csv").read_text(encoding="utf-8")
    source = {r["arrangement_id"]: r for r in csv.DictReader(io.StringIO(source_text))}
    for row in csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))):
        original = source[row["arrangement_id"]]
        assert set(row["service_areas"].split(";")) == set(original["service_areas"].split(";"))
        assert {k: v for k, v in row.items() if k != "service_areas" and k in COLUMNS} == {
            k: v for k, v in original.items() if k != "service_areas"
        }
    from matchmaker.ingest.bundled import load_bundled

    with get_database(empty_app).transaction() as session:
        counts = {k: v for k, v in load_bundled(session, DATA_DIR).counts.items()}
    assert counts["arrangements"] == 161
    load(empty_app, exported)
    with get_database(empty_app).session() as session:
        assert arrangements_csv_text(session) == exported.read_bytes().decode()


def test_export_neutralises_formulas(app, tmp_path):
    path = write_csv(tmp_path / "formula.csv", [dict(GOOD, name='=HYPERLINK("http://evil","x")')])
    load(app, path)
    with get_database(app).session() as session:
        stored = session.scalar(select(Arrangement.name).where(Arrangement.public_id == "T001"))
        text = arrangements_csv_text(session)
    assert stored == '=HYPERLINK("http://evil","x")'
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["arrangement_id"] == "T001")
    assert row["name"] == "'=HYPERLINK(\"http://evil\",\"x\")"
