import pytest
from sqlalchemy import select

from matchmaker.database import get_database
from matchmaker.db import ApiKey
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
        assert found is not None and found.last_used_at is not None
        assert principal_for_key(found).has("contacts:read")


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
