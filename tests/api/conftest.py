"""API fixtures: keys with chosen scopes, and the bundled data read straight from data/ so that
expected answers do not come from the code under test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.bundled import read_csv
from tests.support.keys import new_key


@pytest.fixture(scope="session")
def bundled_councils() -> list[dict[str, str]]:
    return read_csv("councils.csv")


@pytest.fixture(scope="session")
def bundled_arrangements() -> list[dict[str, str]]:
    return read_csv("arrangements.csv")


@pytest.fixture
def make_key(app) -> Callable[..., str]:
    """Creates a key with the given scopes and returns the plaintext to send."""

    def make(*scopes: str, owner: str = "test tool") -> str:
        return new_key(app, *scopes, owner=owner)

    return make
