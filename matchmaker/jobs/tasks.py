"""The jobs themselves. Each reads the database first and does nothing that is already done, so
a job delivered twice (a worker killed mid-job) is done once."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from matchmaker.database import get_database
from matchmaker.db import ChangeRecord
from matchmaker.db.webhooks import JobCursor, WebhookSubscription
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
    policy = webhooks.Policy.from_config(current_app.config)
    with get_database().transaction() as session:
        delivery = webhooks.claim(session, delivery_id)
        if delivery is None:
            return
        now = _now()
        change = session.get(ChangeRecord, delivery.change_id)
        body = webhooks.payload(change, feed_entry(change))
        secret = webhooks.secret_for(delivery.subscription, current_app.config["SECRET_KEY"])
        outcome = webhooks.post(
            delivery.subscription.url, webhooks.headers_for(delivery, secret, body, now), body, policy.timeout_seconds
        )
        result = webhooks.record_attempt(session, delivery, outcome, policy, _now())
        if result == "retry":
            after_commit(session, "deliver_webhook", policy.retry_delay(delivery.attempts), delivery_id=delivery_id)
        elif result == "disabled":
            after_commit(session, "notify_disabled", subscription_id=delivery.subscription_id)


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
    from matchmaker.core.pipeline import train_artefact
    from matchmaker.db import TrainingRun
    from matchmaker.db.repositories import changes
    from matchmaker.db.snapshot import load_dataset
    from matchmaker.services import recommendations, retraining

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
        recommendations.clear_cache()
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


def sweep() -> None:
    """At a worker's start: whatever a lost message left undone is asked for again."""
    dispatch_changes()
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
}
