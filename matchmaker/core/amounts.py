"""Amounts of money as people write them: "250000", "250,000", "£1.2m", "1.2 million", "£40k".

Exponents ("1e9"), negatives, and anything that is not plainly an amount are refused, so a
typing slip never becomes £1bn. Results are exact Decimals in pounds, to the penny.
"""

from __future__ import annotations

import re
from decimal import Decimal

MULTIPLIERS = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
LIMIT = Decimal("1e13")  # £10 trillion: larger is a mistake, not a council's savings
_AMOUNT = re.compile(
    r"£?\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?\s*(?P<unit>k|m|bn|thousand|million|billion)?"
)


class AmountError(ValueError):
    """Not an amount of money; the message says why, for the person who typed it."""


def parse_amount(text: str) -> Decimal:
    cleaned = " ".join(str(text).strip().lower().replace("gbp", "").split())
    if cleaned.startswith(("-", "£-", "−", "(")):
        raise AmountError("must not be negative")
    found = _AMOUNT.fullmatch(cleaned)
    if found is None:
        raise AmountError("is not an amount in pounds")
    number = Decimal(found["number"].replace(",", "") + (found["fraction"] or ""))
    amount = number * MULTIPLIERS[found["unit"] or ""]
    if amount >= LIMIT:
        raise AmountError("is too large")
    return amount.quantize(Decimal("0.01"))
