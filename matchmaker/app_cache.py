"""The application's one cache (services.cache.AppCache), made by ``init_app`` and kept in
``app.extensions``; and what the engine endpoints and pages take from it for a request.

- The Dataset: whether the database changed is asked at most every API_DATA_CHECK_SECONDS
  (default 1 s), and at once after this process committed a change to the data.
- Responses: an answer depends only on the Dataset (by fingerprint), the model artefact (its file
  stamp) and the query, so identical queries are answered from remembered response bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, Response, current_app
from marshmallow import Schema

from matchmaker.core.types import Dataset
from matchmaker.flask_database import get_database, get_session
from matchmaker.services.cache import AppCache, file_stamp

EXTENSION = "matchmaker.cache"
DEFAULT_CHECK_SECONDS = 1.0


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = AppCache()


def current() -> AppCache:
    """The current application's cache."""
    return current_app.extensions[EXTENSION]


def check_seconds(app: Flask | None = None) -> float:
    return float((app or current_app).config.get("API_DATA_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))


def dataset() -> Dataset:
    """The engine's Dataset for this request; a remembered one asks nothing of the database."""
    app = current_app._get_current_object()  # once: each use of the proxy costs a lookup
    cache, every = app.extensions[EXTENSION], check_seconds(app)
    recent = cache.recent_dataset(get_database(app).engine, every)
    return recent if recent is not None else cache.dataset(get_session(), every)


def model_path() -> str:
    return current_app.config["MODEL_PATH"]


def model_stamp() -> tuple:
    return file_stamp(model_path())


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    """The remembered result for ``key``, computing and keeping it when absent."""
    return current().responses.get(key, compute)


def json_response(key: Hashable, schema: Schema | None, compute: Callable[[], Any]) -> Response:
    """A JSON response whose body, dumped through ``schema``, is remembered under ``key``:
    a repeated query costs neither the engine nor the serialisation. ``schema`` None: ``compute``
    already returns the schema's form (its tests check that dumping it changes nothing)."""
    shaped = compute if schema is None else lambda: schema.dump(compute())
    body = remembered(key, lambda: current_app.json.dumps(shaped()).encode())
    return Response(body, mimetype="application/json")
