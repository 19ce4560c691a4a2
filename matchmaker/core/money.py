"""Programme money: amounts are whole pence (int), never floats; financial years run April to March.

A financial year is named by the calendar year it starts in: 2026 is 1 April 2026 to 31 March 2027,
written "2026-27".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

OFFER_KINDS = (("expert_support", "Expert support"), ("mediation", "Mediation"))
MAX_PENCE = 10**13  # £100bn: anything larger is a typing mistake, not a programme budget
_POUNDS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


class MoneyError(ValueError):
    """An amount that cannot be read or is out of range; the message says what is wrong."""


def financial_year(day: date) -> int:
    """The financial year ``day`` falls in: 31 March 2026 is in 2025, 1 April 2026 in 2026."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of financial year ``year``."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def parse_pounds(text: str | int | None) -> int:
    """Pounds as typed ("£1,250", "99.5", "1250.00") to whole pence, without floats."""
    cleaned = str(text if text is not None else "").strip().replace("£", "").replace(" ", "")
    if not cleaned:
        raise MoneyError("enter an amount in pounds, for example 1250 or 1,250.50")
    if cleaned.startswith("-"):
        raise MoneyError("the amount must not be negative")
    found = _POUNDS.fullmatch(cleaned)
    if found is None:
        raise MoneyError(f"'{text}' is not an amount in pounds: use digits, for example 1250 or 1,250.50")
    pounds, pence = found.group(1).replace(",", ""), (found.group(2) or "0").ljust(2, "0")
    value = int(pounds) * 100 + int(pence)
    if value > MAX_PENCE:
        raise MoneyError("the amount is too large")
    return value


def format_pence(pence: int | None, *, whole: bool = False) -> str:
    """£1,234.56 (or £1,235 when ``whole``); None stays visible as "Not known"."""
    if pence is None:
        return "Not known"
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    if whole:
        return f"{sign}£{pounds + (1 if rest >= 50 else 0):,}"
    return f"{sign}£{pounds:,}.{rest:02d}"


def pounds_text(pence: int) -> str:
    """Pence as a plain decimal string of pounds ("1234.56") for CSV and the API."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{rest:02d}"


def day_rate_amount(days: int, day_rate_pence: int, cap_pence: int | None) -> int:
    """Days x day rate, no more than the cap when there is one."""
    if days <= 0:
        raise MoneyError("the number of days must be at least 1")
    if day_rate_pence <= 0:
        raise MoneyError("the day rate must be more than £0")
    total = days * day_rate_pence
    return min(total, cap_pence) if cap_pence is not None else total


@dataclass(frozen=True)
class Refusal:
    """Why an amount cannot be committed or paid, in words for the person asking."""

    reason: str


def commitment_refusal(
    budget_pence: int | None, committed_pence: int, amount_pence: int, kind_label: str, year: int
) -> Refusal | None:
    """Whether committing ``amount_pence`` keeps the year's commitments within its budget."""
    if budget_pence is None:
        return Refusal(f"no {kind_label.lower()} budget is set for {year_label(year)}: an admin sets it first")
    left = budget_pence - committed_pence
    if amount_pence > left:
        return Refusal(
            f"the {kind_label.lower()} budget for {year_label(year)} has {format_pence(left)} left "
            f"of {format_pence(budget_pence)}; this offer is {format_pence(amount_pence)}"
        )
    return None


def claim_refusal(offer_pence: int, paid_pence: int, claim_pence: int) -> Refusal | None:
    """Whether paying ``claim_pence`` keeps the offer's payments within its amount."""
    if claim_pence <= 0:
        return Refusal("a claim must be more than £0")
    left = offer_pence - paid_pence
    if claim_pence > left:
        return Refusal(
            f"the offer has {format_pence(left)} left to pay of {format_pence(offer_pence)}; "
            f"this claim is {format_pence(claim_pence)}"
        )
    return None
