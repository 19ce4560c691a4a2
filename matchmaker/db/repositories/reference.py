"""Reference data every part looks up, in one place: organisations by code or name, the
current councils, service areas, and the arrangements a council belongs to."""

from __future__ import annotations

from sqlalchemy import Row, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea

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
    pattern = f"%{escape_like(needle)}%"
    name, short_name = _folded_column(Organisation.name), _folded_column(Organisation.short_name)
    query = (
        select(Organisation)
        .where(
            or_(
                name.like(pattern, escape="\\"),
                short_name.like(pattern, escape="\\"),
                func.lower(Organisation.gss_code).like(f"{escape_like(code)}%", escape="\\"),
            ),
            Organisation.synthetic.is_(False),
        )
        .order_by(
            Organisation.end_date.is_not(None),
            case(
                (func.lower(Organisation.gss_code) == code, 0),
                (short_name == needle, 0),
                (name.like(f"{escape_like(needle)}%", escape="\\"), 1),
                (short_name.like(f"{escape_like(needle)}%", escape="\\"), 1),
                else_=2,
            ),
            Organisation.name,
        )
        .limit(limit)
    )
    return list(session.scalars(query))


def escape_like(text: str) -> str:
    """``text`` matched literally by LIKE ... ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def organisation_by_code(session: Session, code: str) -> Organisation | None:
    """The organisation with this GSS code (as typed: spaces and case do not matter), with its
    successors and predecessors."""
    return session.scalar(
        select(Organisation)
        .where(Organisation.gss_code == code.strip().upper())
        .options(selectinload(Organisation.successors), selectinload(Organisation.predecessors))
    )


def current_councils(session: Session) -> list[Row]:
    """(gss_code, name) of every current real council, for the council pickers."""
    return list(
        session.execute(
            select(Organisation.gss_code, Organisation.name)
            .where(
                Organisation.end_date.is_(None), Organisation.synthetic.is_(False), Organisation.gss_code.is_not(None)
            )
            .order_by(Organisation.name)
        )
    )


def service_areas(session: Session) -> list[ServiceArea]:
    """Every service area in the taxonomy's order."""
    return list(session.scalars(select(ServiceArea).order_by(ServiceArea.position)))


def service_by_slug(session: Session, slug: str | None) -> ServiceArea | None:
    if not slug:
        return None
    return session.scalar(select(ServiceArea).where(ServiceArea.slug == slug))


def arrangements_of(session: Session, organisation: Organisation, newest_first: bool = False) -> list[Arrangement]:
    """The arrangements ``organisation`` is or was a member of, with members, services and
    savings loaded: by id, or newest first (unknown start years last) then by name."""
    order = (Arrangement.start_year.desc().nulls_last(), Arrangement.name) if newest_first else (Arrangement.public_id,)
    return list(
        session.scalars(
            select(Arrangement)
            .join(Membership, Membership.arrangement_id == Arrangement.id)
            .where(Membership.organisation_id == organisation.id)
            .options(
                selectinload(Arrangement.members).selectinload(Membership.organisation),
                selectinload(Arrangement.services),
                selectinload(Arrangement.savings),
            )
            .order_by(*order)
        )
    )
