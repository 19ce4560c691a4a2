"""Pages for signed-out visitors, remembered in the application's cache (app_cache).

A Find partners page seen signed out depends only on the query, the data and the model: it is
kept under a key naming all three (the data by the engine's Dataset fingerprint, checked at most
once a second, and the model by its file's stamp), in the cache's bounded store of pages. It is sent
again with this request's script nonce in place of the one it was rendered with. Signed-in
visitors, and anyone with a message waiting to be shown, always get a freshly rendered page.
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import current_app, request, session

from matchmaker import app_cache
from matchmaker.web.principal import current_principal


def applies() -> bool:
    """Whether this request's page may come from, and go to, the remembered pages."""
    return current_principal().is_anonymous and "_flashes" not in session


def data_key(*query: Hashable) -> tuple:
    data, model = app_cache.dataset().fingerprint, app_cache.model_stamp()
    return (current_app.config["DATABASE_URL"], request.endpoint, data, model, *query)


def peek(key: Hashable) -> str | None:
    """The page remembered under ``key``, with this request's nonce in it; None if none is."""
    hit = app_cache.current().pages.peek(key)
    if hit is None:
        return None
    html, rendered_with = hit
    return html.replace(rendered_with, _nonce()) if rendered_with else html


def keep(key: Hashable, html: str) -> None:
    app_cache.current().pages.put(key, (html, _nonce()))


def _nonce() -> str:
    return getattr(request, "csp_nonce", "")
