"""Everything the Find partners page shows, gathered from the engine and the contacts service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker import app_cache
from matchmaker.core.types import Dataset
from matchmaker.db import Organisation, ServiceArea
from matchmaker.services import recommendations
from matchmaker.services.access import Principal
from matchmaker.services.contacts import read_contacts

TOP = 10


@dataclass
class Candidate:
    rank: int
    code: str
    name: str
    score: float
    reciprocal_score: float
    combined_score: float
    distance_km: float | None
    reasons: list[dict[str, Any]]
    chart_items: list[dict[str, Any]]
    fit: str
    savings: dict[str, Any]
    lat: float | None = None
    lon: float | None = None
    contacts: list[dict] | None = None


@dataclass
class Partners:
    council: Organisation
    service: ServiceArea
    as_of_year: int
    model: str
    fallback: bool
    fallback_reason: str | None
    candidates: list[Candidate] = field(default_factory=list)
    join_existing: list[dict] = field(default_factory=list)
    coalitions: list[dict] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    existing_partners: list[dict] = field(default_factory=list)

    def map_points(self) -> list[dict]:
        points = []
        if self.council.lat is not None:
            points.append(
                _point(self.council.gss_code, self.council.name, self.council.lat, self.council.lon, "council", None)
            )
        points += [
            _point(c.code, c.name, c.lat, c.lon, "candidate", c.rank) for c in self.candidates if c.lat is not None
        ]
        return points


def _point(code, name, lat, lon, role, rank) -> dict:
    return {
        "code": code,
        "name": name,
        "lat": lat,
        "lon": lon,
        "role": role,
        "rank": rank,
        "url": url_for("councils.show", code=code),
    }


def find_partners(session: Session, council: Organisation, service: ServiceArea, principal: Principal) -> Partners:
    cache, dataset, model_path = app_cache.current(), app_cache.dataset(), app_cache.model_path()
    code, slug = council.gss_code, service.slug
    found = recommendations.recommend(cache, dataset, code, slug, top=TOP, model_path=model_path)
    result = Partners(
        council,
        service,
        found["as_of_year"],
        found["model"],
        found["fallback"],
        found["fallback_reason"],
        names=_names(dataset),
        existing_partners=found["existing_partners"],
    )
    benchmarks = list(recommendations.savings_benchmarks(cache, current_app.config["DATA_DIR"]))
    places = {o.code: (o.lat, o.lon) for o in dataset.organisations}
    for row in found["candidates"]:
        estimate = recommendations.estimate_savings(cache, dataset, [code, row["gss_code"]], slug, benchmarks)
        lat, lon = places.get(row["gss_code"], (None, None))
        result.candidates.append(
            Candidate(
                rank=row["rank"],
                code=row["gss_code"],
                name=row["name"],
                score=row["score"],
                reciprocal_score=row["reciprocal_score"],
                combined_score=row["combined_score"],
                distance_km=row["distance_km"],
                reasons=row["reasons"],
                chart_items=[{"label": r["text"], "value": r["contribution"]} for r in row["reasons"]],
                fit=row["fit"],
                savings=estimate,
                lat=lat,
                lon=lon,
            )
        )
    result.join_existing = recommendations.join_existing(cache, dataset, code, slug, model_path=model_path)[
        "arrangements"
    ]
    result.coalitions = recommendations.coalitions(cache, dataset, code, slug, model_path=model_path)["coalitions"]
    _attach_contacts(session, principal, result)
    return result


def _names(dataset: Dataset) -> dict[str, str]:
    return {o.code: o.short_name or o.name for o in dataset.organisations}


def _attach_contacts(session: Session, principal: Principal, result: Partners) -> None:
    codes = [c.code for c in result.candidates]
    ids = dict(
        session.execute(select(Organisation.gss_code, Organisation.id).where(Organisation.gss_code.in_(codes))).all()
    )
    read_any = False
    for candidate in result.candidates:
        if candidate.code in ids:
            candidate.contacts = read_contacts(
                session,
                principal,
                organisation_id=ids[candidate.code],
                context=f"find partners {result.council.gss_code} {result.service.slug}",
            )
            read_any = read_any or candidate.contacts is not None
    if read_any:
        session.commit()
