"""What the engine endpoints reuse between requests, per worker process.

- The Dataset: whether the database changed is checked at most every API_DATA_CHECK_SECONDS
  (default 1 s), not on every request; the check itself is a handful of count queries.
- Results: an answer depends only on the Dataset (by fingerprint), the model artefact (path and
  modification time) and the query, so identical queries are answered from an LRU of serialised
  response bodies.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Response, current_app
from marshmallow import Schema

from matchmaker.core.types import Dataset
from matchmaker.database import get_session
from matchmaker.services.datasets import current_dataset

DEFAULT_CHECK_SECONDS = 1.0
MAX_RESULTS = 2048
MAX_DATABASES = 4

_lock = threading.Lock()
_datasets: dict[str, tuple[float, Dataset]] = {}
_results: OrderedDict[Hashable, Any] = OrderedDict()


def dataset() -> Dataset:
    key = current_app.config["DATABASE_URL"]
    every = float(current_app.config.get("API_DATA_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    now = time.monotonic()
    hit = _datasets.get(key)
    if hit is not None and now - hit[0] < every:
        return hit[1]
    fresh = current_dataset(get_session())
    with _lock:
        _datasets[key] = (now, fresh)
        while len(_datasets) > MAX_DATABASES:
            del _datasets[next(iter(_datasets))]
    return fresh


def model_stamp(path: str) -> tuple[str, int | None]:
    try:
        return path, os.stat(path).st_mtime_ns
    except OSError:
        return path, None


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    """The cached result for ``key``, computing and keeping it when absent."""
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    value = compute()
    with _lock:
        _results[key] = value
        while len(_results) > MAX_RESULTS:
            _results.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _datasets.clear()
        _results.clear()


def json_response(key: Hashable, schema: Schema | None, compute: Callable[[], Any]) -> Response:
    """A JSON response whose body, dumped through ``schema``, is remembered under ``key``:
    a repeated query costs neither the engine nor the serialisation. ``schema`` None: ``compute``
    already returns the schema's form (its tests check that dumping it changes nothing)."""
    shaped = compute if schema is None else lambda: schema.dump(compute())
    body = remembered(key, lambda: current_app.json.dumps(shaped()).encode())
    return Response(body, mimetype="application/json")
