"""`matchmaker worker`: run background jobs from the queue until stopped (SIGTERM or Ctrl-C)."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app

from matchmaker.commands.errors import fail


@click.command("worker", help="Run background jobs (webhook deliveries, email, retraining, statistics) from the queue.")
@click.option("--threads", default=2, show_default=True, type=int, envvar="MATCHMAKER_WORKER_THREADS")
def worker(threads: int) -> None:
    from dramatiq import Worker

    from matchmaker.jobs import tasks
    from matchmaker.jobs.queue import get_queue

    app = current_app._get_current_object()
    queue = get_queue(app)
    if queue.inline:
        fail("No broker is configured (MATCHMAKER_BROKER_URL): jobs run inline, there is no queue to work on.")
    stop = threading.Event()
    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), lambda *_: stop.set())
    runner = Worker(queue.broker, queues={queue.queue_name}, worker_threads=threads)
    runner.start()
    click.echo(f"Worker on queue {queue.queue_name} with {threads} threads", err=True)
    with app.app_context():
        tasks.sweep()
    stop.wait()
    runner.stop()
    queue.close()


COMMANDS = [worker]
