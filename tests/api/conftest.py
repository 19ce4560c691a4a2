"""API fixtures: the bundled data read straight from data/, so that expected answers do not come
from the code under test."""

from __future__ import annotations

import pytest

from tests.support.bundled import read_csv


@pytest.fixture(scope="session")
def bundled_councils() -> list[dict[str, str]]:
    return read_csv("councils.csv")


@pytest.fixture(scope="session")
def bundled_arrangements() -> list[dict[str, str]]:
    return read_csv("arrangements.csv")
