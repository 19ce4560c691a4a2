"""A real `matchmaker worker` process on a queue of the test's own, against local RabbitMQ."""

from __future__ import annotations

import pytest

from matchmaker.jobs import queue, tasks
from tests.support.receiver import Receiver
from tests.support.workers import BROKER_URL, FAST_RETRIES, Workers, private_queue


@pytest.fixture
def queue_name():
    with private_queue() as name:
        yield name


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
