"""Rate limits per API key and per address, on memory and on Redis storage."""

import logging
import uuid

import pytest

from matchmaker import create_app
from matchmaker.database import get_database
from matchmaker.limits import get_limiter, redis_answers
from tests.api.conftest import bearer

REDIS_URL = "redis://127.0.0.1:6379/15"


def _limited_app(app, tmp_path, **overrides):
    limited = create_app({
        "TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": app.config["DATABASE_URL"],
        "API_RATE_LIMIT_ANONYMOUS": "3 per minute", "API_RATE_LIMIT_KEYED": "5 per minute",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}", **overrides,
    })  # fmt: skip
    return limited


def _exercise(limited, key: str) -> None:
    client = limited.test_client()
    for _ in range(3):
        assert client.get("/api/v1/service-areas").status_code == 200
    refused = client.get("/api/v1/service-areas")
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["status"] == 429
    # Another address has its own allowance; so has a key, with its own (larger) limit.
    other = client.get("/api/v1/service-areas", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200
    keyed = [client.get("/api/v1/service-areas", headers=bearer(key)).status_code for _ in range(6)]
    assert keyed == [200] * 5 + [429]
    # Pages are not limited by the API's limits.
    assert client.get("/health").status_code == 200


def test_memory_storage_limits_per_address_and_per_key(app, tmp_path, make_key):
    limited = _limited_app(app, tmp_path)
    try:
        assert limited.config["RATELIMIT_STORAGE_URI_IN_USE"] == "memory"
        _exercise(limited, make_key())
    finally:
        get_database(limited).dispose()


@pytest.mark.redis
def test_redis_storage_limits_across_app_instances(app, tmp_path, make_key):
    if not redis_answers(REDIS_URL):
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    first = _limited_app(app, tmp_path, REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    second = _limited_app(app, tmp_path, REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    try:
        assert first.config["RATELIMIT_STORAGE_URI_IN_USE"] == "redis"
        _exercise(first, make_key())
        # A second worker sharing Redis sees the same counters.
        assert second.test_client().get("/api/v1/service-areas").status_code == 429
    finally:
        get_limiter(first).reset()
        for limited in (first, second):
            get_database(limited).dispose()


def test_unreachable_redis_falls_back_to_memory_with_a_warning(app, tmp_path, caplog, make_key):
    with caplog.at_level(logging.WARNING, logger="matchmaker.limits"):
        limited = _limited_app(app, tmp_path, REDIS_URL="redis://127.0.0.1:9/0")
    try:
        assert limited.config["RATELIMIT_STORAGE_URI_IN_USE"] == "memory"
        assert "Redis does not answer" in caplog.text
        _exercise(limited, make_key())
    finally:
        get_database(limited).dispose()
