"""Lossless text for one database value in a backup CSV cell.

NULL is ``\\N`` (as in PostgreSQL's COPY). A cell whose text starts with a backslash or with a
character a spreadsheet would read as a formula gets one more leading backslash, so opening a
backup in a spreadsheet runs nothing and reading it back gives exactly the stored value.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

from matchmaker.ingest.csvfile import FORMULA_PREFIXES

NULL = "\\N"
ESCAPE = "\\"


def encode(value: Any, column_type: TypeEngine) -> str:
    if value is None:
        return NULL
    text = _to_text(value, column_type)
    if text.startswith((ESCAPE, *FORMULA_PREFIXES)):
        return ESCAPE + text
    return text


def decode(cell: str, column_type: TypeEngine) -> Any:
    if cell == NULL:
        return None
    if cell.startswith(ESCAPE):
        cell = cell[1:]
    return _from_text(cell, column_type)


def _to_text(value: Any, column_type: TypeEngine) -> str:
    if isinstance(column_type, JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(column_type, Boolean):
        return "true" if value else "false"
    if isinstance(column_type, Float):
        return repr(float(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _from_text(text: str, column_type: TypeEngine) -> Any:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, JSON):
        return json.loads(text)
    if isinstance(column_type, Boolean):
        if text not in ("true", "false"):
            raise ValueError(f"not a boolean: {text!r}")
        return text == "true"
    if isinstance(column_type, Float):
        return float(text)
    if isinstance(column_type, Numeric):
        return Decimal(text)
    if isinstance(column_type, Integer):
        return int(text)
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(text)
    if isinstance(column_type, Date):
        return date.fromisoformat(text)
    return text
