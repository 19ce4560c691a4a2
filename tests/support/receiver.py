"""A real HTTP server on loopback that receives webhooks, answering as a test tells it to."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Behaviour:
    fail_first: int = 0  # answer 500 to this many requests first
    always_fail: bool = False
    hold_first: bool = False  # keep the first request waiting until released, then answer held_answer
    held_answer: int = 503
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class Receiver:
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.received: list[Received] = []
        self.processed: list[bytes] = []
        self.seen: set[str] = set()  # each message once, as the API docs tell receivers to
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.process(self.headers["webhook-id"], body)
                status = receiver.answer()
                with receiver.lock:
                    receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body, status))
                try:
                    self.send_response(status)
                    self.send_header("content-length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender went away meanwhile

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def process(self, message_id: str, body: bytes) -> None:
        """What a receiver does before answering: keep the message, unless its webhook-id was
        seen before (a repeat of a message already kept)."""
        with self.lock:
            if message_id not in self.seen:
                self.seen.add(message_id)
                self.processed.append(body)

    def answer(self) -> int:
        b = self.behaviour
        with self.lock:
            number = len(self.received) + 1
        if b.hold_first and not b.held.is_set():
            b.held.set()
            b.release.wait(timeout=60)
            return b.held_answer
        if b.always_fail or number <= b.fail_first:
            return 500
        return 204

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.behaviour.release.set()
        self.server.shutdown()
        self.server.server_close()
