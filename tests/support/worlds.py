"""Small hand-built datasets with known answers (codes and names obviously made up)."""

from __future__ import annotations

from datetime import date

from matchmaker.core.types import Arrangement, Dataset, Membership, Neighbour, Organisation, SavingsFigure, ServiceArea

SERVICES = (
    ServiceArea("management", "Management teams", "back_office"),
    ServiceArea("ict-digital", "ICT and digital", "back_office"),
    ServiceArea("legal-democratic", "Legal and democratic services", "back_office"),
    ServiceArea("waste-environment", "Waste and environment", "environment_waste_transport"),
)
SIDE = 6


def code(k: int) -> str:
    return f"T{k:08d}"


def grid_org(k: int, **extra) -> Organisation:
    r, c = divmod(k, SIDE)
    facts = {
        "council_type": "NMD",
        "tier": "lower",
        "region": "Test Region",
        "county_code": "TC1" if c < 3 else "TC2",
        "lat": 52.0 + 0.2 * r,
        "lon": -1.0 + 0.3 * c,
        "population": 100_000 + 1_000 * k,
        "synthetic": True,
    }
    return Organisation(code=code(k), name=f"Test District {k:02d}", **{**facts, **extra})


def arrangement(
    ident: str,
    members: list[int],
    services: tuple[str, ...],
    start: int | None,
    end: int | None = None,
    status: str = "operational",
    savings=(),
) -> Arrangement:
    return Arrangement(
        id=ident,
        name=f"Test arrangement {ident}",
        services=services,
        members=tuple(Membership(code(m)) for m in members),
        status=status,
        start_year=start,
        end_year=end,
        savings=tuple(savings),
        synthetic=True,
    )


def grid_neighbours() -> list[Neighbour]:
    out = []
    for k in range(SIDE * SIDE):
        r, c = divmod(k, SIDE)
        if c + 1 < SIDE:
            out.append(Neighbour(code(k), code(k + 1), 10.0))
        if r + 1 < SIDE:
            out.append(Neighbour(code(k), code(k + SIDE), 12.0))
    return out


def training_arrangements() -> list[Arrangement]:
    """Neighbouring pairs forming over the years, so a model learns that near partners are likely."""
    out, services = [], ("management", "ict-digital", "waste-environment")
    for r in range(SIDE):
        for c in (0, 2, 4):
            k = r * SIDE + c
            out.append(arrangement(f"H{k}", [k, k + 1], (services[(r + c) % 3],), 2004 + r + c))
    for c in range(0, SIDE, 2):
        out.append(arrangement(f"V{c}", [c, c + SIDE], ("waste-environment",), 2006 + c))
    return out


def grid_world(extra: list[Arrangement] = (), orgs: dict[int, dict] | None = None) -> Dataset:
    """A 6 x 6 grid of districts; council 14 is in the middle, 35 in the far corner."""
    orgs = orgs or {}
    organisations = tuple(grid_org(k, **orgs.get(k, {})) for k in range(SIDE * SIDE))
    return Dataset(
        organisations=organisations,
        arrangements=tuple(training_arrangements()) + tuple(extra),
        neighbours=tuple(grid_neighbours()),
        service_areas=SERVICES,
        fingerprint="test-grid",
    )


def legal_world() -> Dataset:
    """Council 14 asks for legal partners: neighbour 15 and far-away 35 both run legal services;
    8 already shares legal with 14 since 2012; 20 and 26 form a legal arrangement only in 2018."""
    return grid_world(
        [
            arrangement("L1", [15, 21], ("legal-democratic",), 2010),
            arrangement("L2", [35, 34], ("legal-democratic",), 2010),
            arrangement("L3", [14, 8], ("legal-democratic",), 2012),
            arrangement("L4", [20, 26], ("legal-democratic",), 2018),
        ]
    )


def abolished_world() -> Dataset:
    """Council 16 was abolished on 31 March 2015 and succeeded by 17; 16 ran legal with 10."""
    return grid_world(
        [arrangement("A1", [16, 10], ("legal-democratic",), 2011)],
        orgs={16: {"end_date": date(2015, 3, 31), "successor_codes": (code(17),)}},
    )


def yearly(amount, kind="achieved", **extra):
    return SavingsFigure(
        amount, kind, "annual" if kind == "achieved" else None, period_years=1, per_council=False, **extra
    )


def population(k):
    """Combined population of grid councils 2k and 2k+1 (see grid_org)."""
    return 200_000 + 1_000 * (4 * k + 1)


def sized_world(service="ict-digital", count=8, exponent=0.5, members=None):
    """Pairs whose yearly savings are exactly 10 x (combined population)^exponent."""
    extra = [
        arrangement(
            f"S{k}", members or [2 * k, 2 * k + 1], (service,), 2010, savings=[yearly(10 * population(k) ** exponent)]
        )
        for k in range(count)
    ]
    return grid_world(extra)
