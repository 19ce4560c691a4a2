"""A real `matchmaker worker` process on a queue of the test's own, and waiting on what it does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

BROKER_URL = os.environ.get("MATCHMAKER_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
REPOSITORY = Path(__file__).resolve().parents[2]
FAST_RETRIES = {"MATCHMAKER_WEBHOOK_FIRST_RETRY_SECONDS": "0.2", "MATCHMAKER_WEBHOOK_MAX_ATTEMPTS": "4"}


def wait_for(condition: Callable[[], object], what: str, seconds: float = 60.0):
    """Poll the state itself until it holds, up to a deadline (never a fixed pause)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)  # the poll interval, not a wait for an outcome
    raise AssertionError(f"timed out waiting for {what}")


def broker_answers() -> bool:
    import pika

    try:
        pika.BlockingConnection(pika.URLParameters(BROKER_URL)).close()
        return True
    except Exception:
        return False


@contextmanager
def private_queue() -> Iterator[str]:
    """The name of a queue for one test (or module) alone, deleted afterwards with its delay and
    dead-letter queues."""
    import pika

    if not broker_answers():
        raise AssertionError(f"RabbitMQ does not answer at {BROKER_URL}")
    name = f"matchmaker-test-{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
        channel = connection.channel()
        for suffix in ("", ".DQ", ".XQ"):
            channel.queue_delete(name + suffix)
        connection.close()


class Workers:
    def __init__(self, app, queue_name: str, env: dict[str, str]) -> None:
        self.app, self.queue_name, self.extra = app, queue_name, env
        self.running: list[subprocess.Popen] = []

    def start(self, module: str | None = None) -> subprocess.Popen:
        """``module``: run the worker through a module of tests/support instead of the installed
        command (one that changes something in the worker first)."""
        env = {
            **os.environ,
            "MATCHMAKER_DATABASE_URL": self.app.config["DATABASE_URL"],
            "MATCHMAKER_SECRET_KEY": self.app.config["SECRET_KEY"],
            "MATCHMAKER_INSTANCE_PATH": self.app.instance_path,
            "MATCHMAKER_BROKER_URL": BROKER_URL,
            "MATCHMAKER_JOB_QUEUE": self.queue_name,
            "MATCHMAKER_ENV": "development",
            **self.extra,
        }
        command = [sys.executable, "-m", module] if module else [str(Path(sys.executable).parent / "matchmaker")]
        process = subprocess.Popen(
            [*command, "worker", "--threads", "1"],
            cwd=REPOSITORY,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.running.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stderr and not process.stderr.closed:
                sys.stderr.write(process.stderr.read().decode(errors="replace")[-5000:])  # shown on failure
                process.stderr.close()
