"""Writes from the API: a change runs in the request's session and is committed, or it is
refused, rolled back (nothing kept) and answered with the problem its refusal maps to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.api.caching import no_store
from matchmaker.api.errors import ApiProblem
from matchmaker.flask_database import get_session

Refusals = Mapping[type[Exception], Callable[[Any], ApiProblem]]


def sentence(error: Exception) -> str:
    text = str(error)
    return f"{text[:1].upper()}{text[1:]}."


def committed(change: Callable[[Session], Any], refusals: Refusals) -> Any:
    """``change(session)``, committed; a refusal listed in ``refusals`` becomes its problem."""
    session = get_session()
    no_store()
    try:
        result = change(session)
        session.commit()
        return result
    except tuple(refusals) as error:
        session.rollback()
        problem = next(to_problem for kind, to_problem in refusals.items() if isinstance(error, kind))
        raise problem(error) from None
