"""Results of match-making: each finished request's outcome, and the savings its arrangement
reported afterwards (in the refresh rounds), attributed back to the request that led to it.

"Afterwards" means savings figures for the financial year in which the request formed or
enlarged the arrangement, or later; figures without a year cannot be placed and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from matchmaker.core.money import financial_year
from matchmaker.core.results import Outcome, SavingsReport, later_savings, outcome
from matchmaker.db import Arrangement, MatchRequest


@dataclass(frozen=True)
class Result:
    outcome: Outcome | None
    arrangement: Arrangement | None
    formed_on: date | None
    savings_since_year: int | None
    later_savings: dict[str, int | None]


def formed_on(request: MatchRequest) -> date | None:
    """The day the request reached arrangement_formed (from its timeline)."""
    moments = [e.at for e in request.events if e.kind == "status" and e.to_status == "arrangement_formed"]
    return moments[-1].date() if moments else None


def result_of(session: Session, request: MatchRequest) -> Result:
    found = outcome(request.status, request.kind, request.not_pursued_reason)
    arrangement = session.get(Arrangement, request.result_arrangement_id) if request.result_arrangement_id else None
    day = formed_on(request) if arrangement else None
    since = financial_year(day) if day else None
    savings = later_savings(reports(arrangement), since) if arrangement and since is not None else {}
    return Result(found, arrangement, day, since, savings)


def reports(arrangement: Arrangement) -> list[SavingsReport]:
    return [SavingsReport(r.financial_year, r.kind, r.period, r.amount_gbp) for r in arrangement.savings]
