"""Webhook subscriptions over the API: scopes, addresses, event types, secrets, ownership."""

from matchmaker.services import webhooks
from tests.support.keys import bearer

GOOD = {
    "url": "https://tools.example.org/hook",
    "event_types": ["arrangement.changed"],
    "contact_email": "owner@example.org",
}


def test_signatures_match_the_standard_webhooks_example():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    signature = webhooks.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": f"v1,bm90IGl0 {signature}",
    }
    assert webhooks.verify(secret, headers, body, now=1614265330 + 10)
    assert not webhooks.verify(secret, headers, body, now=1614265330 + 301)  # too old: a replay
    assert not webhooks.verify(secret, headers, b'{"test": 2432232315}', now=1614265330)


def test_only_keys_with_the_scope_manage_webhooks(client, make_key):
    assert client.post("/api/v1/webhooks", json=GOOD).status_code == 401
    response = client.post("/api/v1/webhooks", json=GOOD, headers=bearer(make_key("public:read")))
    assert response.status_code == 403
    assert "webhooks:manage" in response.get_json()["detail"]


def test_a_subscription_shows_its_secret_once_and_only_to_its_key(client, make_key):
    key, other = make_key("webhooks:manage"), make_key("webhooks:manage")
    created = client.post("/api/v1/webhooks", json=GOOD, headers=bearer(key)).get_json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    shown = client.get(f"/api/v1/webhooks/{created['id']}", headers=bearer(key)).get_json()
    assert "secret" not in shown and shown["event_types"] == ["arrangement.changed"]
    assert [s["id"] for s in client.get("/api/v1/webhooks", headers=bearer(key)).get_json()["items"]] == [created["id"]]
    assert client.get("/api/v1/webhooks", headers=bearer(other)).get_json()["items"] == []
    assert client.get(f"/api/v1/webhooks/{created['id']}", headers=bearer(other)).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}", headers=bearer(key)).status_code == 204
    assert client.get(f"/api/v1/webhooks/{created['id']}", headers=bearer(key)).status_code == 404


def test_bad_addresses_and_event_types_are_refused_by_name(client, make_key):
    headers = bearer(make_key("webhooks:manage"))

    def refused(**change):
        response = client.post("/api/v1/webhooks", json={**GOOD, **change}, headers=headers)
        assert response.status_code == 422, response.get_json()
        return response.get_json()["invalid_params"][0]

    assert refused(url="http://tools.example.org/hook")["name"] == "url"
    assert "https" in refused(url="http://10.0.0.8/hook")["reason"]
    assert refused(url="ftp://tools.example.org/")["name"] == "url"
    assert refused(url="https://user:pw@tools.example.org/")["name"] == "url"
    assert refused(event_types=["arrangement.deleted"])["name"].startswith("event_types")
    assert refused(event_types=[])["name"] == "event_types"
    # plain http to this machine is allowed in development (the tests' environment)
    loopback = client.post("/api/v1/webhooks", json={**GOOD, "url": "http://127.0.0.1:9/hook"}, headers=headers)
    assert loopback.status_code == 201


def test_in_production_loopback_http_is_refused():
    policy = webhooks.Policy.from_config({"ENV": "production"})
    try:
        webhooks.check_url("http://127.0.0.1:8000/hook", policy)
    except webhooks.InvalidSubscription as problem:
        assert problem.field == "url"
    else:
        raise AssertionError("plain http accepted in production")
    assert webhooks.check_url("https://127.0.0.1:8443/hook", policy) == "https://127.0.0.1:8443/hook"


def test_retry_delays_double_and_are_bounded():
    policy = webhooks.Policy(max_attempts=5, first_retry_seconds=30)
    assert [policy.retry_delay(n) for n in range(1, 5)] == [30, 60, 120, 240]
    assert policy.longest_seconds == 450
