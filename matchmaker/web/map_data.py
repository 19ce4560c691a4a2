"""The arrangements shown on the national map, its table and its downloads, with filters."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Arrangement, Organisation, SavingsRecord
from matchmaker.db.repositories.arrangements import ArrangementFilter, on_the_map
from matchmaker.ingest.arrangements_csv import CSV_STATUSES
from matchmaker.web.filters import savings_words

STATUSES = tuple(s for s in CSV_STATUSES if s != "proposed")


@dataclass(frozen=True)
class MapFilter:
    services: tuple[str, ...] = ()  # empty = every layer
    status: str = ""
    region: str = ""

    @classmethod
    def from_args(cls, args, known_services: list[str], known_regions: list[str]) -> MapFilter:
        services = tuple(s for s in args.getlist("service") if s in known_services)
        status = args.get("status", "")
        region = args.get("region", "")
        return cls(
            services=services,
            status=status if status in STATUSES else "",
            region=region if region in known_regions else "",
        )

    def query_args(self) -> dict:
        args: dict = {}
        if self.services:
            args["service"] = list(self.services)
        if self.status:
            args["status"] = self.status
        if self.region:
            args["region"] = self.region
        return args

    def where(self) -> ArrangementFilter:
        return ArrangementFilter(status=self.status or None, region=self.region or None)


def filtered_arrangements(session: Session, chosen: MapFilter) -> list[Arrangement]:
    """The arrangements shown, filtered by the rules the API's list uses (a region: any member
    there)."""
    return list(session.scalars(on_the_map(chosen.where(), chosen.services)))


def regions(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.region)
            .where(Organisation.region.is_not(None), Organisation.synthetic.is_(False))
            .distinct()
            .order_by(Organisation.region)
        )
    )


def savings_text(records: list[SavingsRecord], kind: str) -> str:
    """Achieved or expected figures in words, each with its period; '' when none."""
    return "; ".join(savings_words(r, say_kind=False) for r in records if r.kind == kind)


def feature(arrangement: Arrangement, contacts_allowed: bool) -> dict:
    """One arrangement for the map script: members with places, and what the pop-up shows."""
    return {
        "id": arrangement.public_id,
        "name": arrangement.name,
        "status": arrangement.status,
        "services": [s.slug for s in arrangement.services],
        "service_names": [s.name for s in arrangement.services],
        "start_year": arrangement.start_year,
        "end_year": arrangement.end_year,
        "savings_achieved": savings_text(arrangement.savings, "achieved") or None,
        "savings_expected": savings_text(arrangement.savings, "expected") or None,
        "source_url": arrangement.source_url or None,
        "other_partners": arrangement.other_partners or None,
        "members": [
            {
                "code": m.organisation.gss_code,
                "name": m.organisation.display_name,
                "lat": m.organisation.lat,
                "lon": m.organisation.lon,
                "url": url_for("councils.show", code=m.organisation.gss_code) if m.organisation.gss_code else None,
            }
            for m in arrangement.current_members
        ],
        "contacts_url": url_for("map.contacts", public_id=arrangement.public_id) if contacts_allowed else None,
    }
