"""The two messages an account gets: an invitation and a password reset, each with its link."""

from __future__ import annotations

from matchmaker.services.mail import Delivery, MailSettings, compose, deliver
from matchmaker.services.users import ROLE_NAMES, IssuedLink

SET_PASSWORD_PATH = "/set-password/"


def link_url(base_url: str, issued: IssuedLink) -> str:
    return f"{base_url.rstrip('/')}{SET_PASSWORD_PATH}{issued.token}"


def _expiry(issued: IssuedLink) -> str:
    return issued.expires_at.strftime("%-d %B %Y at %H:%M UTC")


def send_invitation(settings: MailSettings, base_url: str, issued: IssuedLink) -> Delivery:
    user = issued.user
    role = ROLE_NAMES[user.role].lower()
    where = f" for {user.organisation.display_name}" if user.organisation else ""
    body = (
        f"You have been invited to the Shared Service Matchmaker as {_article(role)} {role}{where}.\n\n"
        f"Set your password to start:\n\n{link_url(base_url, issued)}\n\n"
        f"The link works once and expires on {_expiry(issued)}. If it has expired, use "
        "\"Forgot your password?\" on the sign-in page, or ask the person who invited you.\n"
    )
    return deliver(settings, compose(settings, user.email, "Your Shared Service Matchmaker account", body))


def send_reset(settings: MailSettings, base_url: str, issued: IssuedLink) -> Delivery:
    body = (
        "Someone asked to reset the password of your Shared Service Matchmaker account.\n\n"
        f"Choose a new password here:\n\n{link_url(base_url, issued)}\n\n"
        f"The link works once and expires on {_expiry(issued)}. If you did not ask, ignore this "
        "message: your password stays as it is.\n"
    )
    return deliver(
        settings, compose(settings, issued.user.email, "Reset your Shared Service Matchmaker password", body)
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
