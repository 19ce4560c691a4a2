"""Fixtures: app -> client -> runner, each test on its own database, on SQLite and PostgreSQL.

Backends come from MATCHMAKER_TEST_BACKENDS (default "sqlite,postgresql"). PostgreSQL tests are
skipped when no server answers, unless MATCHMAKER_REQUIRE_POSTGRES=1 (set by scripts/test when
PostgreSQL is up), in which case they fail loudly instead.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.support.databases import BACKENDS, PostgresDatabases, SqliteDatabases, app_on_copy, postgres_available
from tests.support.keys import new_key

# Property tests judge answers, never the clock: a loaded machine must not fail them for being slow.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


@pytest.fixture(scope="session")
def database_pools(tmp_path_factory):
    pools: dict[str, object] = {"sqlite": SqliteDatabases(tmp_path_factory.mktemp("databases"))}
    yield pools
    for pool in pools.values():
        pool.close()


@pytest.fixture(params=BACKENDS)
def backend(request, database_pools):
    name = request.param
    if name == "postgresql" and "postgresql" not in database_pools:
        if not postgres_available():
            if os.environ.get("MATCHMAKER_REQUIRE_POSTGRES") == "1":
                pytest.fail("PostgreSQL is required but does not answer")
            pytest.skip("PostgreSQL not available")
        database_pools["postgresql"] = PostgresDatabases()
    return database_pools[name]


@pytest.fixture
def app(backend, tmp_path):
    """The app on a fresh copy of the bundled real data with demo contacts and users."""
    with app_on_copy(backend, "bundled", tmp_path) as app:
        yield app


@pytest.fixture
def empty_app(backend, tmp_path):
    """The app on a freshly migrated, empty database."""
    with app_on_copy(backend, "empty", tmp_path) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    from matchmaker.cli import build_cli

    class Runner:
        def invoke(self, args, **kwargs):
            return app.test_cli_runner().invoke(build_cli(), args, **kwargs)

    return Runner()


@pytest.fixture
def make_key(app):
    """Creates an API key with the given scopes and returns the plaintext to send."""

    def make(*scopes: str, owner: str = "test tool") -> str:
        return new_key(app, *scopes, owner=owner)

    return make
