"""Finding organisations and service areas for the pages."""
from __future__ import annotations

from flask import abort
from sqlalchemy import Row, case, func, or_, select
from sqlalchemy.orm import Session

from matchmaker.db import Organisation, ServiceArea

SEARCH_LIMIT = 20


def fold(text: str) -> str:
    """A name as search compares it: lower case, without apostrophes or full stops, "&" read
    as "and", "Saint" as "St" ("St. Albans", "Saint Albans" and "St Albans" are one name)."""
    folded = text.lower()
    for mark in FOLDED_AWAY:
        folded = folded.replace(mark, "")
    folded = folded.replace("&", " and ")
    return " ".join("st" if word == "saint" else word for word in folded.split())


FOLDED_AWAY = ("'", "\u2019", ".")


def _folded_column(column):
    """The same folding in SQL (spaces around "&" are left as typed in names, which use " & ")."""
    folded = func.lower(column)
    for mark in FOLDED_AWAY:
        folded = func.replace(folded, mark, "")
    folded = func.replace(folded, "&", "and")
    folded = func.replace(folded, "saint ", "st ")
    return folded


def search_organisations(session: Session, text: str, limit: int = SEARCH_LIMIT) -> list[Organisation]:
    """Councils whose folded name or short name contains the folded ``text``, or whose GSS code
    starts with it. Current councils first, then exact and prefix matches, then alphabetical."""
    text = text.strip()
    if not text:
        return []
    needle = fold(text)
    code = text.lower()
    pattern = f"%{_escape_like(needle)}%"
    name, short_name = _folded_column(Organisation.name), _folded_column(Organisation.short_name)
    query = (
        select(Organisation)
        .where(
            or_(
                name.like(pattern, escape="\\"),
                short_name.like(pattern, escape="\\"),
                func.lower(Organisation.gss_code).like(f"{_escape_like(code)}%", escape="\\"),
            ),
            Organisation.synthetic.is_(False),
        )
        .order_by(
            Organisation.end_date.is_not(None),
            case((func.lower(Organisation.gss_code) == code, 0),
                 (short_name == needle, 0),
                 (name.like(f"{_escape_like(needle)}%", escape="\\"), 1),
                 (short_name.like(f"{_escape_like(needle)}%", escape="\\"), 1),
                 else_=2),
            Organisation.name,
        )
        .limit(limit)
    )
    return list(session.scalars(query))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def organisation_by_code(session: Session, code: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.gss_code == code.strip().upper()))


def organisation_or_404(session: Session, code: str) -> Organisation:
    organisation = organisation_by_code(session, code)
    if organisation is None:
        abort(404)
    return organisation


def current_councils(session: Session) -> list[Row]:
    """(gss_code, name) of every current real council, for the council pickers."""
    return list(session.execute(
        select(Organisation.gss_code, Organisation.name)
        .where(Organisation.end_date.is_(None), Organisation.synthetic.is_(False),
               Organisation.gss_code.is_not(None))
        .order_by(Organisation.name)
    ))


def service_areas(session: Session) -> list[ServiceArea]:
    return list(session.scalars(select(ServiceArea).order_by(ServiceArea.position)))


def service_or_none(session: Session, slug: str | None) -> ServiceArea | None:
    if not slug:
        return None
    return session.scalar(select(ServiceArea).where(ServiceArea.slug == slug))
