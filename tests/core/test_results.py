"""Known answers for match-making results: outcomes, savings reported afterwards, shares, medians."""

from datetime import date
from decimal import Decimal

from matchmaker.core.results import (
    SavingsReport,
    add_savings,
    days_between,
    later_savings,
    median_days,
    outcome,
    share,
    to_pence,
)  # fmt: skip


def test_outcomes_of_finished_requests():
    assert outcome("arrangement_formed", "new", None).label == "Arrangement formed"
    assert outcome("arrangement_formed", "enlarge", None).kind == "enlarged"
    closed = outcome("closed", "new", "timing")
    assert (closed.kind, closed.reason, closed.reason_label) == (
        "not_pursued",
        "timing",
        "Not the right time for the council",
    )
    assert outcome("closed", "new", None).reason == "other"
    assert outcome("triaged", "new", None) is None


def test_only_savings_for_the_year_formed_or_later_are_attributed():
    reports = [
        SavingsReport(2024, "achieved", "annual", Decimal("1000.00")),  # before: not the request's doing
        SavingsReport(2025, "achieved", "annual", Decimal("2500.50")),  # the year it was formed
        SavingsReport(2026, "achieved", "annual", Decimal("3000.00")),
        SavingsReport(2026, "expected", None, Decimal("9999.99")),
        SavingsReport(None, "achieved", "cumulative", Decimal("50000")),  # no year: cannot be placed
    ]
    assert later_savings(reports, 2025) == {"achieved_annual": 550050, "achieved_cumulative": None, "expected": 999999}
    assert later_savings(reports, 2027) == {"achieved_annual": None, "achieved_cumulative": None, "expected": None}


def test_savings_add_within_a_measure_only():
    a = {"achieved_annual": 100, "achieved_cumulative": None, "expected": None}
    b = {"achieved_annual": 1, "achieved_cumulative": None, "expected": 7}
    assert add_savings(a, b) == {"achieved_annual": 101, "achieved_cumulative": None, "expected": 7}


def test_pence_from_pounds_is_exact():
    assert to_pence(Decimal("0.10")) + to_pence(Decimal("0.20")) == 30
    assert to_pence(Decimal("1234567.89")) == 123456789


def test_medians_and_shares():
    assert days_between(date(2026, 3, 31), date(2026, 4, 1)) == 1
    assert median_days([3, 1, 10]) == 3.0
    assert median_days([1, 2, 3, 10]) == 2.5
    assert median_days([]) is None
    assert share(1, 4) == 0.25 and share(0, 0) is None
