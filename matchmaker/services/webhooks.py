"""Webhooks: subscriptions by API keys, deliveries of change-feed entries, signed and retried.

Deliveries follow the Standard Webhooks convention: headers ``webhook-id`` (the same on every
attempt, for receivers to drop repeats), ``webhook-timestamp`` (Unix seconds) and
``webhook-signature`` = ``v1,`` + base64(HMAC-SHA256(secret, id.timestamp.body)), where the
secret is the base64 text after ``whsec_``. A failed attempt is tried again after a delay that
doubles each time, for a bounded number of attempts; a subscription whose deliveries keep failing
is disabled and its owner is emailed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from matchmaker.db import ApiKey, ChangeRecord
from matchmaker.db.webhooks import JobCursor, WebhookAttempt, WebhookDelivery, WebhookSubscription

EVENT_TYPES = (
    "arrangement.created", "arrangement.changed", "arrangement.ended", "arrangement.restored",
    "arrangement.reorganised", "organisation.succession", "model.retrained",
    "match_request.created", "match_request.edited", "match_request.note", "match_request.status",
    "contact.created", "contact.changed", "contact.removed",
)  # fmt: skip
DISPATCH_CURSOR = "webhooks"
DISPATCH_BATCH = 500


class InvalidSubscription(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Policy:
    """How hard to try: attempts, the first retry's delay (doubling after), and when to give up."""

    max_attempts: int = 8
    first_retry_seconds: float = 30.0
    timeout_seconds: float = 10.0
    disable_after_failed_deliveries: int = 5
    allow_loopback_http: bool = False

    @classmethod
    def from_config(cls, config) -> "Policy":
        return cls(
            max_attempts=int(config.get("WEBHOOK_MAX_ATTEMPTS", cls.max_attempts)),
            first_retry_seconds=float(config.get("WEBHOOK_FIRST_RETRY_SECONDS", cls.first_retry_seconds)),
            timeout_seconds=float(config.get("WEBHOOK_TIMEOUT_SECONDS", cls.timeout_seconds)),
            disable_after_failed_deliveries=int(
                config.get("WEBHOOK_DISABLE_AFTER", cls.disable_after_failed_deliveries)
            ),
            allow_loopback_http=config.get("ENV") in ("development", "testing"),
        )

    def retry_delay(self, attempts_made: int) -> float:
        return self.first_retry_seconds * 2 ** (attempts_made - 1)

    @property
    def claim_seconds(self) -> float:
        """How long a worker holds a delivery it is sending: longer than an attempt can take
        (connecting and reading are each bounded by the timeout)."""
        return 2 * self.timeout_seconds + 5

    @property
    def longest_seconds(self) -> float:
        """The bounded time a delivery is retried for (the sum of the delays)."""
        return sum(self.retry_delay(n) for n in range(1, self.max_attempts))


# Secrets -----------------------------------------------------------------------------------------


def secret_for(subscription: WebhookSubscription, service_key: str) -> str:
    raw = hmac.new(
        service_key.encode(), f"webhook:{subscription.id}:{subscription.secret_salt}".encode(), hashlib.sha256
    ).digest()
    return "whsec_" + base64.b64encode(raw).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def verify(
    secret: str, headers: dict[str, str], body: bytes, tolerance_seconds: int = 300, now: float | None = None
) -> bool:
    """What a receiver does (shown in the API docs): check the timestamp and any v1 signature."""
    timestamp = int(headers["webhook-timestamp"])
    if abs((now or time.time()) - timestamp) > tolerance_seconds:
        return False
    expected = sign(secret, headers["webhook-id"], timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split())


# Subscriptions -----------------------------------------------------------------------------------


def check_url(url: str, policy: Policy) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidSubscription("url", "give a full https:// address")
    if parts.username or parts.password:
        raise InvalidSubscription("url", "an address with a user name or password is not accepted")
    if parts.scheme == "http" and not (policy.allow_loopback_http and _is_loopback(parts.hostname)):
        raise InvalidSubscription("url", "must be https:// (plain http only to this machine, in development)")
    return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_event_types(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if not event_types:
        raise InvalidSubscription("event_types", f"name at least one of {', '.join(EVENT_TYPES)}")
    if unknown:
        raise InvalidSubscription(
            "event_types", f"unknown event type(s) {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}"
        )
    return sorted(set(event_types))


def subscribe(
    session: Session,
    key: ApiKey,
    url: str,
    event_types: list[str],
    policy: Policy,
    contact_email: str | None = None,
    description: str | None = None,
) -> WebhookSubscription:
    """From now on: changes already in the feed are not sent (read them from /changes)."""
    email = contact_email or (key.user.email if key.user is not None else None)
    if not email:
        raise InvalidSubscription("contact_email", "say where to write if deliveries keep failing")
    _cursor(session)  # waits for a dispatch under way, so no change falls between the two
    subscription = WebhookSubscription(
        api_key_id=key.id,
        url=check_url(url, policy),
        event_types=check_event_types(event_types),
        contact_email=email,
        description=description,
        secret_salt=secrets.token_hex(16),
        after_change_id=session.scalar(select(ChangeRecord.id).order_by(ChangeRecord.id.desc()).limit(1)) or 0,
    )
    session.add(subscription)
    session.flush()
    return subscription


def subscriptions_of(session: Session, key: ApiKey) -> list[WebhookSubscription]:
    return list(
        session.scalars(
            select(WebhookSubscription).where(WebhookSubscription.api_key_id == key.id).order_by(WebhookSubscription.id)
        )
    )


def deliveries_of(session: Session, subscription: WebhookSubscription, limit: int = 100) -> list[WebhookDelivery]:
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def enable(subscription: WebhookSubscription) -> None:
    subscription.active, subscription.disabled_at, subscription.disabled_reason = True, None, None
    subscription.failures_in_a_row = 0


# Fan-out: change log -> deliveries ---------------------------------------------------------------


def event_type(change: ChangeRecord) -> str:
    return f"{change.resource}.{change.action}"


def dispatch(session: Session, now: datetime) -> tuple[list[int], bool]:
    """Turn changes not yet seen into pending deliveries; returns their ids and whether more
    changes wait. The cursor moves in the same transaction, so nothing is created twice."""
    active = select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    if session.scalar(active.limit(1)) is None:
        return [], False  # nothing to write: a new subscription starts after the changes held then
    cursor = _cursor(session)
    subscriptions = list(session.scalars(active))  # read under the lock: none slips past the cursor
    start = max(cursor.position, min(s.after_change_id for s in subscriptions))
    found = list(
        session.scalars(
            select(ChangeRecord).where(ChangeRecord.id > start).order_by(ChangeRecord.id).limit(DISPATCH_BATCH)
        )
    )
    if not found:
        return [], False
    created = []
    for change in found:
        for subscription in subscriptions:
            if _wants(subscription, change):
                delivery = WebhookDelivery(
                    subscription_id=subscription.id,
                    change_id=change.id,
                    event_type=event_type(change),
                    message_id=f"msg_{change.id}_{subscription.id}",
                    next_attempt_at=now,
                )
                session.add(delivery)
                created.append(delivery)
    cursor.position = found[-1].id
    session.flush()
    return [d.id for d in created], len(found) == DISPATCH_BATCH


def _cursor(session: Session) -> JobCursor:
    """The dispatch cursor, locked until this transaction ends: a second dispatcher waits and then
    reads where the first left off (an UPDATE locks the row on PostgreSQL and takes SQLite's
    write lock)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(JobCursor)
        .values(name=DISPATCH_CURSOR, position=0, detail={})
        .on_conflict_do_nothing(index_elements=["name"])
    )
    session.execute(update(JobCursor).where(JobCursor.name == DISPATCH_CURSOR).values(position=JobCursor.position))
    return session.scalar(
        select(JobCursor).where(JobCursor.name == DISPATCH_CURSOR).execution_options(populate_existing=True)
    )


def _wants(subscription: WebhookSubscription, change: ChangeRecord) -> bool:
    key = subscription.api_key
    return (
        change.id > subscription.after_change_id
        and event_type(change) in subscription.event_types
        and key.revoked_at is None
        and _key_scopes(key) >= {change.scope}
    )


def _key_scopes(key: ApiKey) -> frozenset[str]:
    from matchmaker.services.access import principal_for_key

    return principal_for_key(key).scopes


def payload(change: ChangeRecord, entry: dict) -> bytes:
    """The body sent: the event type, when, and the change as the feed shows it (``entry``, from
    the API's representation; its ``data`` is sent as ``state``)."""
    data = {key: value for key, value in entry.items() if key not in ("data", "at")}
    body = {
        "type": event_type(change),
        "timestamp": change.at.isoformat().replace("+00:00", "Z"),
        "data": {**data, "state": entry["data"]},
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


# One attempt -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    milliseconds: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, headers: dict[str, str], body: bytes, timeout: float) -> Outcome:
    import requests

    started = time.monotonic()
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        error = None if 200 <= response.status_code < 300 else f"answered {response.status_code}"
        outcome_code = response.status_code
    except requests.RequestException as exc:
        outcome_code, error = None, f"{type(exc).__name__}: {exc}"[:500]
    return Outcome(outcome_code, error, int((time.monotonic() - started) * 1000))


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes, now: datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "content-type": "application/json",
        "user-agent": "SharedServiceMatchmaker-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, delivery.message_id, timestamp, body),
    }


@dataclass(frozen=True)
class Claim:
    """What a delivery job may do: send ``delivery`` (claimed for it), or come back after
    ``wait_seconds`` (another worker holds the claim), or nothing (``delivery`` None)."""

    delivery: WebhookDelivery | None = None
    wait_seconds: float = 0.0


INTERRUPTED = "the worker sending it stopped before the answer was recorded; sent again with the same webhook-id"


def claim(session: Session, delivery_id: int, token: str, policy: Policy, now: datetime) -> Claim:
    """Claim the delivery for the job ``token`` if it is still to be sent and nobody holds it. The
    caller commits the claim before sending, so a second job for it (a message delivered twice)
    waits for the claim to be answered or to run out instead of sending at the same time. A claim
    that ran out with no answer recorded is written to the log as an attempt whose outcome is
    unknown: the receiver may have had it, and it is sent again with the same webhook-id."""
    query = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    delivery = session.scalar(query)
    if delivery is None or delivery.status != "pending":
        return Claim()
    if not delivery.subscription.active:
        delivery.status, delivery.finished_at = "cancelled", now
        return Claim()
    if delivery.claimed_until is not None and delivery.claimed_until > now:
        return Claim(wait_seconds=(delivery.claimed_until - now).total_seconds() + 0.1)
    if delivery.claimed_until is not None:
        _log(session, delivery, Outcome(None, INTERRUPTED, 0), now)
    delivery.claimed_by, delivery.claimed_until = token, now + timedelta(seconds=policy.claim_seconds)
    return Claim(delivery)


def _log(session: Session, delivery: WebhookDelivery, outcome: Outcome, now: datetime) -> None:
    delivery.attempts += 1
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            number=delivery.attempts,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            milliseconds=outcome.milliseconds,
        )
    )


def record_attempt(
    session: Session, delivery_id: int, token: str, outcome: Outcome, policy: Policy, now: datetime
) -> str:
    """Returns what happens next: "done", "retry" or "failed" (and "disabled" when the
    subscription was switched off by this failure); "done" too when the claim was no longer
    ``token``'s (another worker took it over after it ran out, and decides)."""
    query = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    delivery = session.scalar(query)
    _log(session, delivery, outcome, now)
    if delivery.claimed_by != token or delivery.status != "pending":
        if outcome.succeeded and delivery.status == "pending":
            delivery.status, delivery.finished_at, delivery.next_attempt_at = "succeeded", now, None
        return "done"
    delivery.claimed_by = delivery.claimed_until = None
    subscription = delivery.subscription
    if outcome.succeeded:
        delivery.status, delivery.finished_at, delivery.next_attempt_at = "succeeded", now, None
        subscription.failures_in_a_row = 0
        return "done"
    if delivery.attempts < policy.max_attempts:
        delivery.next_attempt_at = now + timedelta(seconds=policy.retry_delay(delivery.attempts))
        return "retry"
    delivery.status, delivery.finished_at, delivery.next_attempt_at = "failed", now, None
    subscription.failures_in_a_row += 1
    if subscription.failures_in_a_row >= policy.disable_after_failed_deliveries and subscription.active:
        subscription.active, subscription.disabled_at = False, now
        subscription.disabled_reason = (
            f"{subscription.failures_in_a_row} deliveries in a row failed after "
            f"{policy.max_attempts} attempts each; the last: {outcome.error}"
        )
        return "disabled"
    return "failed"


def due(session: Session, now: datetime) -> list[int]:
    """Pending deliveries whose time has come: what a starting worker sends again in case their
    job message was lost."""
    return list(
        session.scalars(
            select(WebhookDelivery.id).where(
                WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now
            )
        )
    )
