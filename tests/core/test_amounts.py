"""Amounts as people write them: known answers, and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from matchmaker.core.amounts import AmountError, parse_amount


@pytest.mark.parametrize(
    "text, pounds",
    [
        ("250000", "250000.00"),
        ("250,000", "250000.00"),
        ("£250,000", "250000.00"),
        ("£1.2m", "1200000.00"),
        ("1.2 million", "1200000.00"),
        ("1.2 Million", "1200000.00"),
        ("£40k", "40000.00"),
        ("3 thousand", "3000.00"),
        ("£1.5bn", "1500000000.00"),
        (" 99.5 ", "99.50"),
        ("0", "0.00"),
        ("GBP 12", "12.00"),
    ],
)
def test_amounts_people_write_are_read_exactly(text, pounds):
    assert parse_amount(text) == Decimal(pounds)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1e9", "is not an amount in pounds"),
        ("1E9", "is not an amount in pounds"),
        ("-5", "must not be negative"),
        ("£-5", "must not be negative"),
        ("(500)", "must not be negative"),
        ("lots", "is not an amount in pounds"),
        ("12,34", "is not an amount in pounds"),
        ("1.2.3", "is not an amount in pounds"),
        ("inf", "is not an amount in pounds"),
        ("NaN", "is not an amount in pounds"),
        ("", "is not an amount in pounds"),
        ("£20,000bn", "is too large"),
    ],
)
def test_anything_else_is_refused_with_a_reason(text, reason):
    with pytest.raises(AmountError, match=reason):
        parse_amount(text)
