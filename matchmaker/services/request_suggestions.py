"""The suggestions a request is sent: the engine's ranking with the request's constraints
applied, frozen in a SuggestionSnapshot (candidates, scores, reasons, model version) so the
request's history stays true after the model is retrained or the data change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from matchmaker.core.graph import county_key
from matchmaker.core.types import Dataset
from matchmaker.core.types import Organisation as OrgData
from matchmaker.db import Arrangement, MatchRequest, SuggestionSnapshot
from matchmaker.services import recommendations
from matchmaker.services.cache import AppCache
from matchmaker.services.request_fields import InvalidRequest

KM_PER_MILE = 1.609344
SENT = 10  # candidates sent to the council


def take_snapshot(
    session: Session, request: MatchRequest, cache: AppCache, model_path: str | None = None, top: int = SENT
) -> SuggestionSnapshot:
    dataset = cache.dataset(session)  # as the session sees the data now, its own changes too
    payload = suggestions_for(cache, dataset, request, model_path, top, members_excluded(session, request))
    version = model_version(cache, dataset, model_path)
    snapshot = SuggestionSnapshot(request=request, model_version=version, payload=payload)
    session.add(snapshot)
    return snapshot


def model_version(cache: AppCache, dataset: Dataset, model_path: str | None) -> str:
    prepared = recommendations.prepare(cache, dataset, model_path)
    if prepared.artefact is None:
        return "baseline (no trained model)"
    artefact = prepared.artefact
    return f"{artefact['model']['kind']} {artefact['created']} {artefact['checksum'][:19]}"[:80]


def suggestions_for(
    cache: AppCache,
    dataset: Dataset,
    request: MatchRequest,
    model_path: str | None,
    top: int,
    excluded: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Any]:
    """The engine's whole ranking for the council and service, filtered by the constraints."""
    code, service = request.organisation.gss_code, request.service_area.slug
    try:
        ranked = recommendations.recommend(
            cache, dataset, code, service, top=len(dataset.organisations), model_path=model_path
        )
    except recommendations.QueryError as error:
        raise InvalidRequest({"suggestions": f"the engine cannot rank partners for this request: {error}"}) from None
    organisations = {o.code: o for o in dataset.organisations}
    kept, dropped = [], {"distance": 0, "county": 0, "tier": 0, "already_member": 0}
    for candidate in ranked["candidates"]:
        why = _fails(
            request.constraints,
            organisations[code],
            organisations[candidate["gss_code"]],
            candidate["distance_km"],
            excluded,
        )
        if why:
            dropped[why] += 1
        elif len(kept) < top:
            kept.append(
                {
                    **candidate,
                    "rank": len(kept) + 1,
                    "engine_rank": candidate["rank"],
                    "distance_miles": round(candidate["distance_km"] / KM_PER_MILE, 1),
                    "tier": organisations[candidate["gss_code"]].tier,
                }
            )
    return {
        "council_code": code,
        "service": service,
        "as_of_year": ranked["as_of_year"],
        "constraints": dict(request.constraints),
        "considered": len(ranked["candidates"]),
        "excluded": dropped,
        "candidates": kept,
        "model": ranked["model"],
        "fallback": ranked["fallback"],
        "fallback_reason": ranked["fallback_reason"],
    }


def members_excluded(session: Session, request: MatchRequest) -> set[str]:
    """For an enlargement, the arrangement's own members are not suggested again."""
    if request.kind != "enlarge" or request.arrangement_id is None:
        return set()
    arrangement = session.get(Arrangement, request.arrangement_id)
    return {m.organisation.gss_code for m in arrangement.current_members if m.organisation.gss_code}


def _fails(
    constraints: dict[str, Any], council: OrgData, candidate: OrgData, distance_km: float | None, excluded: set[str]
) -> str | None:
    """Which constraint the candidate fails, if any."""
    if candidate.code in excluded:
        return "already_member"
    miles = constraints.get("max_distance_miles")
    if miles is not None and (distance_km is None or distance_km > miles * KM_PER_MILE):
        return "distance"
    if constraints.get("same_county") and (
        county_key(candidate) is None or county_key(candidate) != county_key(council)
    ):
        return "county"
    tiers = constraints.get("tiers")
    if tiers and candidate.tier not in tiers:
        return "tier"
    return None
