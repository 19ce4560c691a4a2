"""A real SMTP server (aiosmtpd) on the loopback for tests that send email, and link helpers."""

from __future__ import annotations

import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

LINK = re.compile(r"https?://\S+/set-password/[A-Za-z0-9_-]+")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def link_for(self, address: str) -> str:
        """The set-password link in the latest message to ``address``."""
        received = self.to(address)
        assert received, f"no message was sent to {address}"
        found = LINK.search(received[-1].get_content())
        assert found, "the message has no set-password link"
        return found.group(0)


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    inbox.port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_config(inbox: Inbox) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": inbox.port, "SMTP_STARTTLS": False}


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]
