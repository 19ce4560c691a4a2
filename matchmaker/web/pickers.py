"""Choices for the forms' pickers: councils and arrangements by name, the code only as the value.

Each list renders as a plain <select> (usable without JavaScript) that the accessible
autocomplete turns into a type-ahead. Several councils are chosen with numbered pickers, joined
back into the semicolon-separated codes the shared checks read.
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.db import Arrangement, Organisation
from matchmaker.flask_database import get_session

COUNCIL_PICKERS = 6


def council_options(blank: str = "") -> list[tuple[str, str]]:
    rows = get_session().execute(
        select(Organisation.gss_code, Organisation.name)
        .where(Organisation.end_date.is_(None), Organisation.gss_code.is_not(None), Organisation.synthetic.is_(False))
        .order_by(Organisation.name)
    )
    return [("", blank)] + [(code, name) for code, name in rows]


def arrangement_options(blank: str = "") -> list[tuple[str, str]]:
    rows = get_session().execute(
        select(Arrangement.public_id, Arrangement.name).where(Arrangement.status != "ended").order_by(Arrangement.name)
    )
    return [("", blank)] + [(public_id, name) for public_id, name in rows]


def chosen_councils(form, name: str = "council") -> str:
    """The numbered pickers' codes (council_1 ... council_N), in order, without repeats."""
    codes: list[str] = []
    for index in range(1, COUNCIL_PICKERS + 1):
        code = form.get(f"{name}_{index}", "").strip()
        if code and code not in codes:
            codes.append(code)
    return ";".join(codes)


def picker_values(codes: str) -> list[str]:
    """Joined codes spread over the numbered pickers, padded with empty ones."""
    given = [c.strip() for c in (codes or "").replace(",", ";").split(";") if c.strip()]
    return (given + [""] * COUNCIL_PICKERS)[: max(COUNCIL_PICKERS, len(given))]
