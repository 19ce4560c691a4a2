"""Councils abolished and replaced: move live arrangements' memberships to the successors.

An arrangement is affected when it is still operational or in development and one of its current
members has an end date that has passed and known successors. Applying the plan marks each such
member as having left in the year it was abolished and adds its current successors as members from
the year they began (following chains, never adding a member twice), so the arrangement as of an
earlier year still has its members of that year; it writes a history version per arrangement and
an audit event.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership, Organisation, arrangement_state
from matchmaker.db.arrangement_diff import diff_snapshots
from matchmaker.db.arrangement_state import Snapshot, organisation_code
from matchmaker.db.repositories.versions import record_version
from matchmaker.services import audit

LIVE_STATUSES = ("operational", "in_development")


@dataclass
class Replacement:
    abolished: Organisation
    successors: list[Organisation]


@dataclass
class Move:
    arrangement: Arrangement
    replacements: list[Replacement]
    before: Snapshot
    after: Snapshot

    @property
    def diff(self) -> dict[str, Any]:
        return diff_snapshots(self.before, self.after)

    @property
    def note(self) -> str:
        return "Reorganisation: " + "; ".join(
            f"{_named(r.abolished)} replaced by {', '.join(_named(s) for s in r.successors)}" for r in self.replacements
        )


def _named(organisation: Organisation) -> str:
    return f"{organisation.display_name} ({organisation_code(organisation)})"


def current_successors(organisation: Organisation, today: date) -> list[Organisation]:
    """Who carries on for ``organisation`` today, following chains of abolitions."""
    found: list[Organisation] = []
    for successor in organisation.successors:
        if successor.end_date is not None and successor.end_date < today and successor.successors:
            found.extend(current_successors(successor, today))
        else:
            found.append(successor)
    return list(dict.fromkeys(found))


def is_abolished(organisation: Organisation, today: date) -> bool:
    return organisation.end_date is not None and organisation.end_date < today


def plan(session: Session, today: date | None = None) -> list[Move]:
    today = today or date.today()
    arrangements = session.scalars(
        select(Arrangement)
        .where(Arrangement.status.in_(LIVE_STATUSES))
        .options(
            selectinload(Arrangement.members)
            .selectinload(Membership.organisation)
            .selectinload(Organisation.successors),
            selectinload(Arrangement.services),
            selectinload(Arrangement.savings),
        )
        .order_by(Arrangement.public_id)
    )
    moves = []
    for arrangement in arrangements:
        replacements = [
            Replacement(m.organisation, current_successors(m.organisation, today))
            for m in arrangement.members
            if m.left_year is None and is_abolished(m.organisation, today) and m.organisation.successors
        ]
        if replacements:
            before = arrangement_state.take(arrangement)
            moves.append(Move(arrangement, replacements, before, _moved(before, replacements)))
    return moves


def _moved(before: Snapshot, replacements: list[Replacement]) -> Snapshot:
    after = copy.deepcopy(before)
    by_code = {organisation_code(r.abolished): r for r in replacements}
    already = {m["code"] for m in before["members"] if m["left_year"] is None}
    members: list[dict] = []
    for member in before["members"]:
        replacement = by_code.get(member["code"])
        if replacement is None:
            members.append(member)
            continue
        members.append({**member, "left_year": replacement.abolished.end_date.year})
        for successor in replacement.successors:
            if organisation_code(successor) in already:
                continue
            members.append(
                {
                    "code": organisation_code(successor),
                    "name": successor.display_name,
                    "role": member["role"],
                    "left_year": None,
                    "joined_year": successor.start_date.year if successor.start_date else None,
                }
            )
    seen: set[str] = set()
    after["members"] = [m for m in members if not (m["code"] in seen or seen.add(m["code"]))]
    return after


class StalePlan(LookupError):
    """Arrangements chosen from a plan that no longer needs them (moved meanwhile, or ended)."""

    def __init__(self, public_ids: list[str]) -> None:
        super().__init__(
            f"{', '.join(public_ids)} no longer {'needs' if len(public_ids) == 1 else 'need'} moving; nothing was moved"
        )
        self.public_ids = public_ids


def apply_plan(session: Session, actor: str, today: date | None = None, only: set[str] | None = None) -> list[Move]:
    """Move the memberships (in the caller's transaction); returns what was moved.

    ``only`` limits the move to those arrangements (public ids), all of which must still be in the
    plan, so an adviser approving a page shown before someone else's move changes nothing twice."""
    moves = plan(session, today)
    if only is not None:
        stale = sorted(only - {m.arrangement.public_id for m in moves})
        if stale:
            raise StalePlan(stale)
        moves = [m for m in moves if m.arrangement.public_id in only]
    for move in moves:
        arrangement_state.apply(session, move.arrangement, move.after)
        version = record_version(session, move.arrangement, actor, move.note, action="reorganised")
        audit.record(
            session,
            actor,
            "arrangement.reorganised",
            "arrangement",
            move.arrangement.public_id,
            version=version.number,
            replaced={
                organisation_code(r.abolished): [organisation_code(s) for s in r.successors] for r in move.replacements
            },
        )
    return moves
