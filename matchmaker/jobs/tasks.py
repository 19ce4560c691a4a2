"""The jobs themselves. Each reads the database first and does nothing that is already done, so
a job delivered twice (a worker killed mid-job) is done once."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from matchmaker.db import ChangeRecord
from matchmaker.db.webhooks import JobCursor, WebhookDelivery, WebhookSubscription
from matchmaker.flask_database import get_database
from matchmaker.jobs.queue import after_commit
from matchmaker.services import model_versions, webhooks
from matchmaker.services.feed import representation as feed_entry


def _now() -> datetime:
    return datetime.now(timezone.utc)


def dispatch_changes() -> None:
    """New change-log entries become webhook deliveries, each sent as its own job."""
    more = True
    while more:
        with get_database().transaction() as session:
            created, more = webhooks.dispatch(session, _now())
            for delivery_id in created:
                after_commit(session, "deliver_webhook", delivery_id=delivery_id)


def deliver_webhook(delivery_id: int) -> None:
    """Claim, send outside any transaction, record. A worker killed while sending leaves its claim
    to run out; the job, delivered again, then logs that attempt as unknown and sends once more
    with the same webhook-id (at least once: receivers drop repeats by that id)."""
    policy = webhooks.Policy.from_config(current_app.config)
    token = uuid.uuid4().hex
    with get_database().transaction() as session:
        claim = webhooks.claim(session, delivery_id, token, policy, _now())
        if claim.wait_seconds:
            after_commit(session, "deliver_webhook", claim.wait_seconds, delivery_id=delivery_id)
        delivery = claim.delivery
        if delivery is None:
            return
        change = session.get(ChangeRecord, delivery.change_id)
        body = webhooks.payload(change, feed_entry(change))
        secret = webhooks.secret_for(delivery.subscription, current_app.config["SECRET_KEY"])
        url, headers = delivery.subscription.url, webhooks.headers_for(delivery, secret, body, _now())
        subscription_id = delivery.subscription_id
    outcome = webhooks.post(url, headers, body, policy.timeout_seconds)
    with get_database().transaction() as session:
        result = webhooks.record_attempt(session, delivery_id, token, outcome, policy, _now())
        if result == "retry":
            attempts = session.get(WebhookDelivery, delivery_id).attempts
            after_commit(session, "deliver_webhook", policy.retry_delay(attempts), delivery_id=delivery_id)
        elif result == "disabled":
            after_commit(session, "notify_disabled", subscription_id=subscription_id)


def notify_disabled(subscription_id: int) -> None:
    """Write to the subscription's owner once per time it was disabled."""
    from matchmaker.services import mail

    with get_database().transaction() as session:
        subscription = session.get(WebhookSubscription, subscription_id)
        if subscription is None or subscription.active or subscription.disabled_at is None:
            return
        marker = f"notice:{subscription.id}:{int(subscription.disabled_at.timestamp())}"
        if session.scalar(select(JobCursor).where(JobCursor.name == marker)) is not None:
            return
        settings = mail.MailSettings.from_config(current_app.config, current_app.instance_path)
        message = mail.compose(
            settings,
            subscription.contact_email,
            "Your Shared Service Matchmaker webhook was switched off",
            f"Deliveries to {subscription.url} kept failing, so the subscription was switched off on "
            f"{subscription.disabled_at:%d %B %Y at %H:%M} UTC.\n\nWhy: {subscription.disabled_reason}\n\n"
            "The delivery log (GET /api/v1/webhooks/{id}/deliveries) shows each attempt. Once the "
            "receiver works again, switch the subscription back on with "
            f"POST /api/v1/webhooks/{subscription.id}/enable; changes missed meanwhile are in "
            "GET /api/v1/changes.\n",
        )
        mail.deliver(settings, message)
        session.add(JobCursor(name=marker, position=0, detail={"to": subscription.contact_email}))


def retrain(run_id: int) -> None:
    """Train and back-test on the data held now; activate only if no worse (services.retraining).
    A run already decided is left alone; one a killed worker left running starts again."""
    from matchmaker.core.artefact import read_artefact
    from matchmaker.core.train import train_artefact
    from matchmaker.db import TrainingRun
    from matchmaker.db.repositories import changes
    from matchmaker.db.snapshot import load_dataset
    from matchmaker.services import retraining

    database = get_database()
    with database.transaction() as session:
        run = session.get(TrainingRun, run_id)
        if run is None or run.status in retraining.FINISHED:
            return
        retraining.set_step(run, "Reading the data", "running")
        run.data_version = changes.data_version(session)
    try:
        with database.session() as session:
            dataset = load_dataset(session)
        _step(run_id, "Back-testing and training the new model")
        artefact = train_artefact(
            dataset, "auto", evaluate=True, n_boot=int(current_app.config.get("RETRAIN_BOOTSTRAP", 1000))
        )
        model_versions.stamp(artefact, run.data_version)
        _step(run_id, "Comparing with the current model")
        path = Path(current_app.config["MODEL_PATH"])
        try:
            current = read_artefact(path)
        except (OSError, ValueError):
            current = None
        with database.transaction() as session:
            retraining.finish(session, session.get(TrainingRun, run_id), artefact, current, path)
    except Exception as problem:
        with database.transaction() as session:
            failed = session.get(TrainingRun, run_id)
            failed.reason = f"{type(problem).__name__}: {problem}"[:2000]
            failed.finished_at = _now()
            retraining.set_step(failed, "Stopped by an error", "failed")
        raise


def _step(run_id: int, step: str) -> None:
    from matchmaker.db import TrainingRun
    from matchmaker.services import retraining

    with get_database().transaction() as session:
        retraining.set_step(session.get(TrainingRun, run_id), step)


def rebuild_statistics() -> None:
    """The statistics pages and API read these while the data version matches (and compute live
    otherwise); done once however often it is asked for."""
    from matchmaker.services import stored_statistics

    with get_database().transaction() as session:
        stored_statistics.rebuild(session)


def sweep() -> None:
    """At a worker's start: whatever a lost message left undone is asked for again."""
    dispatch_changes()
    rebuild_statistics()
    with get_database().session() as session:
        due = webhooks.due(session, _now())
    from matchmaker.jobs.queue import get_queue

    for delivery_id in due:
        get_queue().send("deliver_webhook", delivery_id=delivery_id)


FUNCTIONS = {
    "dispatch_changes": dispatch_changes,
    "deliver_webhook": deliver_webhook,
    "notify_disabled": notify_disabled,
    "retrain": retrain,
    "rebuild_statistics": rebuild_statistics,
}
