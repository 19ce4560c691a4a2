"""Sending email: through SMTP when MATCHMAKER_SMTP_HOST is set, else into instance/outbox/.

With no SMTP server configured nothing is lost: each message is written as an .eml file that
any mail program opens, and the page that sent it says where it went. STARTTLS is used whenever
credentials are given, so a password never crosses the network in clear.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Mapping

SMTP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class MailSettings:
    sender: str
    outbox: Path
    host: str | None = None
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str | Path) -> "MailSettings":
        return cls(
            sender=config.get("MAIL_FROM") or "Shared Service Matchmaker <no-reply@localhost>",
            outbox=Path(instance_path) / "outbox",
            host=config.get("SMTP_HOST"),
            port=int(config.get("SMTP_PORT") or 587),
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            starttls=bool(config.get("SMTP_STARTTLS", True)),
        )


@dataclass(frozen=True)
class Delivery:
    """Where a message went: sent to an SMTP server, or written to a file in the outbox."""

    sent: bool
    file: Path | None = None


def compose(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="matchmaker.invalid")
    message["Date"] = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(body)
    return message


def deliver(settings: MailSettings, message: EmailMessage) -> Delivery:
    if settings.host:
        _send(settings, message)
        return Delivery(sent=True)
    return Delivery(sent=False, file=_write(settings.outbox, message))


def _send(settings: MailSettings, message: EmailMessage) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        smtp.ehlo()
        if settings.username or settings.starttls and smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


def _write(outbox: Path, message: EmailMessage) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"{stamp}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
    path.write_bytes(message.as_bytes())
    return path
