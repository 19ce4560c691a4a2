"""Pages for signed-out visitors, remembered per worker process.

A Find partners page seen signed out depends only on the query, the data and the model: it is
kept under a key naming all three (the data by the engine's Dataset fingerprint, checked at most
once a second, and the model by its file's modification time), in an LRU of MAX_PAGES. It is sent
again with this request's script nonce in place of the one it was rendered with. Signed-in
visitors, and anyone with a message waiting to be shown, always get a freshly rendered page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import current_app, request, session

from matchmaker import engine_cache
from matchmaker.web.principal import current_principal

MAX_PAGES = 512

_lock = threading.Lock()
_pages: OrderedDict[Hashable, tuple[str, str]] = OrderedDict()


def applies() -> bool:
    """Whether this request's page may come from, and go to, the remembered pages."""
    return current_principal().is_anonymous and "_flashes" not in session


def data_key(*query: Hashable) -> tuple:
    dataset = engine_cache.dataset()
    model = engine_cache.model_stamp(current_app.config["MODEL_PATH"])
    return (current_app.config["DATABASE_URL"], request.endpoint, dataset.fingerprint, model, *query)


def peek(key: Hashable) -> str | None:
    """The page remembered under ``key``, with this request's nonce in it; None if none is."""
    with _lock:
        hit = _pages.get(key)
        if hit is None:
            return None
        _pages.move_to_end(key)
    html, rendered_with = hit
    return html.replace(rendered_with, _nonce()) if rendered_with else html


def keep(key: Hashable, html: str) -> None:
    with _lock:
        _pages[key] = (html, _nonce())
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)


def _nonce() -> str:
    return getattr(request, "csp_nonce", "")


def clear() -> None:
    with _lock:
        _pages.clear()
