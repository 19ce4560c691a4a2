"""National statistics computed from the arrangements held: counts and reported savings.

Savings of different kinds (achieved annual, achieved cumulative, expected) are never added
together, and an arrangement without figures is counted as such, never read as zero. The yearly
measures (``achieved_yearly``, ``expected_yearly``) put each whole-arrangement figure with a known
period on a yearly basis (``core.savings_figures``); figures without one, and one council's share,
are counted apart (``figures_without_yearly_basis``) and left out of them.
Arrangements with several services, members or regions count once in each of them.

By default the figures describe the arrangements held with their current members. For a past
year they describe the arrangements known to be running in that year (the engine's rule, see
``core.types.Arrangement.active_in``), with the members of that year, their status then, and the
savings figures reported for that financial year or earlier (figures without a year are kept).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.core import types
from matchmaker.core.savings_figures import whole_arrangement_yearly
from matchmaker.db import Arrangement, Membership, SavingsRecord
from matchmaker.db.repositories.reference import service_areas
from matchmaker.db.snapshot import savings_figure

SAVINGS_MEASURES = ("achieved_annual", "achieved_cumulative", "expected")
YEARLY_MEASURES = ("achieved_yearly", "expected_yearly")
UNKNOWN = "unknown"


def _measure(kind: str, period: str | None) -> str:
    if kind == "expected":
        return "expected"
    return "achieved_cumulative" if period == "cumulative" else "achieved_annual"


def _empty_row(key: str, label: str) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "arrangements": 0,
        "with_savings_figures": 0,
        "without_savings_figures": 0,
        # None, not 0, when no arrangement here reported a figure of that kind.
        "savings_gbp": {measure: None for measure in SAVINGS_MEASURES + YEARLY_MEASURES},
        "savings_figures": {measure: 0 for measure in SAVINGS_MEASURES + YEARLY_MEASURES},
        "figures_without_yearly_basis": 0,
    }


@dataclass(frozen=True)
class Counted:
    """An arrangement as the figures count it: in the present, or as it was in a past year."""

    arrangement: Arrangement
    status: str
    members: list[Membership]
    savings: list[SavingsRecord]

    @property
    def services(self):
        return self.arrangement.services

    @property
    def start_year(self) -> int | None:
        return self.arrangement.start_year


def _now(arrangement: Arrangement) -> Counted:
    return Counted(arrangement, arrangement.status, arrangement.current_members, arrangement.savings)


def _then(arrangement: Arrangement, year: int) -> Counted | None:
    """The arrangement in ``year``, or None when it is not known to have been running then."""
    if not _core(arrangement).active_in(year):
        return None
    members = [
        m for m in arrangement.members if types.Membership("", m.role, m.joined_year, m.left_year).active_in(year)
    ]
    savings = [r for r in arrangement.savings if r.financial_year is None or r.financial_year <= year]
    status = "operational" if arrangement.status == "ended" else arrangement.status
    return Counted(arrangement, status, members, savings)


def _core(arrangement: Arrangement) -> types.Arrangement:
    return types.Arrangement(
        arrangement.public_id,
        arrangement.name,
        (),
        (),
        arrangement.status,
        arrangement.start_year,
        arrangement.end_year,
    )


def _savings(counted: Counted) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for record in counted.savings:
        totals[_measure(record.kind, record.period)] += record.amount_gbp
        yearly = whole_arrangement_yearly(savings_figure(record))
        if yearly is not None:
            totals[f"{'expected' if record.kind == 'expected' else 'achieved'}_yearly"] += Decimal(yearly)
    return totals


def _yearly_measure(record: SavingsRecord) -> str | None:
    if whole_arrangement_yearly(savings_figure(record)) is None:
        return None
    return "expected_yearly" if record.kind == "expected" else "achieved_yearly"


def _add(row: dict[str, Any], counted: Counted) -> None:
    row["arrangements"] += 1
    if counted.savings:
        row["with_savings_figures"] += 1
    else:
        row["without_savings_figures"] += 1
    for measure, amount in _savings(counted).items():
        row["savings_gbp"][measure] = (row["savings_gbp"][measure] or 0) + int(amount)
    for record in counted.savings:
        row["savings_figures"][_measure(record.kind, record.period)] += 1
        yearly = _yearly_measure(record)
        if yearly is None:
            row["figures_without_yearly_basis"] += 1
        else:
            row["savings_figures"][yearly] += 1


def _tally(
    arrangements: Iterable[Counted], keys: Callable[[Counted], Iterable[tuple[str, str]]]
) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for arrangement in arrangements:
        for key, label in set(keys(arrangement)):
            rows.setdefault(key, _empty_row(key, label))
            _add(rows[key], arrangement)
    return sorted(rows.values(), key=lambda r: (-r["arrangements"], r["key"]))


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def tier_pairs(counted: Counted) -> set[tuple[str, str]]:
    """Every pair of member tiers, e.g. lower-lower or lower-upper (unknown tiers left out)."""
    tiers = sorted(m.organisation.tier for m in counted.members if m.organisation.tier)
    pairs = {f"{a}-{b}" for a, b in combinations(tiers, 2)}
    return {(pair, pair) for pair in pairs}


def _load(session: Session) -> list[Arrangement]:
    return list(
        session.scalars(
            select(Arrangement)
            .where(Arrangement.status != "proposed")
            .options(
                selectinload(Arrangement.members).selectinload(Membership.organisation),
                selectinload(Arrangement.services),
                selectinload(Arrangement.savings),
            )
            .order_by(Arrangement.public_id)
        )
    )


def national_statistics(session: Session, year: int | None = None) -> dict[str, Any]:
    """Counts and savings in total and by service group, service, region, tier pair, status and
    start year, as plain dicts (money in whole pounds); for ``year``, as things were then."""
    held = _load(session)
    if year is None:
        arrangements = [_now(a) for a in held]
    else:
        arrangements = [c for c in (_then(a, year) for a in held) if c is not None]
    groups = {s.slug: s.group for s in service_areas(session)}
    total = _empty_row("all", "All arrangements")
    for arrangement in arrangements:
        _add(total, arrangement)
    councils = {m.organisation_id for a in arrangements for m in a.members}
    return {
        "as_of_year": year,
        "totals": {**total, "councils_involved": len(councils)},
        "by_service_group": _tally(
            arrangements, lambda a: ((groups[s.slug], _words(groups[s.slug])) for s in a.services)
        ),
        "by_service": _tally(arrangements, lambda a: ((s.slug, s.name) for s in a.services)),
        "by_region": _tally(
            arrangements,
            lambda a: (
                (m.organisation.region or UNKNOWN, m.organisation.region or "Unknown region") for m in a.members
            ),
        ),
        "by_tier_pair": _tally(arrangements, tier_pairs),
        "by_status": _tally(arrangements, lambda a: [(a.status, _words(a.status))]),
        "by_start_year": _tally(
            arrangements,
            lambda a: [(str(a.start_year), str(a.start_year)) if a.start_year else (UNKNOWN, "Unknown")],
        ),
    }
