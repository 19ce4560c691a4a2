"""`/health`: the process answers (no database). `/ready`: it can serve real answers.

Readiness needs the database. A missing or corrupt model artefact does not make the service
unready: it serves the documented baseline ranking (distance and experience) and says so here.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from matchmaker import app_cache
from matchmaker.flask_database import get_database
from matchmaker.ops.faults import RETRY_AFTER_SECONDS, describe_database_error
from matchmaker.services import recommendations
from matchmaker.services.cache import AppCache, file_stamp

blueprint = Blueprint("ops", __name__, template_folder="templates")


@blueprint.get("/health")
def health():
    return _no_store(jsonify(status="ok"))


@blueprint.get("/ready")
def ready():
    database = database_status()
    model = model_status(current_app.config["MODEL_PATH"])
    ok = database["ok"]
    response = jsonify(status="ready" if ok else "unavailable", database=database, model=model)
    if not ok:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _no_store(response)


def database_status() -> dict[str, Any]:
    try:
        with get_database().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return {"ok": False, "error": describe_database_error(exc)}
    return {"ok": True}


def model_status(path: str) -> dict[str, Any]:
    """What ranks recommendations now; re-read only when the artefact file changes."""
    cache = app_cache.current()
    return cache.models.get(file_stamp(path), lambda: _describe_model(cache, path))


def _describe_model(cache: AppCache, path: str) -> dict[str, Any]:
    card = recommendations.model_card(cache, model_path=path)
    return {
        "ranking": "baseline" if card["fallback"] else "model",
        "kind": card["model"],
        "version": card.get("created"),
        "format_version": card.get("format_version"),
        "fallback": card["fallback"],
        "fallback_reason": card["fallback_reason"],
    }


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
