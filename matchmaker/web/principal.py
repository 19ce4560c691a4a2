"""Who is looking at this page, as the shared services understand it."""

from __future__ import annotations

from flask_login import current_user

from matchmaker.services.access import ANONYMOUS, Principal, principal_for_user


def current_principal() -> Principal:
    if current_user and current_user.is_authenticated:
        return principal_for_user(current_user)
    return ANONYMOUS
