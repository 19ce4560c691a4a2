"""Backup cells: every value reads back exactly, and nothing reads as a spreadsheet formula."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, Text

from matchmaker.ingest.backup_cells import decode, encode
from matchmaker.ingest.csvfile import FORMULA_PREFIXES

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(st.one_of(st.none(), st.text()))
def test_text_round_trips_and_never_starts_like_a_formula(value):
    cell = encode(value, Text())
    assert decode(cell, Text()) == value
    assert not cell.startswith(FORMULA_PREFIXES)


def test_null_and_the_text_of_the_null_marker_differ():
    assert encode(None, String()) != encode("\\N", String())
    assert decode(encode("\\N", String()), String()) == "\\N"
    assert encode('=HYPERLINK("http://x","y")', String()) == '\\=HYPERLINK("http://x","y")'


@given(json_values)
def test_json_round_trips(value):
    assert decode(encode(value, JSON()), JSON()) == value


@given(st.floats(allow_nan=False))
def test_floats_round_trip_exactly(value):
    assert decode(encode(value, Float()), Float()) == value


def test_typed_values_round_trip():
    cases = [
        (Integer(), -42),
        (Boolean(), True),
        (Boolean(), False),
        (Numeric(16, 2), Decimal("-1234567.89")),
        (Date(), date(2019, 4, 1)),
        (DateTime(timezone=True), datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)),
        (DateTime(), datetime(2020, 1, 2, 3, 4, 5)),
    ]
    for column_type, value in cases:
        assert decode(encode(value, column_type), column_type) == value
