"""`/health`: the process answers (no database). `/ready`: it can serve real answers.

Readiness needs the database. A missing or corrupt model artefact does not make the service
unready: it serves the documented baseline ranking (distance and experience) and says so here.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.database import get_database
from matchmaker.ops.faults import RETRY_AFTER_SECONDS, describe_database_error
from matchmaker.services import recommendations

blueprint = Blueprint("ops", __name__, template_folder="templates")

_model_cache: dict[tuple, dict[str, Any]] = {}
_model_lock = threading.Lock()


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
    try:
        stat = os.stat(path)
        key: tuple = (path, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (path, None, None)
    with _model_lock:
        if key not in _model_cache:
            _model_cache.clear()
            _model_cache[key] = _describe_model(path)
        return _model_cache[key]


def _describe_model(path: str) -> dict[str, Any]:
    card = recommendations.model_card(model_path=path)
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
