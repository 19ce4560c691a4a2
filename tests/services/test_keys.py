from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from matchmaker.db import ApiKey
from matchmaker.flask_database import get_database
from matchmaker.services import keys
from matchmaker.services.access import principal_for_key


def test_key_is_stored_hashed_and_authenticates_once_created(app):
    with get_database(app).transaction() as session:
        key, plaintext = keys.create_key(session, "County data team", ["contacts:read"])
        prefix = key.prefix
    assert plaintext.startswith(f"mm_{prefix}_")
    with get_database(app).transaction() as session:
        stored = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        assert plaintext.split("_", 2)[2] not in stored.secret_hash
        assert stored.scopes == "contacts:read public:read"
        assert stored.last_used_at is None
        found = keys.authenticate(session, plaintext)
        assert found is not None and found.last_used_at is None  # checking only reads
        assert principal_for_key(found).has("contacts:read")


def test_last_use_is_written_at_most_once_a_minute(app):
    start = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    with get_database(app).transaction() as session:
        key, _ = keys.create_key(session, "someone", [])
        prefix = key.prefix

    def record_at(now: datetime) -> bool:
        with get_database(app).transaction() as session:
            stored = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
            return keys.record_use(session, stored, now)

    def stored_last_use() -> datetime:
        with get_database(app).transaction() as session:
            return session.scalar(select(ApiKey.last_used_at).where(ApiKey.prefix == prefix))

    assert record_at(start) is True
    assert [record_at(start + timedelta(seconds=s)) for s in (1, 30, 59)] == [False] * 3
    assert stored_last_use() == start
    assert record_at(start + timedelta(seconds=60)) is True
    assert stored_last_use() == start + timedelta(seconds=60)


def test_a_stale_copy_of_the_key_does_not_write_twice(app):
    """Two workers that both read the old time: the second's conditional update finds the row
    already moved on and leaves it."""
    start = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    with get_database(app).transaction() as session:
        key, _ = keys.create_key(session, "someone", [])
        prefix = key.prefix
    with get_database(app).transaction() as session:
        stale = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    with get_database(app).transaction() as session:
        fresh = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        assert keys.record_use(session, fresh, start) is True
    with get_database(app).transaction() as session:
        session.add(stale)
        assert stale.last_used_at is None
        assert keys.record_use(session, stale, start + timedelta(seconds=5)) is False
    with get_database(app).transaction() as session:
        assert session.scalar(select(ApiKey.last_used_at).where(ApiKey.prefix == prefix)) == start


@pytest.mark.parametrize("presented", ["", "mm_nope", "mm_abcd1234_wrong", "xx_a_b"])
def test_wrong_keys_are_refused(app, presented):
    with get_database(app).transaction() as session:
        keys.create_key(session, "someone", [])
        assert keys.authenticate(session, presented) is None


def test_revoked_key_is_refused(app):
    with get_database(app).transaction() as session:
        key, plaintext = keys.create_key(session, "someone", [])
        keys.revoke(session, key.prefix)
        assert keys.authenticate(session, plaintext) is None


def test_unknown_scope_is_rejected_by_name(app):
    with get_database(app).transaction() as session:
        with pytest.raises(ValueError, match="unknown scope\\(s\\): contacts:write"):
            keys.create_key(session, "someone", ["contacts:write"])
