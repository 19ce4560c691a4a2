"""Timestamps in API answers are ISO 8601 with the UTC offset, on every backend (RFC 3339
date-time, as the OpenAPI document says), and say when the thing happened."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.support.keys import user_headers
from tests.support.pages import ADVISER


@pytest.fixture
def adviser(app):
    return user_headers(app, ADVISER, ["adviser"], owner="adviser tool")


def _moment(text: str) -> datetime:
    assert text.endswith("+00:00"), text
    return datetime.fromisoformat(text)


def test_history_and_submission_times_are_utc_with_their_offset(client, adviser):
    started = datetime.now(timezone.utc) - timedelta(seconds=5)
    sent = client.post(
        "/api/v1/submissions/corrections",
        headers=adviser,
        json={"arrangement_id": "R004", "name": "Adur & Worthing Councils"},
    )
    assert sent.status_code == 201, sent.get_json()
    assert _moment(sent.get_json()["created_at"]) >= started
    approved = client.post(f"/api/v1/submissions/{sent.get_json()['id']}/approval", headers=adviser, json={}).get_json()
    assert _moment(approved["decided_at"]) >= _moment(approved["created_at"])

    versions = client.get("/api/v1/arrangements/R004/history").get_json()["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    newest, loaded = (_moment(v["created_at"]) for v in versions)
    assert newest >= started and loaded <= newest
