"""Rate limits per API key and per address, on memory and on Redis storage."""

import logging
import uuid

import pytest

from matchmaker import create_app
from matchmaker.flask_database import get_database
from matchmaker.limits import redis_answers
from tests.support.keys import bearer

REDIS_URL = "redis://127.0.0.1:6379/15"


def _limited_app(app, tmp_path, **overrides):
    limited = create_app({
        "TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": app.config["DATABASE_URL"],
        "API_RATE_LIMIT_ANONYMOUS": "3 per minute", "API_RATE_LIMIT_KEYED": "5 per minute",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}", **overrides,
    })  # fmt: skip
    return limited


def _forget_counters(prefix: str) -> None:
    """Delete this test's counters only: the limiter's own reset deletes every counter in the
    database, including those of another test run using the same Redis at the same time."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
    finally:
        client.close()


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
        _forget_counters(prefix)
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


ENDPOINTS = (
    "/api/v1/service-areas",
    "/api/v1/organisations?limit=1",
    "/api/v1/arrangements?limit=1",
    "/api/v1/statistics",
    "/api/v1/model",
)
VICTIM_ADDRESS, ATTACKER_ADDRESS = "127.0.0.20", "127.0.0.66"


def _get(client, path, address, key=None):
    headers = bearer(key) if key else {}
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": address}).status_code


def _forged(key: str, filler: str = "A") -> str:
    """The victim's visible prefix with a made-up secret."""
    return "mm_" + key.split("_")[1] + "_" + filler * 43


def _one_budget_across_endpoints(client, key) -> None:
    anonymous = [_get(client, path, ATTACKER_ADDRESS) for path in ENDPOINTS[:4]]
    assert anonymous == [200, 200, 200, 429]
    keyed = [_get(client, path, ATTACKER_ADDRESS, key) for path in ENDPOINTS] + [
        _get(client, ENDPOINTS[0], VICTIM_ADDRESS, key)
    ]
    assert keyed == [200] * 5 + [429]


def _forged_and_invalid_keys_spend_only_the_senders_address(client, victim_key) -> None:
    forged = [_get(client, ENDPOINTS[k % 5], ATTACKER_ADDRESS, _forged(victim_key)) for k in range(6)]
    assert forged == [401, 401, 401, 429, 429, 429]
    random_keys = [_get(client, "/api/v1/service-areas", "127.0.0.67", f"mm_{k:08x}_{'B' * 43}") for k in range(5)]
    assert random_keys == [401, 401, 401, 429, 429]
    # The victim's own budget is untouched, from any address.
    assert [_get(client, ENDPOINTS[k], VICTIM_ADDRESS, victim_key) for k in range(5)] == [200] * 5
    assert _get(client, ENDPOINTS[0], ATTACKER_ADDRESS, victim_key) == 429


def test_one_budget_per_caller_across_the_whole_api(app, tmp_path, make_key):
    limited = _limited_app(app, tmp_path)
    try:
        _one_budget_across_endpoints(limited.test_client(), make_key())
    finally:
        get_database(limited).dispose()


def test_a_forged_key_with_the_victims_prefix_cannot_spend_the_victims_budget(app, tmp_path, make_key):
    limited = _limited_app(app, tmp_path)
    try:
        _forged_and_invalid_keys_spend_only_the_senders_address(limited.test_client(), make_key())
    finally:
        get_database(limited).dispose()


def test_a_signed_in_user_has_one_budget_of_their_own(app, tmp_path):
    from tests.support.pages import ADVISER, sign_in

    limited = _limited_app(app, tmp_path)
    try:
        user = limited.test_client()
        assert sign_in(user, ADVISER).status_code == 302
        statuses = [user.get(ENDPOINTS[k % 5]).status_code for k in range(6)]
        assert statuses == [200] * 5 + [429]
        assert limited.test_client().get(ENDPOINTS[0]).status_code == 200  # the address's budget
    finally:
        get_database(limited).dispose()


@pytest.mark.redis
def test_redis_shares_one_budget_per_caller_between_workers(app, tmp_path, make_key):
    """Two app instances on one Redis stand for two gunicorn workers: what a caller spends on
    one is gone on the other, and floods of forged or invalid keys only spend the sender's."""
    if not redis_answers(REDIS_URL):
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    workers = [_limited_app(app, tmp_path, REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix) for _ in range(2)]
    try:
        assert [w.config["RATELIMIT_STORAGE_URI_IN_USE"] for w in workers] == ["redis", "redis"]
        first, second = (w.test_client() for w in workers)

        victim = make_key()
        assert [_get(first if k % 2 else second, ENDPOINTS[k], VICTIM_ADDRESS, victim) for k in range(5)] == [200] * 5
        assert _get(first, ENDPOINTS[0], VICTIM_ADDRESS, victim) == 429
        assert _get(second, ENDPOINTS[1], VICTIM_ADDRESS, victim) == 429

        other = make_key()
        forged = [
            _get(first if k % 2 else second, ENDPOINTS[k % 5], ATTACKER_ADDRESS, _forged(other)) for k in range(6)
        ]
        assert forged == [401, 401, 401, 429, 429, 429]
        assert _get(second, ENDPOINTS[0], VICTIM_ADDRESS, other) == 200
        assert _get(first, ENDPOINTS[0], "127.0.0.67", f"mm_0badf00d_{'C' * 43}") == 401
    finally:
        _forget_counters(prefix)
        for worker in workers:
            get_database(worker).dispose()
