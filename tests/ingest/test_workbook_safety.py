"""Hostile workbooks, made here from the council's real questionnaire: decompression bombs, a
flood of cells, billion laughs, XXE and broken XML are refused with a named reason before any
spreadsheet reader opens them, and nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest

from matchmaker.flask_database import get_database
from matchmaker.ingest.workbook_safety import (
    MAX_CELLS,
    MAX_PARTS,
    MAX_UNPACKED_BYTES,
    UnsafeWorkbook,
    check_workbook,
)
from matchmaker.services import refresh
from tests.support.dumps import dump_tables
from tests.support.pages import OFFICER, sign_in, text
from tests.support.refresh import adviser, upload_page

SHEET = "xl/worksheets/sheet2.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rebuilt(raw: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same workbook zip with some parts replaced or added (deflated, as Excel does)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part.filename, (replace or {}).get(part.filename, source.read(part)))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def huge_cell(raw: bytes) -> bytes:
    """A one-cell sheet whose inline string unpacks past the limit: a small upload, a big worker."""
    text_bytes = b"A" * (MAX_UNPACKED_BYTES + 1)
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>'.encode()
        + text_bytes
        + b"</t></is></c></row></sheetData></worksheet>"
    )
    return rebuilt(raw, replace={SHEET: sheet})


def many_cells(raw: bytes) -> bytes:
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFGHIJ") + "</row>"
        for r in range(2, MAX_CELLS // 10 + 3)
    )
    return rebuilt(
        raw, replace={SHEET: f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()}
    )


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode() for n in range(1, 10)
    )
    + f']><worksheet xmlns="{MAIN}"><sheetData><row r="2"><c r="A2" t="inlineStr">'.encode()
    + b"<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + f'<worksheet xmlns="{MAIN}"><sheetData><row r="2"><c r="A2" t="inlineStr">'.encode()
    + b"<is><t>&xxe;</t></is></c></row></sheetData></worksheet>"
)
MALFORMED = f'<worksheet xmlns="{MAIN}"><sheetData><row r="2"><c r="A2">'.encode()


def hostile(raw: bytes) -> dict[str, tuple[bytes, str]]:
    return {
        "decompression bomb": (huge_cell(raw), f"more than the {MAX_UNPACKED_BYTES:,} allowed"),
        "cell flood": (many_cells(raw), f"more than {MAX_CELLS:,} cells"),
        "billion laughs": (
            rebuilt(raw, replace={SHEET: BILLION_LAUGHS}),
            f"{SHEET} declares a DTD, entities or outside references",
        ),
        "XXE": (rebuilt(raw, replace={SHEET: XXE}), f"{SHEET} declares a DTD, entities or outside references"),
        "malformed XML": (rebuilt(raw, replace={SHEET: MALFORMED}), f"{SHEET} is not well-formed XML"),
        "too many parts": (
            rebuilt(raw, add={f"xl/extra{n}.bin": b"" for n in range(MAX_PARTS)}),
            f"more than {MAX_PARTS}",
        ),
        "not a zip": (b"PK\x03\x04 but not really", "not an Excel workbook (.xlsx)"),
    }


@pytest.fixture
def officer_with_questionnaire(app, client):
    with get_database(app).transaction() as session:
        refresh.open_round(session, adviser(session), 2025)
    sign_in(client, OFFICER)
    raw = client.get("/refresh/2025/questionnaires/E07000223.xlsx").data
    assert raw[:2] == b"PK"
    return client, raw


def test_the_real_questionnaire_passes_the_checks(officer_with_questionnaire):
    _, raw = officer_with_questionnaire
    check_workbook(raw)
    assert SHEET in zipfile.ZipFile(io.BytesIO(raw)).namelist()  # the sheet the attacks replace


def test_hostile_workbooks_are_refused_with_a_named_reason_and_nothing_stored(app, officer_with_questionnaire):
    client, raw = officer_with_questionnaire
    before = dump_tables(app)
    for name, (workbook, reason) in hostile(raw).items():
        assert len(workbook) < 2_000_000, name  # small uploads, each under the upload size limit
        with pytest.raises(UnsafeWorkbook, match=reason.replace("(", r"\(").replace(")", r"\)")):
            check_workbook(workbook)
        page = upload_page(client, workbook)
        assert page.status_code == 400, name
        shown = text(page).replace("&#39;", "'")
        assert "Sheet Arrangements, cell -: " in shown and reason in shown, name
    assert dump_tables(app) == before
