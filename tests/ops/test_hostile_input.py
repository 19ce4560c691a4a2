"""Random and hostile files at the importers: a clear rejection or success, never a crash, never a
partial write. Exports neutralise formulas."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from matchmaker.cli import build_cli
from matchmaker.ingest.arrangements_csv import COLUMNS
from matchmaker.ingest.questionnaire_answers import QuestionnaireRejected
from matchmaker.services.submissions import SubmissionRefused
from tests.support.arrangements_csv import row
from tests.support.dumps import dump_tables
from tests.support.faults import write_big_arrangements_csv
from tests.support.refresh import export, filled, open_round, upload

pytestmark = pytest.mark.slow  # about 90 s: hundreds of generated files through every importer
HOSTILE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
VALID_ROW = list(
    row(
        arrangement_id="T1",
        name="Test partnership",
        council_codes="E07000223;E07000229",
        service_areas="legal-democratic",
        start_year=2019,
        status="operational",
    ).values()
)
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","click")',
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\t=1",
            "<script>alert(1)</script>",
            "'",
            '"',
            "\x00",
            "\r\n",
            ";;;",
            "£1,000",
            "1e999",
            "NaN",
            "-0",
            "E07000223;E07000223",
            "X00000001",
            "é" * 20_000,
        ]
    ),
)


def _csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


hostile_files = st.one_of(
    st.binary(max_size=2_000),
    st.builds(
        _csv_bytes,
        header=st.one_of(
            st.just(list(COLUMNS)), st.lists(st.sampled_from(COLUMNS), max_size=16), st.just([*COLUMNS, "name"])
        ),
        rows=st.lists(
            st.one_of(
                st.just(VALID_ROW),
                st.lists(nasty_text, max_size=15),
                st.builds(lambda i, v: VALID_ROW[:i] + [v] + VALID_ROW[i + 1 :], st.integers(0, 12), nasty_text),
            ),
            max_size=6,
        ),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]),
    ),
)


def _load(app, path):
    return app.test_cli_runner().invoke(build_cli(), ["load", "arrangements", str(path)])


@HOSTILE
@given(raw=hostile_files)
def test_hostile_arrangement_files_are_rejected_clearly_or_loaded(app, tmp_path, raw):
    path = tmp_path / "hostile.csv"
    path.write_bytes(raw)
    before = dump_tables(app)
    result = _load(app, path)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.output.startswith(f"Error: {path} was not loaded, nothing was written:\n")
        problems = result.output.splitlines()[1:]
        assert problems and all(line.startswith(("hostile.csv", "... and")) for line in problems)
        assert dump_tables(app) == before


@HOSTILE
@given(raw=hostile_files)
def test_hostile_council_files_are_rejected_clearly_or_loaded(app, tmp_path, raw):
    path = tmp_path / "councils.csv"
    path.write_bytes(raw)
    before = dump_tables(app)
    result = app.test_cli_runner().invoke(build_cli(), ["load", "councils", str(path)])
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "councils.csv" in result.output.splitlines()[1]
        assert dump_tables(app) == before


def test_100k_rows_with_one_bad_row_near_the_end_write_nothing(app, tmp_path):
    path = tmp_path / "big.csv"
    write_big_arrangements_csv(path, 100_000, ["E07000223", "E07000229", "E07000228"], ["legal-democratic"])
    lines = path.read_text().splitlines(keepends=True)
    lines[99_990] = lines[99_990].replace("operational", "operatonal")
    path.write_text("".join(lines))
    before = dump_tables(app)
    result = _load(app, path)
    assert result.exit_code == 2
    assert "big.csv, row 99991, column status: 'operatonal' is not one of" in result.output
    assert dump_tables(app) == before


def test_duplicated_headers_and_wrong_encoding_are_named(app, tmp_path):
    duplicated = tmp_path / "dup.csv"
    duplicated.write_bytes(_csv_bytes([*COLUMNS, "status"], [VALID_ROW + ["ended"]], "utf-8"))
    assert "dup.csv, row 1, column status: duplicated column" in _load(app, duplicated).output
    latin = tmp_path / "latin.csv"
    latin.write_bytes(_csv_bytes(list(COLUMNS), [VALID_ROW[:1] + ["Saved £5"] + VALID_ROW[2:]], "latin-1"))
    assert "latin.csv, row 2: wrong encoding: byte 0xa3 is not UTF-8" in _load(app, latin).output


def test_formula_cells_are_neutralised_in_every_export(app, client, tmp_path):
    formula = '=HYPERLINK("http://evil.example","click")'
    path = tmp_path / "formula.csv"
    path.write_bytes(
        _csv_bytes(
            list(COLUMNS), [VALID_ROW[:1] + [formula] + VALID_ROW[2:10] + ["+44 1234"] + VALID_ROW[11:]], "utf-8"
        )
    )
    loaded = _load(app, path)
    assert loaded.exit_code == 0, loaded.output
    exported = tmp_path / "out.csv"
    assert app.test_cli_runner().invoke(build_cli(), ["export", "arrangements", str(exported)]).exit_code == 0
    for text in (
        exported.read_text(),
        client.get("/api/v1/arrangements.csv").get_data(as_text=True),
        client.get("/map/arrangements.csv").get_data(as_text=True),
    ):
        row = next(r for r in csv.DictReader(io.StringIO(text)) if r["arrangement_id"] == "T1")
        assert row["name"] == "'" + formula
        assert all(not value.startswith(("=", "+", "-", "@")) for value in row.values())
    sheet = load_workbook(io.BytesIO(client.get("/map/arrangements.xlsx").data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type != "f" and not str(cell.value).startswith("=") for cell in cells)


# Control characters cannot even be written into a workbook, so a council could not send them.
excel_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
excel_values = st.one_of(
    excel_text,
    st.sampled_from(["<script>alert(1)</script>", "£1,000", "1e999", "-0", "é" * 20_000]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.sampled_from(["=1+1", "=HYPERLINK(\"x\")", "yes", "no", "achieved"]),
)


@settings(HOSTILE, max_examples=15)
@given(
    cells=st.dictionaries(
        st.sampled_from([f"{c}{r}" for c in "AKLMNOPQ" for r in range(2, 6)]), excel_values, max_size=6
    )
)
def test_hostile_questionnaires_are_rejected_by_cell_or_accepted(app, cells):
    round_id = open_round(app) if not app.config.get("ROUND_ID") else app.config["ROUND_ID"]
    app.config["ROUND_ID"] = round_id
    raw = filled(export(app, round_id), cells)
    accepted = app.config.setdefault("ACCEPTED_FILES", set())  # examples share one database
    before = dump_tables(app)
    try:
        upload(app, round_id, raw)
    except QuestionnaireRejected as rejected:
        assert rejected.problems
        assert all(str(p).startswith(("Sheet Arrangements, cell ", "Sheet About, cell ")) for p in rejected.problems)
        assert dump_tables(app) == before
    except SubmissionRefused as refused:
        # An earlier example produced the same file: the second upload is recognised and refused.
        assert raw in accepted and "this file was already uploaded" in str(refused)
        assert dump_tables(app) == before
    else:
        assert raw not in accepted
        accepted.add(raw)


@settings(HOSTILE, max_examples=15)
@given(raw=st.binary(max_size=3_000))
def test_random_bytes_are_not_a_questionnaire(app, raw):
    round_id = app.config.get("ROUND_ID") or open_round(app)
    app.config["ROUND_ID"] = round_id
    before = dump_tables(app)
    try:
        upload(app, round_id, raw)
    except QuestionnaireRejected as rejected:
        assert [str(p) for p in rejected.problems] == ["Sheet Arrangements, cell -: not an Excel workbook (.xlsx)"]
    assert dump_tables(app) == before
