"""Downloads of the map's arrangements as CSV (the import format) and Excel.

Both go through the export module's rows and formula neutralising, so a cell that starts with
=, +, - or @ is written as text in either format.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from matchmaker.flask_database import get_session
from matchmaker.ingest.arrangements_csv import EXPORT_COLUMNS
from matchmaker.ingest.csvfile import escape_cell
from matchmaker.ingest.export import arrangement_row, write_arrangements_csv
from matchmaker.web.map import chosen_filter
from matchmaker.web.map_data import filtered_arrangements

blueprint = Blueprint("downloads", __name__, url_prefix="/map")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blueprint.get("/arrangements.csv")
def csv():
    arrangements = filtered_arrangements(get_session(), chosen_filter())
    buffer = io.StringIO()
    write_arrangements_csv(arrangements, buffer)
    return _attachment(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", "shared-service-arrangements.csv")


@blueprint.get("/arrangements.xlsx")
def xlsx():
    arrangements = filtered_arrangements(get_session(), chosen_filter())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Arrangements"
    sheet.append(list(EXPORT_COLUMNS))
    for arrangement in arrangements:
        row = arrangement_row(arrangement)
        sheet.append([_cell(row[column]) for column in EXPORT_COLUMNS])
    for index, width in enumerate((14, 50, 30, 40, 30, 10, 10, 14, 14, 14, 30, 50, 80), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_MIME, "shared-service-arrangements.xlsx")


def _cell(value: str) -> str | int:
    """Years and amounts stay numbers; all text is neutralised and stored as text."""
    if value.isdigit() and len(value) < 16:
        return int(value)
    return escape_cell(value)


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    # content_type is sent as given; mimetype would have a second charset appended to text types.
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache"
    return response
