"""`matchmaker keys create|list|revoke`, checked through the API the key is for."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from matchmaker.db import ApiKey
from matchmaker.flask_database import get_database
from tests.support.keys import bearer


def test_create_prints_the_key_once_and_it_works_until_revoked(runner, client, app):
    created = runner.invoke(["keys", "create", "--owner", "County data team", "--scopes", "contacts:read"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    prefix = key.split("_")[1]
    assert key.startswith(f"mm_{prefix}_")
    assert "cannot be shown again" in created.stderr

    with get_database(app).transaction() as session:
        stored = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        assert key.split("_", 2)[2] not in stored.secret_hash and stored.last_used_at is None

    assert client.get("/api/v1/organisations/E07000223/contacts", headers=bearer(key)).status_code == 200
    with get_database(app).transaction() as session:
        assert session.scalar(select(ApiKey).where(ApiKey.prefix == prefix)).last_used_at is not None

    listed = runner.invoke(["keys", "list"])
    assert prefix in listed.output and "County data team" in listed.output
    assert key.split("_", 2)[2] not in listed.output

    revoked = runner.invoke(["keys", "revoke", prefix])
    assert revoked.exit_code == 0 and f"Key {prefix} revoked" in revoked.output
    # Each worker checks a key again within a second: move this app's clock on past that.
    app.config["CLOCK"] = lambda: datetime.now(timezone.utc) + timedelta(seconds=2)
    assert client.get("/api/v1/statistics", headers=bearer(key)).status_code == 401


def test_bad_scope_and_unknown_prefix_exit_2_with_a_message(runner):
    bad = runner.invoke(["keys", "create", "--owner", "x", "--scopes", "contacts:write"])
    assert bad.exit_code == 2 and "unknown scope(s): contacts:write" in bad.stderr
    unknown = runner.invoke(["keys", "revoke", "ffffffff"])
    assert unknown.exit_code == 2 and "no API key has the prefix 'ffffffff'" in unknown.stderr


def test_a_key_for_an_organisation_creates_its_requests(runner, client, app):
    refused = runner.invoke(["keys", "create", "--owner", "Adur tool", "--scopes", "public:read,requests:write"])
    assert refused.exit_code == 2 and "--organisation: a key with requests:write" in refused.output
    unknown = runner.invoke(
        ["keys", "create", "--owner", "x", "--scopes", "requests:write", "--organisation", "E99999999"]
    )
    assert unknown.exit_code == 2 and "no organisation has the GSS code 'E99999999'" in unknown.output
    made = runner.invoke(
        [
            "keys",
            "create",
            "--owner",
            "Adur tool",
            "--scopes",
            "public:read,requests:write",
            "--organisation",
            "e07000223",
        ]
    )
    assert made.exit_code == 0, made.output
    key = made.output.splitlines()[0]
    response = client.post(
        "/api/v1/match-requests",
        headers={"Authorization": f"Bearer {key}"},
        json={"service": "legal-democratic", "description": "Shared legal team"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["organisation"]["gss_code"] == "E07000223"
