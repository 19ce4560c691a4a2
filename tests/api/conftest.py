"""API fixtures: keys with chosen scopes, and the bundled data read straight from data/ so that
expected answers do not come from the code under test."""

from __future__ import annotations

import csv
from collections.abc import Callable

import pytest

from matchmaker.database import get_database
from matchmaker.services import keys
from tests.databases import DATA_DIR


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


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
        with get_database(app).transaction() as session:
            _, plaintext = keys.create_key(session, owner, list(scopes))
        return plaintext

    return make


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
