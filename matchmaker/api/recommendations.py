"""/api/v1/recommendations, /coalitions and /savings-estimates: the engine over HTTP."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from matchmaker import app_cache
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.links import arrangement_href, organisation_href
from matchmaker.api.lookups import service_or_422
from matchmaker.api.schemas.recommendations import (
    CoalitionsSchema,
    QueryArgsSchema,
    RecommendationArgsSchema,
    RecommendationsSchema,
    SavingsEstimateRequestSchema,
    SavingsEstimateSchema,
)
from matchmaker.core.recommend import QueryError
from matchmaker.core.savings_proposal import ProposalRefused
from matchmaker.core.types import Dataset
from matchmaker.services import recommendations as engine

JOIN_EXISTING_TOP = 5
# One instance each, reused: building a schema (and its nested ones) per request cost more than
# dumping with it. Dumping keeps no per-call state on the instance, so threads may share them.
RECOMMENDATIONS_SCHEMA = RecommendationsSchema()
COALITIONS_SCHEMA = CoalitionsSchema()
RECOMMENDATION_ARGS = RecommendationArgsSchema()  # a class would be instantiated per request

blueprint = ResourceBlueprint(
    "api_recommendations",
    __name__,
    url_prefix="/api/v1",
    description="Ranked, explained partner suggestions, coalitions and savings estimates.",
    tag="Recommendations",
)


def _model_info(dataset: Dataset, result: dict[str, Any]) -> dict[str, Any]:
    artefact = engine.prepare(app_cache.current(), dataset, app_cache.model_path()).artefact
    return {
        "kind": result["model"],
        "version": artefact.get("created") if artefact else None,
        "fallback": result["fallback"],
        "fallback_reason": result["fallback_reason"],
    }


def _names(dataset: Dataset) -> dict[str, str]:
    return app_cache.remembered(("names", dataset.fingerprint), lambda: {o.code: o.name for o in dataset.organisations})


def _query(council: str, service: str) -> tuple[dict[str, Any], Dataset]:
    """Checks the service (422) and the council (404) against the Dataset the engine will use."""
    data = app_cache.dataset()
    if service not in {s.slug for s in data.service_areas}:
        service_or_422(service)
    name = _names(data).get(council)
    if name is None:
        raise not_found(f"There is no organisation with GSS code {council}.")
    return {"gss_code": council, "name": name, "href": organisation_href(council)}, data


def _cache_key(name: str, data: Dataset, **query: Any) -> tuple:
    return (name, data.fingerprint, app_cache.model_stamp(), *sorted(query.items()))


def _engine_call(function, *args, **kwargs) -> dict[str, Any]:
    """The engine's only remaining objection is a council that did not exist in the year asked
    about: there is no such council then (404), and the detail names its successors."""
    try:
        return function(*args, **kwargs)
    except QueryError as exc:
        raise not_found(str(exc)) from exc


@blueprint.route("/recommendations")
class Recommendations(MethodView):
    @blueprint.arguments(RECOMMENDATION_ARGS, location="query", as_kwargs=True)
    @blueprint.response(200, RecommendationsSchema)
    def get(self, council: str, service: str, limit: int, order_by: str, as_of: int | None = None):
        """Candidate partners for a council and a service, best first, each with its score, the
        reciprocal score, distance and reasons; plus existing arrangements it could join."""
        council_ref, dataset = _query(council, service)
        key = _cache_key(
            "recommendations",
            dataset,
            council=council,
            service=service,
            limit=limit,
            as_of=as_of,
            order_by=order_by,
        )
        return app_cache.json_response(
            key,
            None,  # already in RECOMMENDATIONS_SCHEMA's form, which dumping would only copy
            lambda: _recommendations(dataset, council_ref, service, limit, as_of, order_by),
        )


def _recommendations(
    dataset: Dataset,
    council_ref: dict[str, Any],
    service: str,
    limit: int,
    as_of: int | None,
    order_by: str,
) -> dict[str, Any]:
    council = council_ref["gss_code"]
    found = _engine_call(
        engine.recommend,
        app_cache.current(),
        dataset,
        council,
        service,
        top=limit,
        as_of_year=as_of,
        model_path=app_cache.model_path(),
        order_by=order_by,
    )
    existing = _engine_call(
        engine.join_existing,
        app_cache.current(),
        dataset,
        council,
        service,
        top=JOIN_EXISTING_TOP,
        as_of_year=as_of,
        model_path=app_cache.model_path(),
    )
    return {
        "council": council_ref,
        "service": service,
        "as_of_year": found["as_of_year"],
        "model": _model_info(dataset, found),
        "candidates": [{**c, "href": organisation_href(c["gss_code"])} for c in found["candidates"]],
        "join_existing": [{**row, "href": arrangement_href(row["arrangement_id"])} for row in existing["arrangements"]],
        "existing_partners": [
            {
                **partner,
                "href": organisation_href(partner["gss_code"]),
                "arrangements": [{**a, "href": arrangement_href(a["arrangement_id"])} for a in partner["arrangements"]],
            }
            for partner in found["existing_partners"]
        ],
    }


@blueprint.route("/coalitions")
class Coalitions(MethodView):
    @blueprint.arguments(QueryArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, CoalitionsSchema)
    def get(self, council: str, service: str, as_of: int | None = None):
        """Groups of 3 to 5 councils including this one whose pairwise matches are strongest."""
        council_ref, dataset = _query(council, service)
        key = _cache_key("coalitions", dataset, council=council, service=service, as_of=as_of)
        return app_cache.json_response(
            key, COALITIONS_SCHEMA, lambda: _coalitions(dataset, council_ref, service, as_of)
        )


def _coalitions(dataset: Dataset, council_ref: dict[str, Any], service: str, as_of: int | None) -> dict[str, Any]:
    council = council_ref["gss_code"]
    found = _engine_call(
        engine.coalitions,
        app_cache.current(),
        dataset,
        council,
        service,
        as_of_year=as_of,
        model_path=app_cache.model_path(),
    )
    year = engine.prepare(app_cache.current(), dataset, app_cache.model_path()).engine.snapshot(as_of).year
    names = _names(dataset)
    return {
        "council": council_ref,
        "service": service,
        "as_of_year": year,
        "model": _model_info(dataset, found),
        "coalitions": [
            {
                **{k: v for k, v in row.items() if k != "member_codes"},
                "members": [
                    {
                        "gss_code": code,
                        "name": names.get(code, code),
                        "href": organisation_href(code),
                    }
                    for code in row["member_codes"]
                ],
            }
            for row in found["coalitions"]
        ],
    }


@blueprint.route("/savings-estimates")
class SavingsEstimates(MethodView):
    @blueprint.arguments(SavingsEstimateRequestSchema, location="json")
    @blueprint.response(200, SavingsEstimateSchema)
    def post(self, body: dict[str, Any]):
        """What a set of councils could save by sharing a service, from comparable real
        arrangements; "not_enough_evidence" (with published benchmarks) when there are too few."""
        service_or_422(body["service"], where="body")
        cache, dataset = app_cache.current(), app_cache.dataset()
        benchmarks = [dict(row) for row in engine.savings_benchmarks(cache, current_app.config["DATA_DIR"])]
        try:
            return engine.estimate_savings(cache, dataset, body["council_codes"], body["service"], benchmarks)
        except engine.ProposalRefused as refused:
            raise _refusal(refused) from None


def _refusal(refused: ProposalRefused) -> ApiProblem:
    """404 when a code names no organisation (as everywhere in the API), else 422 naming each field."""
    unknown = [p for p in refused.problems if p.unknown]
    if unknown:
        return not_found(f"{unknown[0].field}: {unknown[0].reason}.")
    return ApiProblem(
        422,
        "; ".join(f"{p.field}: {p.reason}" for p in refused.problems) + ".",
        invalid_params=[{"name": p.field, "in": "body", "reason": p.reason} for p in refused.problems],
    )
