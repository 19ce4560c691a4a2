"""Checking an expert's registry entry: skills (service areas, kinds of help), regions, capacity."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.core.experts import HELP_LABELS
from matchmaker.db import Organisation
from matchmaker.db.repositories.reference import service_areas

MAX_CAPACITY = 20


class InvalidExpert(ValueError):
    """Nothing was stored. ``fields`` maps each field at fault to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in fields.items()))
        self.fields = fields


def known_regions(session: Session) -> list[str]:
    return sorted(r for r in session.scalars(select(Organisation.region).distinct()) if r)


def check_expert(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 200:
        problems["name"] = "give the expert's name (up to 200 characters)"
    email = str(data.get("email") or "").strip() or None
    if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
        problems["email"] = "not an email address"
    services = [s.slug for s in service_areas(session)]
    values = {
        "name": name,
        "email": email,
        "service_slugs": _subset(data, "service_slugs", services, problems, required=True),
        "help_kinds": _subset(data, "help_kinds", list(HELP_LABELS), problems),
        "regions": _subset(data, "regions", known_regions(session), problems),
        "capacity": _capacity(data.get("capacity", 1), problems),
        "available": bool(data.get("available", True)),
        "available_from": _day(data.get("available_from"), problems),
    }
    if problems:
        raise InvalidExpert(problems)
    return values


def _subset(data: dict[str, Any], name: str, allowed: list[str], problems: dict, required: bool = False) -> list[str]:
    values = data.get(name) or []
    if isinstance(values, str):
        values = [values]
    wrong = [str(v) for v in values if v not in allowed]
    if wrong:
        problems[name] = f"unknown value(s) {', '.join(wrong)} (allowed: {', '.join(allowed)})"
    elif required and not values:
        problems[name] = "give at least one"
    return sorted(set(values) - set(wrong), key=allowed.index)


def _capacity(value: Any, problems: dict) -> int:
    try:
        capacity = int(value)
        if isinstance(value, float) and value != capacity:
            raise ValueError
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= MAX_CAPACITY:
        problems["capacity"] = f"a whole number of concurrent assignments from 1 to {MAX_CAPACITY}"
    return capacity


def _day(value: Any, problems: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems["available_from"] = "a date as YYYY-MM-DD"
        return None
