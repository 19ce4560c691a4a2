"""What match-making achieved: a finished request's outcome, savings reported after it, and the
programme's summary arithmetic (shares and medians). Plain data in, plain data out.

Savings figures keep their measure (achieved a year, achieved in total, expected), decided as the
statistics page decides it, and are never added across measures. Amounts are whole pence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

NOT_PURSUED_REASONS = (
    ("no_partner_found", "No suitable partner was found"),
    ("council_withdrew", "The council withdrew the request"),
    ("political_change", "Political or leadership change"),
    ("costs_outweigh_savings", "The costs outweighed the expected savings"),
    ("timing", "Not the right time for the council"),
    ("other", "Another reason (see the closing note)"),
)
REASON_LABELS = dict(NOT_PURSUED_REASONS)
SAVINGS_MEASURES = (
    ("achieved_annual", "Achieved a year"),
    ("achieved_cumulative", "Achieved in total"),
    ("expected", "Expected"),
)
OUTCOME_LABELS = {"formed": "Arrangement formed", "enlarged": "Arrangement enlarged", "not_pursued": "Not pursued"}


@dataclass(frozen=True)
class Outcome:
    """How a finished request ended: ``kind`` is formed, enlarged or not_pursued."""

    kind: str
    label: str
    reason: str | None = None
    reason_label: str | None = None


def outcome(status: str, request_kind: str, not_pursued_reason: str | None) -> Outcome | None:
    """None while the request is open."""
    if status == "arrangement_formed":
        kind = "enlarged" if request_kind == "enlarge" else "formed"
        return Outcome(kind, OUTCOME_LABELS[kind])
    if status == "closed":
        reason = not_pursued_reason if not_pursued_reason in REASON_LABELS else "other"
        return Outcome("not_pursued", OUTCOME_LABELS["not_pursued"], reason, REASON_LABELS[reason])
    return None


def savings_measure(kind: str, period: str | None) -> str:
    if kind == "expected":
        return "expected"
    return "achieved_cumulative" if period == "cumulative" else "achieved_annual"


@dataclass(frozen=True)
class SavingsReport:
    financial_year: int | None
    kind: str
    period: str | None
    amount_gbp: Decimal


def to_pence(amount_gbp: Decimal) -> int:
    return int((Decimal(amount_gbp) * 100).to_integral_value())


def later_savings(reports: Iterable[SavingsReport], since_year: int) -> dict[str, int | None]:
    """Savings reported for financial year ``since_year`` or later, in pence by measure; None for
    a measure with no such report (missing is not zero). Reports without a year cannot be placed
    after the request, so they are left out."""
    totals: dict[str, int | None] = {measure: None for measure, _ in SAVINGS_MEASURES}
    for report in reports:
        if report.financial_year is None or report.financial_year < since_year:
            continue
        measure = savings_measure(report.kind, report.period)
        totals[measure] = (totals[measure] or 0) + to_pence(report.amount_gbp)
    return totals


def add_savings(total: dict[str, int | None], more: dict[str, int | None]) -> dict[str, int | None]:
    """Sum two sets of savings measure by measure (never across measures)."""
    return {
        m: (None if total.get(m) is None and more.get(m) is None else (total.get(m) or 0) + (more.get(m) or 0))
        for m, _ in SAVINGS_MEASURES
    }


def days_between(start: date, end: date) -> int:
    return (end - start).days


def median_days(durations: Iterable[int]) -> float | None:
    values = list(durations)
    return float(median(values)) if values else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
