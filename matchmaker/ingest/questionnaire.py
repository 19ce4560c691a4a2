"""The annual refresh questionnaire for one council, as an Excel workbook (openpyxl).

Sheet "About" says whose questionnaire it is; sheet "Arrangements" lists the council's
arrangements, one a row, with what we hold (grey), what is missing (highlighted) and columns for
the council's answers. Text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, Contact, Organisation
from matchmaker.db.repositories.reference import arrangements_of
from matchmaker.ingest.csvfile import escape_cell

ABOUT, ARRANGEMENTS = "About", "Arrangements"
GIVEN = (
    ("arrangement_id", "Arrangement"), ("name", "Name"), ("partners", "Partners"),
    ("services", "Services"), ("status", "Status"), ("start_year", "Start year"),
    ("end_year", "End year"), ("savings_on_record", "Savings on record"),
    ("contact_on_record", "Contact on record"), ("missing", "Missing"),
)  # fmt: skip
ANSWERS = (
    ("confirm", "Confirm as correct (yes/no)"), ("correct_status", "Correct status"),
    ("correct_end_year", "Correct end year"), ("correction_note", "What else is wrong"),
    ("savings_gbp", "Savings figure (£)"), ("savings_kind", "Savings kind (achieved/expected)"),
    ("savings_year", "Financial year (starting year, e.g. 2024)"),
)  # fmt: skip
COLUMNS = GIVEN + ANSWERS
LETTER = {key: get_column_letter(i) for i, (key, _label) in enumerate(COLUMNS, start=1)}
FIRST_ROW = 2
ABOUT_CODE_CELL, ABOUT_YEAR_CELL = "B2", "B3"

GAP_COLUMNS = (
    ("savings figure", "savings_on_record"),
    ("contact", "contact_on_record"),
    ("end year", "end_year"),
)  # fmt: skip
GIVEN_FILL = PatternFill("solid", fgColor="EEEEEE")
MISSING_FILL = PatternFill("solid", fgColor="FFDD00")


@dataclass
class QuestionnaireRow:
    arrangement: Arrangement
    has_contact: bool

    @property
    def missing(self) -> list[str]:
        gaps = []
        if not self.arrangement.savings:
            gaps.append("savings figure")
        if not self.has_contact:
            gaps.append("contact")
        if self.arrangement.status == "ended" and self.arrangement.end_year is None:
            gaps.append("end year")
        return gaps

    @property
    def missing_columns(self) -> set[str]:
        return {key for gap, key in GAP_COLUMNS if gap in self.missing}

    @property
    def given(self) -> dict[str, object]:
        """What we hold, by column key, as the workbook shows it."""
        return dict(zip((key for key, _label in GIVEN), _given(self)))


def council_rows(session: Session, organisation: Organisation) -> list[QuestionnaireRow]:
    arrangements = arrangements_of(session, organisation)
    with_contact = set(
        session.scalars(select(Contact.arrangement_id).where(Contact.arrangement_id.in_([a.id for a in arrangements])))
    )
    return [QuestionnaireRow(a, a.id in with_contact) for a in arrangements]


def questionnaire_bytes(session: Session, organisation: Organisation, round_year: int) -> bytes:
    workbook = Workbook()
    _about(workbook.active, organisation, round_year)
    _arrangements(workbook.create_sheet(ARRANGEMENTS), council_rows(session, organisation))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _about(sheet, organisation: Organisation, round_year: int) -> None:
    sheet.title = ABOUT
    rows = [
        ("Council", organisation.name),
        ("GSS code", organisation.gss_code),
        ("Refresh round", round_year),
        (
            "How to answer",
            "On the Arrangements sheet, for each row: write yes under 'Confirm as "
            "correct' if it is right; otherwise give the correct status or end year, or say "
            "what else is wrong. Add a savings figure where one is missing (yellow). Leave "
            "grey columns as they are.",
        ),
    ]
    for row in rows:
        sheet.append([_safe(value) for value in row])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 100
    sheet["B4"].alignment = Alignment(wrap_text=True)


def _arrangements(sheet, rows: list[QuestionnaireRow]) -> None:
    sheet.append([label for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(value) for value in _given(row)] + [None] * len(ANSWERS))
        number = sheet.max_row
        for key, _label in GIVEN:
            sheet[f"{LETTER[key]}{number}"].fill = GIVEN_FILL
        for key in row.missing_columns:
            sheet[f"{LETTER[key]}{number}"].fill = MISSING_FILL
    for key, _label in COLUMNS:
        sheet.column_dimensions[LETTER[key]].width = 22
    sheet.freeze_panes = "B2"
    _dropdowns(sheet, max(sheet.max_row, FIRST_ROW))


def _given(row: QuestionnaireRow) -> list[object]:
    a = row.arrangement
    return [
        a.public_id,
        a.name,
        "; ".join(m.organisation.display_name for m in a.members),
        "; ".join(s.name for s in a.services),
        a.status,
        a.start_year,
        a.end_year,
        "; ".join(_savings_text(r) for r in a.savings) or "none",
        "yes" if row.has_contact else "no",
        ", ".join(row.missing),
    ]


def _savings_text(record) -> str:
    year = f" {record.financial_year}/{str(record.financial_year + 1)[-2:]}" if record.financial_year else ""
    period = f" {record.period}" if record.period else ""
    amount = Decimal(record.amount_gbp)
    pounds = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"£{pounds} {record.kind}{period}{year}"


def _dropdowns(sheet, last_row: int) -> None:
    for key, options in (
        ("confirm", "yes,no"),
        ("correct_status", "operational,in_development,ended"),
        ("savings_kind", "achieved,expected"),
    ):
        validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        validation.add(f"{LETTER[key]}{FIRST_ROW}:{LETTER[key]}{last_row}")
        sheet.add_data_validation(validation)


def _safe(value: object) -> object:
    """Text that would run as a formula gets a leading quote; numbers stay numbers."""
    return escape_cell(value) if isinstance(value, str) else value
