"""Keyed requests read the key and do not write it each time: its last-used time moves at most
once a minute per key. The app's clock is replaced, so time moves on without waiting."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from matchmaker.api import access_changes
from matchmaker.db import ApiKey
from matchmaker.flask_database import get_database
from matchmaker.services import keys
from tests.support.keys import bearer

START = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app) -> Clock:
    app.config["CLOCK"] = clock = Clock(START)
    return clock


@pytest.fixture
def key_writes(app) -> list[str]:
    """Every statement that writes to api_keys, as sent to the database."""
    writes: list[str] = []
    engine = get_database(app).engine

    def seen(_conn, _cursor, statement, _params, _context, _executemany):
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    yield writes
    event.remove(engine, "before_cursor_execute", seen)


def last_used(app, key: str) -> datetime | None:
    prefix = key.split("_")[1]
    with get_database(app).transaction() as session:
        return session.scalar(select(ApiKey.last_used_at).where(ApiKey.prefix == prefix))


def test_many_keyed_requests_in_a_minute_write_the_key_once(app, client, make_key, clock, key_writes):
    key = make_key("public:read")
    for step in range(20):
        clock.now = START + timedelta(seconds=step * 2)
        assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert len(key_writes) == 1
    assert last_used(app, key) == START


def test_last_use_still_moves_once_the_minute_has_passed(app, client, make_key, clock, key_writes):
    key = make_key("public:read")
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    clock.now = START + timedelta(seconds=59)
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert last_used(app, key) == START
    clock.now = START + timedelta(minutes=1, seconds=1)
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert last_used(app, key) == START + timedelta(minutes=1, seconds=1)
    assert len(key_writes) == 2


def test_each_key_keeps_its_own_last_use(app, client, make_key, clock, key_writes):
    first, second = make_key("public:read"), make_key("public:read")
    for key in (first, second, first, second):
        assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert len(key_writes) == 2
    assert last_used(app, first) == last_used(app, second) == START


@pytest.fixture
def key_reads(app) -> list[str]:
    """Every statement that reads api_keys, as sent to the database."""
    reads: list[str] = []
    engine = get_database(app).engine

    def seen(_conn, _cursor, statement, _params, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT") and "FROM API_KEYS" in statement.upper():
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    yield reads
    event.remove(engine, "before_cursor_execute", seen)


def test_a_key_is_looked_up_once_a_second_not_per_request(app, client, make_key, clock, key_reads):
    key = make_key("public:read")
    for _ in range(10):
        assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert len(key_reads) == 1
    clock.now = START + timedelta(seconds=1)
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert len(key_reads) == 2


def test_a_revoked_key_is_refused_at_its_next_request_though_just_checked(app, client, make_key, clock):
    key = make_key("public:read")
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    with get_database(app).transaction() as session:
        keys.revoke(session, key.split("_")[1])
    response = client.get("/api/v1/service-areas", headers=bearer(key))
    assert response.status_code == 401
    assert "revoked" in response.get_json()["detail"]


def test_a_revocation_rolled_back_changes_nothing(app, client, make_key, clock, key_reads):
    key = make_key("public:read")
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    session = get_database(app).session()
    keys.revoke(session, key.split("_")[1])
    session.flush()
    session.rollback()
    session.close()
    key_reads.clear()
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert key_reads == []


def test_an_access_change_in_another_worker_ends_remembered_checks(app, client, make_key, clock, key_reads):
    """Another worker (or `matchmaker keys revoke`) records its change in the instance folder's file."""
    key = make_key("public:read")
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    with access_changes.file_for(app.instance_path).open("ab") as shared:
        shared.write(b".")
    assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert len(key_reads) == 2


def test_last_use_is_not_an_access_change(app, client, make_key, clock, key_reads):
    key = make_key("public:read")
    for step in range(3):
        clock.now = START + timedelta(minutes=step, milliseconds=500 * step)
        assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
        assert client.get("/api/v1/service-areas", headers=bearer(key)).status_code == 200
    assert len(key_reads) == 3


def test_a_refused_key_stays_refused_without_reaching_the_database(app, client, clock, key_reads):
    wrong = "mm_abcd1234_" + "x" * 43
    for _ in range(3):
        assert client.get("/api/v1/service-areas", headers=bearer(wrong)).status_code == 401
    assert len(key_reads) == 1
