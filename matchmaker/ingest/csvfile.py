"""Reading CSV files strictly: UTF-8, the expected header, one problem list for everything."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from matchmaker.ingest.problems import ImportRejected, Problem

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_LENGTH = 10_000
# Never valid in a cell: PostgreSQL cannot store NUL and Excel refuses the rest. Tab and line
# breaks are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


def read_rows(path: Path | str, required: tuple[str, ...], label: str | None = None) -> list[Row]:
    """Read every row or raise ImportRejected naming what is wrong. Rows are numbered as a
    spreadsheet shows them: the header is row 1."""
    path = Path(path)
    label = label or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRejected([Problem(label, None, None, f"cannot read file: {exc.strerror}")])
    return parse_rows(raw, required, label)


def parse_rows(raw: bytes, required: tuple[str, ...], label: str) -> list[Row]:
    text = _decode(raw, label)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([Problem(label, None, None, "the file is empty")])
    except csv.Error as exc:
        raise ImportRejected([Problem(label, 1, None, f"not a valid CSV header: {exc}")])
    header = [h.strip() for h in header]
    _check_header(header, required, label)
    return list(_rows(reader, header, label))


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                Problem(
                    label,
                    line,
                    None,
                    f"wrong encoding: byte 0x{raw[exc.start]:02x} is not UTF-8 (save the file as CSV UTF-8)",
                )
            ]
        ) from None


def _check_header(header: list[str], required: tuple[str, ...], label: str) -> None:
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(label, 1, name, "duplicated column"))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(label, 1, name, "missing column"))
    if problems:
        raise ImportRejected(problems)


def _rows(reader, header: list[str], label: str) -> Iterator[Row]:
    problems: list[Problem] = []
    number = 1
    try:
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                problems.append(Problem(label, number, None, f"{len(cells)} cells but {len(header)} columns"))
                continue
            cells = cells + [""] * (len(header) - len(cells))
            values = {}
            for name, cell in zip(header, cells):
                if len(cell) > MAX_CELL_LENGTH:
                    problems.append(Problem(label, number, name, f"cell longer than {MAX_CELL_LENGTH} characters"))
                control = CONTROL_CHARACTERS.search(cell)
                if control:
                    problems.append(
                        Problem(
                            label,
                            number,
                            name,
                            f"contains a control character (U+{ord(control.group()):04X}); remove it",
                        )
                    )
                values[name] = unescape_cell(cell.strip())
            yield Row(number, values)
    except csv.Error as exc:
        problems.append(Problem(label, number + 1, None, f"malformed CSV: {exc}"))
    if problems:
        raise ImportRejected(problems)


def escape_cell(value: str) -> str:
    """Neutralise spreadsheet formulas in exports (a leading quote keeps the text as text) and
    drop control characters, which a spreadsheet cannot hold."""
    value = CONTROL_CHARACTERS.sub("", value) if value else value
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
