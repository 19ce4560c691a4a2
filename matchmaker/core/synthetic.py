"""Seeded synthetic world for scale tests: every object flagged synthetic, names obviously made up.

Nothing here describes real councils. Organisations are scattered over a rectangle roughly the
size of England, grouped under synthetic counties; arrangements mostly join near organisations.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from .types import Arrangement, Dataset, Membership, Neighbour, Organisation, SavingsFigure, ServiceArea

DEFAULT_SERVICES = tuple(
    ServiceArea(
        f"synthetic-service-{k:02d}",
        f"Synthetic service {k:02d}",
        ("back_office", "customer_facing", "environment_waste_transport")[k % 3],
    )
    for k in range(1, 16)
)
TYPES = {"upper": ("CTY", "County"), "lower": ("NMD", "District"), "single": ("UA", "Unitary")}


def synthetic_code(k: int) -> str:
    return f"X{k:08d}"


def _organisations(n: int, rng: np.random.Generator) -> tuple[list[Organisation], np.ndarray]:
    lat, lon = rng.uniform(50.6, 54.8, n), rng.uniform(-3.5, 1.5, n)
    tiers = rng.choice(["upper", "lower", "single"], size=n, p=[0.07, 0.6, 0.33])
    counties = np.flatnonzero(tiers == "upper")
    tree = cKDTree(np.c_[lat[counties], lon[counties]]) if len(counties) else None
    regions = [f"Synthetic Region {int((la - 50.6) // 1.1) + 1}" for la in lat]
    orgs = []
    for k in range(n):
        county = None
        if tiers[k] == "lower" and tree is not None:
            county = synthetic_code(int(counties[tree.query([lat[k], lon[k]])[1]]))
        la_type, label = TYPES[tiers[k]]
        pop = int(rng.lognormal(11.8, 0.6)) * (4 if tiers[k] == "upper" else 1)
        orgs.append(
            Organisation(
                code=synthetic_code(k),
                name=f"Synthetic {label} {k:04d}",
                council_type=la_type,
                tier=str(tiers[k]),
                region=regions[k],
                county_code=county,
                lat=round(float(lat[k]), 4),
                lon=round(float(lon[k]), 4),
                population=pop,
                synthetic=True,
            )
        )
    return orgs, np.c_[lat, lon]


def _neighbours(points: np.ndarray, rng: np.random.Generator, k: int = 5) -> list[Neighbour]:
    _, idx = cKDTree(points).query(points, k=min(k + 1, len(points)))
    pairs = {tuple(sorted((int(a), int(b)))) for a, row in enumerate(idx) for b in row[1:]}
    return [
        Neighbour(synthetic_code(a), synthetic_code(b), round(float(rng.uniform(1, 40)), 2)) for a, b in sorted(pairs)
    ]


def _arrangement(k: int, members: list[int], services, rng: np.random.Generator) -> Arrangement:
    start = int(rng.integers(2000, 2025))
    ended = rng.random() < 0.15
    savings = ()
    if rng.random() < 0.4:
        savings = (SavingsFigure(float(round(rng.lognormal(12, 1.0), -3)), "achieved", "annual"),)
    return Arrangement(
        id=f"XA{k:07d}",
        name=f"Synthetic arrangement {k:07d}",
        services=tuple(rng.choice(services, size=int(rng.integers(1, 4)), replace=False)),
        members=tuple(Membership(synthetic_code(m), "host" if i == 0 else "member") for i, m in enumerate(members)),
        status="ended" if ended else "operational",
        start_year=start,
        end_year=start + int(rng.integers(1, 8)) if ended else None,
        savings=savings,
        synthetic=True,
    )


def generate(
    n_orgs: int = 400,
    n_arrangements: int = 2000,
    seed: int = 0,
    service_areas: tuple[ServiceArea, ...] = DEFAULT_SERVICES,
) -> Dataset:
    rng = np.random.default_rng(seed)
    orgs, points = _organisations(n_orgs, rng)
    tree = cKDTree(points)
    _, near = tree.query(points, k=min(12, n_orgs))
    slugs = [s.slug for s in service_areas]
    arrangements = []
    for k in range(n_arrangements):
        host = int(rng.integers(n_orgs))
        size = int(rng.choice([2, 2, 2, 3, 3, 4, 5]))
        pool = near[host][1:] if rng.random() < 0.8 else rng.choice(n_orgs, size=12, replace=False)
        members = [host] + [int(m) for m in rng.choice(pool, size=min(size - 1, len(pool)), replace=False) if m != host]
        arrangements.append(_arrangement(k, members, slugs, rng))
    return Dataset(
        organisations=tuple(orgs),
        arrangements=tuple(arrangements),
        neighbours=tuple(_neighbours(points, rng)),
        service_areas=tuple(service_areas),
        fingerprint=f"synthetic:{n_orgs}:{n_arrangements}:{seed}",
    )


def write_csvs(dataset: Dataset, directory: str | Path) -> None:
    """Write councils.csv, neighbours.csv, service_areas.csv and arrangements.csv (reference formats)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "councils.csv",
        [
            "gss_code",
            "name",
            "short_name",
            "la_type",
            "tier",
            "region",
            "county_gss",
            "start_date",
            "end_date",
            "replaced_by_gss",
            "lat",
            "lon",
            "population",
            "synthetic",
        ],
        (
            [
                o.code,
                o.name,
                o.name,
                o.council_type,
                o.tier,
                o.region,
                o.county_code or "",
                "",
                "",
                "",
                o.lat,
                o.lon,
                o.population,
                "true",
            ]
            for o in dataset.organisations
        ),
    )
    _write(
        folder / "neighbours.csv",
        ["gss_code_a", "gss_code_b", "shared_boundary_km"],
        ([n.code_a, n.code_b, n.shared_boundary_km] for n in dataset.neighbours),
    )
    _write(
        folder / "service_areas.csv",
        ["slug", "name", "group", "covers"],
        ([s.slug, s.name, s.group, s.covers] for s in dataset.service_areas),
    )
    names = {o.code: o.name for o in dataset.organisations}
    _write(
        folder / "arrangements.csv",
        [
            "arrangement_id",
            "name",
            "council_codes",
            "council_names",
            "service_areas",
            "start_year",
            "end_year",
            "status",
            "savings_gbp",
            "savings_kind",
            "other_partners",
            "source_url",
            "evidence",
            "synthetic",
        ],
        (
            [
                a.id,
                a.name,
                ";".join(a.member_codes),
                ";".join(names[c] for c in a.member_codes),
                ";".join(a.services),
                a.start_year or "",
                a.end_year or "",
                a.status,
                f"{a.savings[0].amount_gbp:.0f}" if a.savings else "",
                "annual" if a.savings else "",
                "",
                "",
                "Synthetic record generated for scale tests",
                "true",
            ]
            for a in dataset.arrangements
        ),
    )


def _write(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
