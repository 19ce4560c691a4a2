"""Plain data types shared by the engine and its adapters.

Everything the core needs arrives as these frozen dataclasses, built either from the
database (``matchmaker.db.snapshot``) or from CSV files, so the core never imports
Flask or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ORG_KINDS = ("council", "fire_rescue", "police", "health", "housing", "other")
COUNCIL_TYPES = ("CTY", "NMD", "UA", "MD", "LBO", "COI", "IOS")
TIERS = ("upper", "lower", "single")
ARRANGEMENT_STATUSES = ("proposed", "in_development", "operational", "ended")
MEMBER_ROLES = ("host", "member")
SAVINGS_KINDS = ("achieved", "expected")
SAVINGS_PERIODS = ("annual", "cumulative")


def as_of_date(year: int) -> date:
    """The day a year's picture is taken: 1 April, when reorganisations take effect."""
    return date(year, 4, 1)


def current_year() -> int:
    """The latest year whose picture (1 April) has been taken: the present the records describe."""
    today = date.today()
    return today.year if today >= as_of_date(today.year) else today.year - 1


# The service groups in words (the LGA's savings categories).
GROUP_NAMES = {
    "back_office": "back-office services",
    "procurement_assets": "procurement and capital assets",
    "customer_facing": "customer-facing services",
    "environment_waste_transport": "environment, waste and transport",
    "people_communities": "people and communities services",
}


@dataclass(frozen=True)
class ServiceArea:
    slug: str
    name: str
    group: str
    covers: str = ""


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    kind: str = "council"
    council_type: str | None = None
    tier: str | None = None
    region: str | None = None
    county_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    successor_codes: tuple[str, ...] = ()
    short_name: str | None = None
    synthetic: bool = False

    def exists_on(self, day: date) -> bool:
        started = self.start_date is None or self.start_date <= day
        not_ended = self.end_date is None or self.end_date >= day
        return started and not_ended

    def exists_in(self, year: int) -> bool:
        return self.exists_on(as_of_date(year))


@dataclass(frozen=True)
class Membership:
    org_code: str
    role: str = "member"
    joined_year: int | None = None
    left_year: int | None = None

    def active_in(self, year: int) -> bool:
        """A member in ``year``: joined by then (or when is not known) and not yet left."""
        return (self.joined_year is None or self.joined_year <= year) and (
            self.left_year is None or self.left_year > year
        )


@dataclass(frozen=True)
class SavingsFigure:
    """A reported savings figure and, when its source says, the period it covers.

    Missing figures are absent, never zero; unknown period details are None. Years are calendar
    years, financial years by their first one (2015/16 is 2015). ``per_council`` is True for one
    member council's share, False for the whole arrangement's, None when the source is unclear.
    """

    amount_gbp: float
    kind: str = "achieved"
    period: str | None = None
    financial_year: int | None = None
    note: str = ""
    reported_year: int | None = None
    period_start_year: int | None = None
    period_end_year: int | None = None
    period_years: int | None = None
    per_council: bool | None = None
    source_url: str = ""

    @property
    def has_period_details(self) -> bool:
        return any(
            v is not None for v in (self.reported_year, self.period_start_year, self.period_end_year, self.period_years)
        )


@dataclass(frozen=True)
class Arrangement:
    id: str
    name: str
    services: tuple[str, ...]
    members: tuple[Membership, ...]
    status: str = "operational"
    start_year: int | None = None
    end_year: int | None = None
    savings: tuple[SavingsFigure, ...] = ()
    other_partners: str = ""
    source_url: str = ""
    synthetic: bool = False

    @property
    def member_codes(self) -> tuple[str, ...]:
        return tuple(m.org_code for m in self.members)

    def member_codes_in(self, year: int) -> tuple[str, ...]:
        """The members in ``year`` (a council replaced in a reorganisation left that year)."""
        return tuple(m.org_code for m in self.members if m.active_in(year))

    def active_in(self, year: int, present: int | None = None) -> bool:
        """Known to be running in ``year``: started by then and not ended by then.

        The status describes the ``present`` (default: the current year). Without a start year an
        arrangement is known to be running only from the present on; an ended one without an end
        year is never known to be running (see ``ended_by``).
        """
        if self.status == "proposed":
            return False
        if self.start_year is None:
            return (
                year >= _present(present) and self.status != "ended" and (self.end_year is None or self.end_year > year)
            )
        if self.start_year > year:
            return False
        if self.end_year is not None:
            return self.end_year > year
        return self.status != "ended"

    def ended_by(self, year: int, present: int | None = None) -> bool:
        """A past partnership in ``year``: started before it and over (or not known to be running).

        Ended with a known end year: from that year on. Ended with an unknown end year: from the
        year after its start (never before it started); with an unknown start year too, only from
        the present on, so a back-test on past years does not count it at all.
        """
        if self.status == "proposed":
            return False
        if self.end_year is not None:
            return self.end_year <= year and (self.start_year is None or self.start_year < year)
        if self.status != "ended":
            return False
        if self.start_year is None:
            return year >= _present(present)
        return self.start_year < year


def _present(present: int | None) -> int:
    return current_year() if present is None else present


@dataclass(frozen=True)
class Neighbour:
    code_a: str
    code_b: str
    shared_boundary_km: float


@dataclass(frozen=True)
class Dataset:
    """Everything the engine knows about the world, as plain data."""

    organisations: tuple[Organisation, ...]
    arrangements: tuple[Arrangement, ...]
    neighbours: tuple[Neighbour, ...] = ()
    service_areas: tuple[ServiceArea, ...] = ()
    fingerprint: str = field(default="", compare=False)
