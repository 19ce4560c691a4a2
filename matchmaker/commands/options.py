"""Values of options that more than one command takes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchmaker.commands.errors import fail
from matchmaker.db import Organisation
from matchmaker.db.repositories.reference import organisation_by_code


def organisation_option(session: Session, code: str | None) -> Organisation | None:
    """The organisation named by --organisation, or None when it was not given; exit 2 if unknown."""
    if not code:
        return None
    found = organisation_by_code(session, code)
    if found is None:
        fail(f"--organisation: no organisation has the GSS code {code!r}")
    return found
