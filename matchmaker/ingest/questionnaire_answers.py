"""Reading a returned questionnaire: every answer checked, problems named by cell.

``read_answers`` (the Excel workbook) and ``form_answers`` (the same questions answered in the web
form) return one ``Answer`` per arrangement the council answered, or raise QuestionnaireRejected
listing every bad answer (e.g. "Sheet Arrangements, cell O7: ..."). Both apply the same rules:
savings and corrections are checked with the submission rules, which are the import rules.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement
from matchmaker.ingest.csvfile import unescape_cell
from matchmaker.ingest.questionnaire import (
    ABOUT,
    ABOUT_CODE_CELL,
    ANSWERS,
    ARRANGEMENTS,
    COLUMNS,
    FIRST_ROW,
    LETTER,
    QuestionnaireRow,
)  # fmt: skip
from matchmaker.ingest.submission_rules import (
    InvalidSubmission,
    check_correction,
    check_savings_update,
)
from matchmaker.ingest.workbook_safety import UnsafeWorkbook, check_workbook

MAX_BYTES = 5_000_000
MAX_ROWS = 2000
CORRECTION_CELLS = {
    "status": "correct_status",
    "end_year": "correct_end_year",
    "note": "correction_note",
}
SAVINGS_CELLS = {
    "amount_gbp": "savings_gbp",
    "kind": "savings_kind",
    "financial_year": "savings_year",
}


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    cell: str
    message: str
    key: str | None = field(default=None, compare=False)  # the answer column, for the web form
    row: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"Sheet {self.sheet}, cell {self.cell}: {self.message}"


class QuestionnaireRejected(Exception):
    """Nothing was stored; ``problems`` names every bad cell."""

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Answer:
    arrangement: Arrangement
    row: int
    confirmed: bool = False
    correction: dict | None = None
    savings: dict | None = None
    note: str | None = None
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def given(self) -> bool:
        return bool(self.confirmed or self.correction or self.savings or self.note)


def read_answers(session: Session, raw: bytes, council_code: str, rows: list[QuestionnaireRow]) -> list[Answer]:
    sheet = _open(raw, council_code)
    if sheet.max_row > FIRST_ROW + MAX_ROWS:
        raise QuestionnaireRejected(
            [CellProblem(ARRANGEMENTS, f"A{FIRST_ROW + MAX_ROWS + 1}", f"more than {MAX_ROWS} rows")]
        )
    problems = _formula_cells(sheet) + _header_problems(sheet)
    if problems:
        raise QuestionnaireRejected(problems)
    known = {r.arrangement.public_id: r.arrangement for r in rows}
    answers, seen = [], {}
    for number in range(FIRST_ROW, sheet.max_row + 1):
        values = {key: _text(sheet[f"{LETTER[key]}{number}"].value) for key, _ in COLUMNS}
        if not any(values[key] for key in ("arrangement_id", *[k for k, _ in ANSWERS])):
            continue
        public_id = values["arrangement_id"]
        where = f"{LETTER['arrangement_id']}{number}"
        if public_id not in known:
            problems.append(
                CellProblem(ARRANGEMENTS, where, f"{public_id!r} is not one of this council's arrangements")
            )
            continue
        if public_id in seen:
            problems.append(
                CellProblem(
                    ARRANGEMENTS,
                    where,
                    f"{public_id} is listed twice (first on row {seen[public_id]})",
                )
            )
            continue
        seen[public_id] = number
        answers.append(_answer(session, known[public_id], number, values))
        problems.extend(answers[-1].problems)
    return _verdict(answers, problems)


def form_field(key: str, public_id: str) -> str:
    """The web form's name for one answer about one arrangement, e.g. ``savings_gbp-R004``."""
    return f"{key}-{public_id}"


def form_answers(session: Session, rows: list[QuestionnaireRow], form: Mapping[str, str]) -> list[Answer]:
    """The web form's answers, row by row as in the workbook the council could download."""
    answers, problems = [], []
    for number, row in enumerate(rows, start=FIRST_ROW):
        public_id = row.arrangement.public_id
        values = {key: str(form.get(form_field(key, public_id), "")).strip() for key, _ in ANSWERS}
        answers.append(_answer(session, row.arrangement, number, values))
        problems.extend(answers[-1].problems)
    return _verdict(answers, problems)


def _verdict(answers: list[Answer], problems: list[CellProblem]) -> list[Answer]:
    """The answers given, or QuestionnaireRejected with every problem when there is any."""
    if problems:
        raise QuestionnaireRejected(problems)
    return [answer for answer in answers if answer.given]


def _open(raw: bytes, council_code: str):
    if len(raw) > MAX_BYTES:
        raise QuestionnaireRejected([CellProblem(ARRANGEMENTS, "-", f"file larger than {MAX_BYTES} bytes")])
    try:
        check_workbook(raw)
    except UnsafeWorkbook as unsafe:
        raise QuestionnaireRejected([CellProblem(ARRANGEMENTS, "-", str(unsafe))]) from None
    try:
        workbook = load_workbook(io.BytesIO(raw), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise QuestionnaireRejected([CellProblem(ARRANGEMENTS, "-", "not an Excel workbook (.xlsx)")]) from None
    for name in (ABOUT, ARRANGEMENTS):
        if name not in workbook.sheetnames:
            raise QuestionnaireRejected([CellProblem(name, "-", "sheet is missing")])
    code = _text(workbook[ABOUT][ABOUT_CODE_CELL].value)
    if code != council_code:
        raise QuestionnaireRejected(
            [
                CellProblem(
                    ABOUT,
                    ABOUT_CODE_CELL,
                    f"this questionnaire is for {code!r}, not {council_code}",
                )
            ]
        )
    return workbook[ARRANGEMENTS]


def _formula_cells(sheet) -> list[CellProblem]:
    return [
        CellProblem(ARRANGEMENTS, cell.coordinate, "formulas are not accepted: type the value itself")
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _header_problems(sheet) -> list[CellProblem]:
    return [
        CellProblem(
            ARRANGEMENTS,
            f"{LETTER[key]}1",
            f"expected the heading {label!r}; use the questionnaire as downloaded",
        )
        for key, label in COLUMNS
        if _text(sheet[f"{LETTER[key]}1"].value) != label
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return unescape_cell(str(value).strip())


def _answer(session: Session, arrangement: Arrangement, number: int, values: dict[str, str]) -> Answer:
    answer = Answer(arrangement, number)
    confirm = values["confirm"].lower()
    if confirm not in ("", "yes", "no"):
        answer.problems.append(_cell("confirm", number, f"write yes or no, not {values['confirm']!r}"))
    answer.confirmed = confirm == "yes"
    wanted = {"status": values["correct_status"], "end_year": values["correct_end_year"]}
    wanted = {k: v for k, v in wanted.items() if v}
    if wanted:
        if answer.confirmed:
            answer.problems.append(_cell("confirm", number, "confirmed as correct, but a correction is given"))
        data = {**wanted, "note": values["correction_note"]}
        answer.correction = _checked(
            answer,
            CORRECTION_CELLS,
            number,
            lambda: check_correction(session, arrangement, data) and data,
        )
    elif values["correction_note"]:
        answer.note = values["correction_note"][:5000]
    if any(values[c] for c in SAVINGS_CELLS.values()):
        data = {key: values[cell] for key, cell in SAVINGS_CELLS.items()}
        answer.savings = _checked(answer, SAVINGS_CELLS, number, lambda: check_savings_update(data) and data)
    return answer


def _checked(answer: Answer, cells: dict[str, str], number: int, check):
    try:
        return check()
    except InvalidSubmission as invalid:
        for problem in invalid.problems:
            key = cells.get(problem.column or "", next(iter(cells.values())))
            answer.problems.append(_cell(key, number, problem.message))
        return None


def _cell(key: str, number: int, message: str) -> CellProblem:
    return CellProblem(ARRANGEMENTS, f"{LETTER[key]}{number}", message, key, number)
