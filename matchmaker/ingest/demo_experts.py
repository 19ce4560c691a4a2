"""Generated demo experts for the expert programme: fictional, flagged demo=True, .example emails."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.core.experts import HELP_KINDS
from matchmaker.db import Expert, Organisation
from matchmaker.db.repositories.reference import service_areas

SURNAMES = ("Example", "Sample", "Placeholder", "Specimen", "Mock", "Pretend")
FIRST_NAMES = (
    "Avery",
    "Blake",
    "Casey",
    "Devon",
    "Emery",
    "Finley",
    "Harper",
    "Jordan",
    "Quinn",
    "Rowan",
    "Sasha",
    "Taylor",
)
DEMO_EXPERT_COUNT = 12


def load_demo_experts(session: Session) -> int:
    """Add the demo experts unless there are some; returns how many were added.

    Deterministic: expert k has three service areas, two regions (every fourth works nationally),
    two kinds of help and a capacity of 1 to 4, spread so every service and region is covered."""
    if session.scalar(select(Expert.id).where(Expert.demo.is_(True)).limit(1)) is not None:
        return 0
    services = [s.slug for s in service_areas(session)]
    regions = sorted(r for r in session.scalars(select(Organisation.region).distinct()) if r)
    kinds = [k for k, _ in HELP_KINDS]
    if not services or not regions:
        return 0
    for k in range(DEMO_EXPERT_COUNT):
        first, surname = FIRST_NAMES[k % len(FIRST_NAMES)], SURNAMES[k % len(SURNAMES)]
        session.add(
            Expert(
                name=f"{first} {surname} (demo expert)",
                email=f"{first.lower()}.{surname.lower()}@experts.example",
                service_slugs=sorted(
                    {services[(k + step * 5) % len(services)] for step in range(3)}, key=services.index
                ),
                help_kinds=sorted({kinds[k % len(kinds)], kinds[(k + 3) % len(kinds)]}, key=kinds.index),
                regions=[] if k % 4 == 3 else sorted({regions[k % len(regions)], regions[(k + 4) % len(regions)]}),
                capacity=1 + k % 4,
                available=True,
                demo=True,
            )
        )
    session.flush()
    return DEMO_EXPERT_COUNT
