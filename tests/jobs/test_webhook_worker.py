"""Webhooks delivered by a real worker process to a real receiver on loopback."""

from __future__ import annotations

import email
import email.policy
import json
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from matchmaker.db.webhooks import WebhookDelivery
from matchmaker.flask_database import get_database
from matchmaker.services import submissions, webhooks
from tests.support.keys import bearer
from tests.support.pages import ADVISER, csrf_token, sign_in, text
from tests.support.refresh import NEW
from tests.support.workers import FAST_RETRIES, Workers, wait_for
from tests.support.workflow import officer


def subscribe(client, key, receiver, events=("arrangement.created", "arrangement.changed")):
    response = client.post(
        "/api/v1/webhooks",
        headers=bearer(key),
        json={"url": receiver.url, "event_types": list(events), "contact_email": "tool-owner@example.org"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def deliveries(client, key, subscription):
    response = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries", headers=bearer(key))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def finished(app, count):
    """The delivery log, once ``count`` deliveries are no longer pending (read from the database,
    not the rate-limited API)."""
    with get_database(app).session() as session:
        done = session.scalars(select(WebhookDelivery).where(WebhookDelivery.status != "pending")).all()
        return len(done) >= count


def submit_new_arrangement(app, name):
    with get_database(app).transaction() as session:
        created, _ = submissions.submit(session, officer(session), "new_arrangement", dict(NEW, name=name))
        return created.id


def approve_on_the_page(client, submission_id):
    review = text(client.get(f"/moderation/{submission_id}"))
    response = client.post(f"/moderation/{submission_id}/approve", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 302


def test_an_approval_on_the_page_reaches_the_receiver_signed_once_after_two_failures(
    queued_app, client, make_key, workers, receiver
):
    key = make_key("webhooks:manage")
    subscription = subscribe(client, key, receiver)
    receiver.behaviour.fail_first = 2
    workers.start()
    sid = submit_new_arrangement(queued_app, "Adur and Worthing legal team")
    sign_in(client, ADVISER)
    approve_on_the_page(client, sid)

    wait_for(lambda: finished(queued_app, 1), "the delivery to finish")
    log = deliveries(client, key, subscription)
    assert [(d["event_type"], d["status"]) for d in log] == [("arrangement.created", "succeeded")]
    assert [a["status_code"] for a in log[0]["attempts"]] == [500, 500, 204]
    assert [r.answered for r in receiver.received] == [500, 500, 204]
    assert {r.headers["webhook-id"] for r in receiver.received} == {log[0]["message_id"]}
    for request in receiver.received:
        assert webhooks.verify(subscription["secret"], request.headers, request.body)
        assert not webhooks.verify(subscription["secret"], request.headers, request.body + b" ")
    body = json.loads(receiver.received[-1].body)
    assert (body["type"], body["data"]["id"], body["data"]["version"]) == ("arrangement.created", f"S{sid:05d}", 1)
    assert body["data"]["state"]["fields"]["name"] == "Adur and Worthing legal team"


# A worker killed while it holds a claim: the claim runs out after twice this plus 5 seconds.
QUICK_CLAIMS = {**FAST_RETRIES, "MATCHMAKER_WEBHOOK_TIMEOUT_SECONDS": "1"}
INTERRUPTED = webhooks.INTERRUPTED


def approve_three(app, client):
    ids = [submit_new_arrangement(app, f"Shared team {n}") for n in range(3)]
    sign_in(client, ADVISER)
    for sid in ids:
        approve_on_the_page(client, sid)
    return {f"S{sid:05d}" for sid in ids}


def claimed(app):
    with get_database(app).session() as session:
        return session.scalar(select(WebhookDelivery).where(WebhookDelivery.claimed_by.is_not(None)))


def outcomes(log):
    """Each delivery's attempts: the status code, or the reason when there was none."""
    return sorted(([a["status_code"] or a["error"] for a in d["attempts"]] for d in log), key=len)


def test_a_worker_killed_after_claiming_a_delivery_sends_nothing_twice(
    queued_app, client, make_key, queue_name, receiver
):
    key = make_key("webhooks:manage")
    subscription = subscribe(client, key, receiver, events=("arrangement.created",))
    pool = Workers(queued_app, queue_name, QUICK_CLAIMS)
    try:
        stalled = pool.start("tests.support.stalled_sender")  # claims, then never sends
        expected = approve_three(queued_app, client)
        wait_for(lambda: claimed(queued_app), "a delivery claimed by the worker")
        pool.kill(stalled)
        pool.start()
        wait_for(lambda: finished(queued_app, 3), "every delivery to finish")
    finally:
        pool.stop_all()

    on_the_wire = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert sorted(on_the_wire.values()) == [1, 1, 1]  # nothing sent twice
    assert sorted(json.loads(body)["data"]["id"] for body in receiver.processed) == sorted(expected)
    log = deliveries(client, key, subscription)
    assert [d["status"] for d in log] == ["succeeded"] * 3
    assert outcomes(log) == [[204], [204], [INTERRUPTED, 204]]  # the claim that ran out, logged


def test_a_worker_killed_while_the_receiver_has_the_message_loses_nothing_and_it_is_processed_once(
    queued_app, client, make_key, queue_name, receiver
):
    """The worst moment: the receiver has kept the message and the worker dies before it hears
    the answer. Nobody can know it arrived, so it is sent again with the same webhook-id (at
    least once on the wire) and a receiver that drops repeats, as the API docs say, keeps it once."""
    key = make_key("webhooks:manage")
    subscription = subscribe(client, key, receiver, events=("arrangement.created",))
    receiver.behaviour.hold_first, receiver.behaviour.held_answer = True, 204
    pool = Workers(queued_app, queue_name, QUICK_CLAIMS)
    try:
        first = pool.start()
        expected = approve_three(queued_app, client)
        wait_for(receiver.behaviour.held.is_set, "the first delivery to reach the receiver")
        pool.kill(first)  # mid-delivery: the receiver has the message and has not answered
        receiver.behaviour.release.set()
        pool.start()
        wait_for(lambda: finished(queued_app, 3), "every delivery to finish")
    finally:
        pool.stop_all()

    held = receiver.received[0].headers["webhook-id"]
    on_the_wire = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert on_the_wire.pop(held) == 2 and sorted(on_the_wire.values()) == [1, 1]
    assert sorted(json.loads(body)["data"]["id"] for body in receiver.processed) == sorted(expected)  # once each
    log = deliveries(client, key, subscription)
    assert [d["status"] for d in log] == ["succeeded"] * 3
    assert outcomes(log) == [[204], [204], [INTERRUPTED, 204]]
    assert [d["attempts"][0]["error"] for d in log if d["message_id"] == held] == [INTERRUPTED]
    with get_database(queued_app).session() as session:
        assert len(session.scalars(select(WebhookDelivery)).all()) == 3


def test_a_subscription_that_keeps_failing_is_switched_off_and_its_owner_emailed(
    queued_app, client, make_key, queue_name, receiver
):
    pool = Workers(
        queued_app,
        queue_name,
        {
            "MATCHMAKER_WEBHOOK_FIRST_RETRY_SECONDS": "0.1",
            "MATCHMAKER_WEBHOOK_MAX_ATTEMPTS": "2",
            "MATCHMAKER_WEBHOOK_DISABLE_AFTER": "1",
        },
    )
    key = make_key("webhooks:manage")
    subscription = subscribe(client, key, receiver)
    receiver.behaviour.always_fail = True
    try:
        pool.start()
        sid = submit_new_arrangement(queued_app, "Never delivered")
        sign_in(client, ADVISER)
        approve_on_the_page(client, sid)
        outbox = Path(queued_app.instance_path) / "outbox"
        mail = wait_for(lambda: sorted(outbox.glob("*.eml")), "the email to the owner")
    finally:
        pool.stop_all()
    shown = client.get(f"/api/v1/webhooks/{subscription['id']}", headers=bearer(key)).get_json()
    assert shown["active"] is False
    assert "1 deliveries in a row failed after 2 attempts each" in shown["disabled_reason"]
    assert [r.answered for r in receiver.received] == [500, 500]
    message = email.message_from_bytes(mail[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "tool-owner@example.org"
    assert "switched off" in message["Subject"]
    assert receiver.url in message.get_content()
    assert len(mail) == 1
    enabled = client.post(f"/api/v1/webhooks/{subscription['id']}/enable", headers=bearer(key)).get_json()
    assert enabled["active"] is True and enabled["disabled_reason"] is None


def test_without_a_broker_the_delivery_runs_inline_when_the_approval_commits(app, client, make_key, receiver):
    key = make_key("webhooks:manage")
    subscription = subscribe(client, key, receiver)
    sid = submit_new_arrangement(app, "Inline delivery")
    sign_in(client, ADVISER)
    approve_on_the_page(client, sid)
    # inline: done by the time the page has answered, no waiting
    assert [r.answered for r in receiver.received] == [204]
    assert [d["status"] for d in deliveries(client, key, subscription)] == ["succeeded"]
