"""Shared helpers for the refresh tests: principals for the demo users, arrangement lookups."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.db import Arrangement, Submission, User
from matchmaker.services.access import principal_for_user

PUBLISHED_TABLES = (
    "arrangements",
    "arrangement_members",
    "arrangement_services",
    "savings_records",
)


def principal(session, email):
    return principal_for_user(session.scalar(select(User).where(User.email == email)))


def officer(session):
    return principal(session, "council-officer@demo.example")


def adviser(session):
    return principal(session, "adviser@demo.example")


def arrangement(session, public_id):
    return session.scalar(select(Arrangement).where(Arrangement.public_id == public_id))


def submission(session, submission_id):
    return session.get(Submission, submission_id)


def published(dump):
    return {name: dump[name] for name in PUBLISHED_TABLES}
