"""Build the engine's plain Dataset from the database, and a cheap key for caching it."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.core import types
from matchmaker.db import (
    Arrangement,
    Membership,
    NeighbourPair,
    Organisation,
    SavingsRecord,
)
from matchmaker.db.commits import commits_writing
from matchmaker.db.repositories.reference import service_areas

# What load_dataset reads: a commit writing to one of these may change the Dataset.
DATASET_TABLES = frozenset(
    {
        "organisations",
        "organisation_successions",
        "neighbours",
        "service_areas",
        "arrangements",
        "arrangement_members",
        "arrangement_services",
        "savings_records",
    }
)


def data_state(session: Session) -> tuple:
    """Changes whenever organisations, arrangements, members or savings change."""
    parts = []
    for model, stamp in (
        (Organisation, Organisation.updated_at),
        (Arrangement, Arrangement.updated_at),
    ):
        parts.extend(session.execute(select(func.count(), func.max(stamp)).select_from(model)).one())
    parts.append(session.scalar(select(func.count()).select_from(Membership)))
    parts.append(session.scalar(select(func.sum(Membership.organisation_id))))
    parts.append(session.scalar(select(func.count()).select_from(SavingsRecord)))
    parts.append(session.scalar(select(func.sum(Arrangement.version))))
    return tuple(str(p) for p in parts)


def data_commits() -> int:
    """Grows with every commit of this process that wrote to a table the Dataset is built from."""
    return commits_writing(DATASET_TABLES)


def load_dataset(session: Session) -> types.Dataset:
    organisations = session.scalars(
        select(Organisation).options(selectinload(Organisation.successors)).order_by(Organisation.id)
    ).all()
    code_of = {o.id: o.gss_code or f"ORG{o.id}" for o in organisations}
    arrangements = session.scalars(
        select(Arrangement)
        .where(Arrangement.status != "proposed")
        .options(
            selectinload(Arrangement.members),
            selectinload(Arrangement.services),
            selectinload(Arrangement.savings),
        )
        .order_by(Arrangement.id)
    ).all()
    neighbours = session.scalars(select(NeighbourPair)).all()
    areas = service_areas(session)
    return types.Dataset(
        organisations=tuple(_organisation(o, code_of) for o in organisations),
        arrangements=tuple(_arrangement(a, code_of) for a in arrangements),
        neighbours=tuple(
            types.Neighbour(code_of[n.org_a_id], code_of[n.org_b_id], n.shared_boundary_km) for n in neighbours
        ),
        service_areas=tuple(types.ServiceArea(s.slug, s.name, s.group, s.covers) for s in areas),
        fingerprint=hashlib.sha256(repr(data_state(session)).encode()).hexdigest()[:16],
    )


def _organisation(o: Organisation, code_of: dict[int, str]) -> types.Organisation:
    return types.Organisation(
        code=code_of[o.id],
        name=o.name,
        kind=o.kind,
        council_type=o.council_type,
        tier=o.tier,
        region=o.region,
        county_code=o.county_gss,
        lat=o.lat,
        lon=o.lon,
        population=o.population,
        start_date=o.start_date,
        end_date=o.end_date,
        successor_codes=tuple(code_of[s.id] for s in o.successors),
        short_name=o.short_name,
        synthetic=o.synthetic,
    )


def _arrangement(a: Arrangement, code_of: dict[int, str]) -> types.Arrangement:
    return types.Arrangement(
        id=a.public_id,
        name=a.name,
        services=tuple(s.slug for s in a.services),
        members=tuple(
            types.Membership(code_of[m.organisation_id], m.role, m.joined_year, m.left_year) for m in a.members
        ),
        status=a.status,
        start_year=a.start_year,
        end_year=a.end_year,
        savings=tuple(savings_figure(r) for r in a.savings),
        other_partners=a.other_partners or "",
        source_url=a.source_url or "",
        synthetic=a.synthetic,
    )


def savings_figure(r: SavingsRecord) -> types.SavingsFigure:
    return types.SavingsFigure(
        float(r.amount_gbp),
        r.kind,
        r.period,
        r.financial_year,
        r.note or "",
        reported_year=r.reported_year,
        period_start_year=r.period_start_year,
        period_end_year=r.period_end_year,
        period_years=r.period_years,
        per_council=r.per_council,
        source_url=r.source_url or "",
    )
