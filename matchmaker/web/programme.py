"""The programme dashboard for advisers: requests and their results, funding by year and offer,
savings reported by supported arrangements; charts with the tables of the same figures beside them,
and CSV and Excel downloads of those tables."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, render_template
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from matchmaker.core.money import format_pence, pounds_text
from matchmaker.core.results import SAVINGS_MEASURES
from matchmaker.flask_database import get_session
from matchmaker.ingest.csvfile import escape_cell
from matchmaker.services.programme_figures import programme_figures
from matchmaker.services.programme_tables import FigureTable, figure_tables
from matchmaker.web.charts import BarChart, bar_chart
from matchmaker.web.downloads import XLSX_MIME
from matchmaker.web.moderation import adviser_only

blueprint = Blueprint("programme", __name__, url_prefix="/programme")
SHEETS = {
    "requests_by_status": "Requests by status",
    "requests_by_region": "Requests by region",
    "requests_by_service": "Requests by service",
    "results": "Results",
    "not_pursued": "Not pursued",
    "funding": "Funding",
    "supported_arrangements": "Supported arrangements",
}  # Excel: 31 characters at most
COUNT_SECTIONS = (
    ("requests_by_status", "by_status"),
    ("requests_by_region", "by_region"),
    ("requests_by_service", "by_service"),
)


def _count_chart(title: str, rows: list[dict[str, Any]]) -> BarChart:
    return bar_chart(title, [(r["label"], r["requests"], str(r["requests"])) for r in rows], width=560, label_width=220)


def _funding_chart(rows: list[dict[str, Any]]) -> BarChart:
    return bar_chart(
        "Funding committed by financial year and offer",
        [
            (
                f"{r['financial_year_label']} {r['kind_label'].lower()}",
                r["committed_pence"],
                format_pence(r["committed_pence"], whole=True),
            )
            for r in rows
        ],
        width=640,
        label_width=240,
    )


def _paid_chart(rows: list[dict[str, Any]]) -> BarChart:
    return bar_chart(
        "Funding paid by supported arrangement",
        [(r["name"], r["funding_paid_pence"], format_pence(r["funding_paid_pence"], whole=True)) for r in rows],
        width=640,
        label_width=240,
    )


@blueprint.get("")
@adviser_only
def dashboard():
    figures = programme_figures(get_session())
    tables = {t.name: t for t in figure_tables(figures)}
    requests = figures["requests"]
    charts = {name: _count_chart(tables[name].title, requests[key]) for name, key in COUNT_SECTIONS}
    charts["funding"] = _funding_chart(figures["funding"])
    charts["supported_arrangements"] = _paid_chart(figures["supported_arrangements"]["arrangements"])
    return render_template(
        "programme/dashboard.html",
        figures=figures,
        tables=tables,
        charts=charts,
        count_sections=[name for name, _ in COUNT_SECTIONS],
        measures=SAVINGS_MEASURES,
    )


@blueprint.get("/figures.csv")
@adviser_only
def figures_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "row", "column", "value"])
    for table in figure_tables(programme_figures(get_session())):
        for row in table.rows:
            for index, cell in enumerate(row[1:], start=1):
                writer.writerow(
                    [table.title, escape_cell(str(row[0])), _csv_heading(table, index), _csv_value(table, index, cell)]
                )
    return _attachment(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", "programme-figures.csv")


def _csv_heading(table: FigureTable, index: int) -> str:
    return f"{table.columns[index]} (GBP)" if index in table.money else table.columns[index]


def _csv_value(table: FigureTable, index: int, cell: Any) -> str:
    if cell is None:
        return ""
    if index in table.money:
        return pounds_text(cell)
    return escape_cell(str(cell))


@blueprint.get("/figures.xlsx")
@adviser_only
def figures_xlsx():
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in figure_tables(programme_figures(get_session())):
        sheet = workbook.create_sheet(SHEETS[table.name])
        sheet.append([_csv_heading(table, i) for i in range(len(table.columns))])
        for row in table.rows:
            sheet.append([_xlsx_value(table, i, cell) for i, cell in enumerate(row)])
        for index in table.money:
            for cell in sheet[get_column_letter(index + 1)][1:]:
                cell.number_format = "£#,##0.00"
        for index in range(len(table.columns)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = 40 if index == 0 else 18
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_MIME, "programme-figures.xlsx")


def _xlsx_value(table: FigureTable, index: int, cell: Any) -> Any:
    if cell is None:
        return None
    if index in table.money:
        return Decimal(cell) / 100  # exact pounds from pence
    return escape_cell(cell) if isinstance(cell, str) else cell


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
