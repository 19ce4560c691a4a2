"""Field parsers that record a Problem instead of raising, so one pass reports everything."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from matchmaker.core.amounts import AmountError, parse_amount
from matchmaker.ingest.csvfile import Row
from matchmaker.ingest.problems import Problem

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
# Generated organisations (scale tests) carry X codes, which no real body has; only rows
# flagged synthetic may use them.
SYNTHETIC_CODE = re.compile(r"^X\d{8}$")
MIN_YEAR, MAX_YEAR = 1900, 2100
# What a source must start with (cells arrive stripped); the API documents this same rule.
WEB_ADDRESS = re.compile(r"https?://")


class RowChecker:
    """Parses the cells of one row, collecting a Problem per bad cell."""

    def __init__(self, label: str, row: Row, problems: list[Problem], synthetic_codes: bool = False) -> None:
        self.label = label
        self.row = row
        self.problems = problems
        self.synthetic_codes = synthetic_codes

    def fail(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.label, self.row.number, column, message))

    def text(self, column: str, required: bool = False, max_length: int = 1000) -> str | None:
        value = self.row.values.get(column, "")
        if not value:
            if required:
                self.fail(column, "is required")
            return None
        if len(value) > max_length:
            self.fail(column, f"longer than {max_length} characters")
            return None
        return value

    def year(self, column: str) -> int | None:
        value = self.row.values.get(column, "")
        if not value:
            return None
        if not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
            self.fail(column, f"bad year {value!r} (expected four digits, {MIN_YEAR}-{MAX_YEAR})")
            return None
        return int(value)

    def integer(self, column: str, minimum: int = 0) -> int | None:
        value = self.row.values.get(column, "")
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            self.fail(column, f"not a whole number: {value!r}")
            return None
        if number < minimum:
            self.fail(column, f"must be at least {minimum}: {value!r}")
            return None
        return number

    def number(self, column: str, low: float, high: float) -> float | None:
        value = self.row.values.get(column, "")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(column, f"not a number: {value!r}")
            return None
        if not low <= number <= high:
            self.fail(column, f"out of range {low}..{high}: {value!r}")
            return None
        return number

    def money(self, column: str) -> Decimal | None:
        value = self.row.values.get(column, "")
        if not value:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            wrong = "not an amount in pounds" if "not an amount" in str(error) else "amount out of range"
            self.fail(column, f"{wrong}: {value!r}")
            return None

    def day(self, column: str) -> date | None:
        value = self.row.values.get(column, "")
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, f"bad date {value!r} (expected YYYY-MM-DD)")
            return None

    def choice(self, column: str, allowed: tuple[str, ...], required: bool = False) -> str | None:
        value = self.row.values.get(column, "")
        if not value:
            if required:
                self.fail(column, f"is required (one of: {', '.join(allowed)})")
            return None
        if value not in allowed:
            self.fail(column, f"{value!r} is not one of: {', '.join(allowed)}")
            return None
        return value

    def codes(self, column: str, required: bool = False) -> list[str]:
        value = self.row.values.get(column, "")
        items = [item.strip() for item in value.split(";") if item.strip()]
        if not items and required:
            self.fail(column, "is required")
        bad = [item for item in items if not self._code_allowed(item)]
        for item in bad:
            self.fail(column, f"malformed GSS code {item!r}")
        duplicates = {item for item in items if items.count(item) > 1}
        for item in sorted(duplicates):
            self.fail(column, f"GSS code {item!r} listed twice")
        return [item for item in dict.fromkeys(items) if item not in bad]

    def _code_allowed(self, code: str) -> bool:
        return bool(GSS_CODE.match(code) or (self.synthetic_codes and SYNTHETIC_CODE.match(code)))

    def url(self, column: str) -> str | None:
        url = self.text(column, max_length=1000)
        if url and not WEB_ADDRESS.match(url):
            self.fail(column, f"not a web address: {url!r}")
            return None
        return url

    def flag(self, column: str) -> bool:
        """An optional true/false column; empty or absent is false."""
        value = self.row.values.get(column, "").lower()
        if value not in ("", "true", "false"):
            self.fail(column, f"{value!r} is not true or false")
        return value == "true"

    def slugs(self, column: str, known: set[str]) -> list[str]:
        value = self.row.values.get(column, "")
        items = list(dict.fromkeys(i.strip() for i in value.split(";") if i.strip()))
        if not items:
            self.fail(column, "is required")
        for item in items:
            if item not in known:
                self.fail(column, f"unknown service slug {item!r}")
        return [item for item in items if item in known]
