"""The job queue of one application: a dramatiq broker, or inline when none is configured.

Jobs are sent only after the transaction that asked for them commits (a job must see what its
transaction wrote, and a rolled-back transaction asks for nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from matchmaker.db.repositories import changes

EXTENSION_KEY = "matchmaker.jobs"
PENDING = "matchmaker_jobs_pending"
log = logging.getLogger(__name__)


def make_broker(url: str):
    """A dramatiq broker for ``url``: amqp:// (RabbitMQ) or redis://."""
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url)
    if url.startswith(("redis://", "rediss://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url)
    raise ValueError(f"MATCHMAKER_BROKER_URL must start with amqp:// or redis://, not {url[:20]!r}")


class JobQueue:
    """Named jobs, each a plain function of JSON-able keyword arguments run in an app context."""

    def __init__(self, app: Flask, functions: dict[str, Callable[..., Any]]) -> None:
        self.app = app
        self.functions = functions
        self.queue_name = app.config["JOB_QUEUE"]
        url = app.config.get("BROKER_URL")
        self.broker = make_broker(url) if url else None
        self.actors = {name: self._actor(name) for name in functions} if self.broker else {}

    @property
    def inline(self) -> bool:
        return self.broker is None

    def _actor(self, name: str):
        import dramatiq

        return dramatiq.Actor(
            self._in_app(name),
            broker=self.broker,
            actor_name=name,
            queue_name=self.queue_name,
            priority=0,
            options={"max_retries": 5, "time_limit": 3_600_000},
        )

    def _in_app(self, name: str) -> Callable[..., Any]:
        def run(**kwargs: Any) -> None:
            with self.app.app_context():
                self.functions[name](**kwargs)

        run.__name__ = name
        return run

    def send(self, name: str, delay_seconds: float = 0, **kwargs: Any) -> None:
        """Now, outside any transaction. Inline, a delayed job is not run: a retry needs a worker."""
        if name not in self.functions:
            raise KeyError(f"no job called {name!r}")
        if self.broker is not None:
            self.actors[name].send_with_options(kwargs=kwargs, delay=int(delay_seconds * 1000) or None)
        elif not delay_seconds:
            with self.app.app_context():
                self.functions[name](**kwargs)
        else:
            log.info("job %s not run: retries wait for a worker (no broker configured)", name)

    def close(self) -> None:
        if self.broker is not None:
            self.broker.close()


def get_queue(app: Flask | None = None) -> JobQueue:
    return (app or current_app).extensions[EXTENSION_KEY]


def after_commit(session: Session, name: str, delay_seconds: float = 0, **kwargs: Any) -> None:
    """Send the job once ``session``'s transaction commits (once, however often it is asked for
    with the same arguments); forget it if the transaction rolls back."""
    pending = session.info.setdefault(PENDING, [])
    job = (get_queue(), name, delay_seconds, kwargs)
    if job not in pending:
        pending.append(job)


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    if session.info.pop(changes.WRITTEN, False) and has_app_context() and EXTENSION_KEY in current_app.extensions:
        # New changes in the log: they become webhook deliveries (a worker also looks at start),
        # and with a worker the statistics are computed ahead (inline, pages compute them live).
        jobs = session.info.setdefault(PENDING, [])
        jobs.append((get_queue(), "dispatch_changes", 0, {}))
        if not get_queue().inline:
            jobs.append((get_queue(), "rebuild_statistics", 0, {}))
    pending = session.info.pop(PENDING, [])
    for queue, name, delay_seconds, kwargs in pending:
        try:
            queue.send(name, delay_seconds, **kwargs)
        except Exception:  # the committed work stands; the worker's sweep finds what is undone
            log.exception("job %s could not be sent", name)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(changes.WRITTEN, None)


def init_app(app: Flask, functions: dict[str, Callable[..., Any]]) -> JobQueue:
    queue = JobQueue(app, functions)
    app.extensions[EXTENSION_KEY] = queue
    return queue
