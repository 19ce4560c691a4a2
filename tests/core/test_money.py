"""Known answers for the programme's money: whole pence, financial years April to March."""

from datetime import date

import pytest

from matchmaker.core.money import (
    MoneyError,
    claim_refusal,
    commitment_refusal,
    day_rate_amount,
    financial_year,
    format_pence,
    parse_pounds,
    pounds_text,
    year_bounds,
    year_label,
)  # fmt: skip


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2027, 3, 31), 2026),
        (date(2026, 1, 1), 2025),
        (date(2026, 12, 31), 2026),
    ],
)
def test_financial_year_turns_on_1_april(day, year):
    assert financial_year(day) == year


def test_year_label_and_bounds():
    assert year_label(2025) == "2025-26"
    assert year_label(2099) == "2099-00"
    assert year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    "typed, pence",
    [
        ("1250", 125000),
        ("£1,250", 125000),
        ("1,250.5", 125050),
        ("0.01", 1),
        ("99.99", 9999),
        ("  £ 12 000.10 ", 1200010),
        (400, 40000),
    ],
)
def test_pounds_typed_become_exact_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize(
    "typed, words",
    [
        ("", "enter an amount"),
        ("-5", "negative"),
        ("1.234", "not an amount"),
        ("12,34", "not an amount"),
        ("1e5", "not an amount"),
        ("10000000000000", "too large"),
    ],
)
def test_bad_amounts_say_what_is_wrong(typed, words):
    with pytest.raises(MoneyError, match=words):
        parse_pounds(typed)


def test_point_one_plus_point_two_is_exact():
    # the classic float trap: 0.1 + 0.2 != 0.3 in binary floating point; in pence it is exact
    assert parse_pounds("0.10") + parse_pounds("0.20") == parse_pounds("0.30") == 30


def test_formatting():
    assert format_pence(123456) == "£1,234.56"
    assert format_pence(5) == "£0.05"
    assert format_pence(-150) == "-£1.50"
    assert format_pence(123450, whole=True) == "£1,235"
    assert format_pence(None) == "Not known"
    assert pounds_text(100001) == "1000.01"


def test_days_times_day_rate_with_cap():
    assert day_rate_amount(12, 45000, None) == 540000
    assert day_rate_amount(12, 45000, 500000) == 500000
    assert day_rate_amount(3, 33333, 100000) == 99999
    with pytest.raises(MoneyError):
        day_rate_amount(0, 45000, None)


def test_commitment_within_and_beyond_budget():
    assert commitment_refusal(1000000, 600000, 400000, "Mediation", 2025) is None
    refusal = commitment_refusal(1000000, 600000, 400001, "Mediation", 2025)
    assert refusal.reason == (
        "the mediation budget for 2025-26 has £4,000.00 left of £10,000.00; this offer is £4,000.01"
    )
    assert "no mediation budget is set for 2026-27" in commitment_refusal(None, 0, 1, "Mediation", 2026).reason


def test_claims_never_beyond_the_offer():
    assert claim_refusal(500000, 499999, 1) is None
    assert claim_refusal(500000, 500000, 1).reason == (
        "the offer has £0.00 left to pay of £5,000.00; this claim is £0.01"
    )
    assert claim_refusal(500000, 0, 0).reason == "a claim must be more than £0"


def test_year_end_commitments_split_across_the_boundary():
    """Offers made on 31 March and 1 April charge different years' budgets."""
    offers = [(date(2026, 3, 31), 250000), (date(2026, 4, 1), 100000), (date(2026, 3, 1), 50001)]
    by_year: dict[int, int] = {}
    for day, pence in offers:
        by_year[financial_year(day)] = by_year.get(financial_year(day), 0) + pence
    assert by_year == {2025: 300001, 2026: 100000}
    assert commitment_refusal(300000, by_year[2025] - 50001, 50001, "Expert support", 2025) is not None
