"""A real `matchmaker worker` process on a queue of the test's own, against local RabbitMQ."""

from __future__ import annotations

import uuid

import pytest

from matchmaker.jobs import queue, tasks
from tests.support.receiver import Receiver
from tests.support.workers import BROKER_URL, FAST_RETRIES, Workers


def _broker_answers() -> bool:
    import pika

    try:
        pika.BlockingConnection(pika.URLParameters(BROKER_URL)).close()
        return True
    except Exception:
        return False


@pytest.fixture
def queue_name():
    if not _broker_answers():
        pytest.fail(f"RabbitMQ does not answer at {BROKER_URL}")
    name = f"matchmaker-test-{uuid.uuid4().hex[:12]}"
    yield name
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
    channel = connection.channel()
    for suffix in ("", ".DQ", ".XQ"):
        channel.queue_delete(name + suffix)
    connection.close()


@pytest.fixture
def queued_app(app, queue_name):
    """The test app sending its jobs to the test's queue (instead of running them inline)."""
    app.config.update(BROKER_URL=BROKER_URL, JOB_QUEUE=queue_name)
    jobs = queue.init_app(app, tasks.FUNCTIONS)
    yield app
    jobs.close()


@pytest.fixture
def workers(queued_app, queue_name):
    pool = Workers(queued_app, queue_name, FAST_RETRIES)
    yield pool
    pool.stop_all()


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server
