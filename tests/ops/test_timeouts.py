"""A dependency that accepts connections but never answers gives 503 (or a fallback) within its
configured timeout, never a hung worker. The stall is a blackhole proxy on loopback."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from matchmaker import create_app
from matchmaker.config import ConfigError, load_config
from matchmaker.db.session import DatabaseTimeouts, make_engine
from matchmaker.flask_database import get_database, get_session
from matchmaker.limits import redis_answers
from tests.support.blackhole import BlackholeProxy
from tests.support.pages import OFFICER, sign_in

REDIS_URL = "redis://127.0.0.1:6379/15"
# The app under test waits 2 s on a stalled dependency; a request still unanswered after
# ten times that is hung (before these timeouts existed it hung for minutes).
STALL_TIMEOUT = 2.0
HUNG_AFTER = 10 * STALL_TIMEOUT


def answered(call):
    """The response of ``call()``, or fail if it is still waiting after HUNG_AFTER seconds."""
    result: dict = {}

    def run() -> None:
        try:
            result["response"] = call()
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HUNG_AFTER)
    assert not worker.is_alive(), f"no answer after {HUNG_AFTER:.0f} s: the request hangs"
    if "error" in result:
        raise result["error"]
    return result["response"]


def _needs_postgres(backend) -> None:
    if backend.name != "postgresql":
        pytest.skip("connect and statement timeouts are PostgreSQL's")


def _app_through(proxy: BlackholeProxy, app, tmp_path, **overrides):
    url = make_url(app.config["DATABASE_URL"]).set(host="127.0.0.1", port=proxy.port)
    return create_app({
        "TESTING": True, "SECRET_KEY": app.config["SECRET_KEY"],
        "INSTANCE_PATH": str(tmp_path / "stalled"),
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "DATABASE_CONNECT_TIMEOUT": STALL_TIMEOUT, "DATABASE_POOL_TIMEOUT": STALL_TIMEOUT,
        **overrides,
    })  # fmt: skip


def test_a_database_that_never_answers_gives_503_to_everyone_and_health_stays_up(app, backend, tmp_path):
    _needs_postgres(backend)
    signed_in = app.test_client()
    assert sign_in(signed_in, OFFICER).status_code == 302
    session_cookie = signed_in.get_cookie("session")

    with BlackholeProxy(make_url(app.config["DATABASE_URL"]).port or 5432, blackhole=True) as proxy:
        stalled = _app_through(proxy, app, tmp_path)
        try:
            client = stalled.test_client()
            assert answered(lambda: client.get("/health")).status_code == 200
            ready = answered(lambda: client.get("/ready"))
            assert ready.status_code == 503
            assert ready.json["database"]["ok"] is False

            api = answered(lambda: client.get("/api/v1/organisations?limit=1"))
            assert api.status_code == 503
            assert api.mimetype == "application/problem+json"

            anonymous_page = answered(lambda: client.get("/councils/E07000223"))
            assert anonymous_page.status_code == 503
            assert "Sorry, the service is unavailable" in anonymous_page.get_data(as_text=True)

            # The same officer's session cookie, replayed against the stalled instance.
            officer = stalled.test_client()
            officer.set_cookie("session", session_cookie.value)
            for path in ("/", "/councils/E07000223", "/account"):
                page = answered(lambda: officer.get(path))
                assert page.status_code == 503, path
                assert page.headers["Retry-After"] == "30"
                assert "Sorry, the service is unavailable" in page.get_data(as_text=True)
        finally:
            get_database(stalled).dispose()


def test_a_statement_running_past_the_statement_timeout_is_cancelled(app, backend, tmp_path):
    _needs_postgres(backend)
    quick = create_app({
        "TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "quick"),
        "DATABASE_URL": app.config["DATABASE_URL"], "DATABASE_STATEMENT_TIMEOUT": 0.2,
    })  # fmt: skip

    def sleeps():
        get_session().execute(text("SELECT pg_sleep(30)"))
        return "finished"

    quick.add_url_rule("/api/v1/_sleeps", "sleeps", sleeps)
    try:
        response = answered(lambda: quick.test_client().get("/api/v1/_sleeps"))
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        with get_database(quick).engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "200ms"
    finally:
        get_database(quick).dispose()


def test_migrations_run_without_a_statement_timeout(backend):
    _needs_postgres(backend)
    engine = make_engine(backend._url(backend.template("empty")), DatabaseTimeouts(statement=None))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
    finally:
        engine.dispose()


@pytest.mark.redis
def test_redis_that_stops_answering_costs_no_stall_and_limits_carry_on_in_memory(app, tmp_path):
    if not redis_answers(REDIS_URL):
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    with BlackholeProxy(6379) as proxy:
        limited = create_app({
            "TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "redis"),
            "DATABASE_URL": app.config["DATABASE_URL"],
            "REDIS_URL": f"redis://127.0.0.1:{proxy.port}/15", "REDIS_TIMEOUT": 0.2,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "API_RATE_LIMIT_ANONYMOUS": "4 per minute",
        })  # fmt: skip
        try:
            assert limited.config["RATELIMIT_STORAGE_URI_IN_USE"] == "redis"
            client = limited.test_client()
            assert client.get("/api/v1/service-areas").status_code == 200
            proxy.blackhole()
            statuses = [answered(lambda: client.get("/api/v1/service-areas")).status_code for _ in range(5)]
            # The stalled Redis is given up on and the memory fallback starts a new count.
            assert statuses == [200, 200, 200, 200, 429]
            assert answered(lambda: client.get("/health")).status_code == 200
        finally:
            get_database(limited).dispose()


def test_a_redis_that_never_answers_at_start_is_given_up_on_within_its_timeout(app, tmp_path):
    with BlackholeProxy(6379, blackhole=True) as proxy:
        limited = answered(lambda: create_app({
            "TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "redis"),
            "DATABASE_URL": app.config["DATABASE_URL"],
            "REDIS_URL": f"redis://127.0.0.1:{proxy.port}/15", "REDIS_TIMEOUT": 0.2,
        }))  # fmt: skip
        try:
            assert limited.config["RATELIMIT_STORAGE_URI_IN_USE"] == "memory"
        finally:
            get_database(limited).dispose()


def test_timeouts_have_safe_defaults_and_come_from_the_environment(tmp_path, monkeypatch):
    defaults = load_config(tmp_path, {"SECRET_KEY": "x"})
    assert defaults["DATABASE_CONNECT_TIMEOUT"] == 5.0
    assert defaults["DATABASE_STATEMENT_TIMEOUT"] == 30.0
    assert defaults["DATABASE_POOL_TIMEOUT"] == 5.0
    assert defaults["REDIS_TIMEOUT"] == 0.5
    monkeypatch.setenv("MATCHMAKER_DATABASE_STATEMENT_TIMEOUT", "12.5")
    assert load_config(tmp_path, {"SECRET_KEY": "x"})["DATABASE_STATEMENT_TIMEOUT"] == 12.5
    monkeypatch.setenv("MATCHMAKER_DATABASE_CONNECT_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="MATCHMAKER_DATABASE_CONNECT_TIMEOUT must be a number of seconds"):
        load_config(tmp_path, {"SECRET_KEY": "x"})
