"""App-facing recommendation service: plain dicts ready for JSON, no Flask here.

Prepared engines and savings evidence are kept in the caller's AppCache (services.cache), by
Dataset fingerprint and model file stamp. When the artefact is missing
or corrupt the documented baseline ranking answers instead, with ``fallback: true`` and a reason.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from matchmaker.core.artefact import load_model
from matchmaker.core.coalitions import coalitions as find_coalitions
from matchmaker.core.coalitions import join_existing as find_existing
from matchmaker.core.features import FEATURES
from matchmaker.core.model import BaselineModel, Model, ModelArtefactError
from matchmaker.core.recommend import Engine, QueryError
from matchmaker.core.savings import SavingsIndex
from matchmaker.core.savings import estimate_savings as core_estimate
from matchmaker.core.savings_proposal import ProposalRefused, check_proposal
from matchmaker.core.types import Dataset
from matchmaker.services.cache import AppCache, file_stamp

log = logging.getLogger(__name__)
DEFAULT_MODEL_PATH = "models/model.json"
DatasetSource = Dataset | Callable[[], Dataset]

__all__ = [
    "ProposalRefused",
    "QueryError",
    "recommend",
    "join_existing",
    "coalitions",
    "estimate_savings",
    "model_card",
]


@dataclass
class Prepared:
    engine: Engine
    fallback: bool
    fallback_reason: str | None
    artefact: dict[str, Any] | None


def _key(dataset: Dataset) -> str:
    return dataset.fingerprint or str(id(dataset))


def _dataset(source: DatasetSource) -> Dataset:
    return source() if callable(source) else source


def _load(model_path: str) -> tuple[Model, bool, str | None, dict | None]:
    try:
        model, artefact = load_model(model_path)
        return model, False, None, artefact
    except FileNotFoundError:
        reason = f"no model artefact at {model_path}; using the distance-and-experience baseline"
    except ModelArtefactError as exc:
        reason = f"model artefact refused ({exc}); using the distance-and-experience baseline"
    log.warning(reason)
    return BaselineModel(), True, reason, None


def prepare(cache: AppCache, source: DatasetSource, model_path: str | Path | None = None) -> Prepared:
    dataset = _dataset(source)
    path = str(model_path or DEFAULT_MODEL_PATH)
    # The artefact's file stamp is part of the key, as for /ready: a model retrained, replaced
    # or corrupted while serving is read again, so the API and /ready always say the same.
    return cache.engines.get((_key(dataset), file_stamp(path)), lambda: _prepared(dataset, path))


def _prepared(dataset: Dataset, path: str) -> Prepared:
    model, fallback, reason, artefact = _load(path)
    return Prepared(Engine(dataset, model), fallback, reason, artefact)


def savings_index(cache: AppCache, source: DatasetSource, benchmarks: list[dict] | None = None) -> SavingsIndex:
    """Per-dataset savings evidence (and its leave-one-out check), built once per dataset
    fingerprint and set of published benchmarks."""
    dataset = _dataset(source)
    key = (_key(dataset), hashlib.sha256(repr(benchmarks).encode()).hexdigest())
    return cache.savings.get(key, lambda: SavingsIndex(dataset, benchmarks=benchmarks))


def savings_benchmarks(cache: AppCache, data_dir: str | Path) -> tuple[dict[str, str], ...]:
    """Published savings benchmark rows (data/savings_benchmarks.csv); empty when absent."""
    path = str(Path(data_dir) / "savings_benchmarks.csv")
    return cache.files.get(file_stamp(path), lambda: _csv_rows(path))


def _csv_rows(path: str) -> tuple[dict[str, str], ...]:
    if not os.path.exists(path):
        return ()
    with open(path, newline="", encoding="utf-8") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))


def _envelope(prepared: Prepared, **body) -> dict[str, Any]:
    return {
        **body,
        "model": prepared.engine.model.kind,
        "fallback": prepared.fallback,
        "fallback_reason": prepared.fallback_reason,
    }


def recommend(
    cache: AppCache,
    source: DatasetSource,
    council_code: str,
    service: str,
    top: int = 10,
    as_of_year: int | None = None,
    model_path: str | None = None,
    order_by: str = "score",
) -> dict[str, Any]:
    prepared = prepare(cache, source, model_path)
    engine = prepared.engine
    found = engine.recommend(council_code, service, top=top, as_of=as_of_year, order_by=order_by)
    partners = [
        {
            "gss_code": p["gss_code"],
            "name": p["name"],
            "arrangements": [
                {"arrangement_id": a["id"], "name": a["name"], "start_year": a["start_year"]} for a in p["arrangements"]
            ],
        }
        for p in engine.existing_partners(council_code, service, as_of_year)
    ]
    return _envelope(
        prepared,
        council_code=council_code,
        service=service,
        as_of_year=engine.snapshot(as_of_year).year,
        candidates=[s.to_dict() for s in found],
        existing_partners=partners,
    )


def join_existing(
    cache: AppCache,
    source: DatasetSource,
    council_code: str,
    service: str,
    top: int = 5,
    as_of_year: int | None = None,
    model_path: str | None = None,
) -> dict[str, Any]:
    prepared = prepare(cache, source, model_path)
    rows = find_existing(prepared.engine, council_code, service, top=top, as_of=as_of_year)
    return _envelope(prepared, council_code=council_code, service=service, arrangements=rows)


def coalitions(
    cache: AppCache,
    source: DatasetSource,
    council_code: str,
    service: str,
    as_of_year: int | None = None,
    model_path: str | None = None,
) -> dict[str, Any]:
    prepared = prepare(cache, source, model_path)
    rows = find_coalitions(prepared.engine, council_code, service, as_of=as_of_year)
    return _envelope(prepared, council_code=council_code, service=service, coalitions=rows)


def estimate_savings(
    cache: AppCache, source: DatasetSource, council_codes: list[str], service: str, benchmarks: list[dict] | None = None
) -> dict[str, Any]:
    """Raises ProposalRefused, naming each field at fault, for a proposal that cannot be estimated."""
    dataset = _dataset(source)
    check_proposal(dataset, council_codes, service)
    return core_estimate(dataset, council_codes, service, benchmarks, index=savings_index(cache, dataset, benchmarks))


def model_card(cache: AppCache, source: DatasetSource | None = None, model_path: str | None = None) -> dict[str, Any]:
    """What the active model is, what it learnt from and how it scored in the back-test."""
    path = str(model_path or DEFAULT_MODEL_PATH)
    if source is not None:
        prepared = prepare(cache, source, path)
        artefact, fallback, reason = prepared.artefact, prepared.fallback, prepared.fallback_reason
    else:
        _, fallback, reason, artefact = _load(path)
    features = [{"name": n, "description": d} for n, d in FEATURES]
    if artefact is None:
        return {
            "model": "baseline",
            "fallback": fallback,
            "fallback_reason": reason,
            "features": features,
            "training": None,
            "metrics": None,
            "created": None,
        }
    return {
        "model": artefact["model"]["kind"],
        "fallback": False,
        "fallback_reason": None,
        "features": features,
        "training": artefact["training"],
        "metrics": artefact["metrics"],
        "created": artefact["created"],
        "library_versions": artefact["library_versions"],
        "format_version": artefact["format_version"],
    }
