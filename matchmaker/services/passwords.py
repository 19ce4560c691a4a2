"""The password rule and the hash: one place decides what a good password is and how it is kept.

Hashes are werkzeug's scrypt (memory-hard). A password must be at least MINIMUM_LENGTH characters
and not on the shipped list of common passwords (see common-passwords.txt for its source and
licence), compared without regard to case or surrounding spaces.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_LENGTH = 10
MAXIMUM_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
# Stored for a user who has not set a password yet: no password ever matches it.
UNSET = "!unset"
# Compared against when there is no real hash, so every failure takes the same time.
_STAND_IN_HASH = generate_password_hash("stand-in password that nobody has")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def problem(password: str, email: str = "") -> str | None:
    """What is wrong with a new password, in words for the person choosing it; None when fine."""
    if len(password) < MINIMUM_LENGTH:
        return f"Password must be {MINIMUM_LENGTH} characters or more"
    if len(password) > MAXIMUM_LENGTH:
        return f"Password must be {MAXIMUM_LENGTH} characters or fewer"
    folded = password.strip().lower()
    if folded in common_passwords():
        return "Password is too common: choose one that other people are unlikely to use"
    if email and folded == email.strip().lower():
        return "Password must not be your email address"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def matches(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; as slow for an unset or unknown hash as a real one."""
    usable = bool(stored) and stored != UNSET
    try:
        ok = check_password_hash(stored if usable else _STAND_IN_HASH, password)
    except ValueError:
        ok = False
    return ok and usable
