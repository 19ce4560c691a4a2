"""limit/offset pagination: the page envelope and RFC 8288 Link headers."""

from __future__ import annotations

from typing import Any

from flask import request

from matchmaker import app_cache
from matchmaker.db.repositories import Page
from matchmaker.db.repositories.totals import Totals

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def totals() -> Totals:
    """The application's remembered list totals, in its cache; the data is checked for changes
    at most every API_DATA_CHECK_SECONDS, as for the engine's Dataset."""
    return app_cache.current().totals(app_cache.check_seconds())


def _url(offset: int, limit: int) -> str:
    args = request.args.to_dict()
    args.update(limit=str(limit), offset=str(offset))
    query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in args.items())
    return f"{request.path}?{query}"


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def page_links(page: Page) -> dict[str, str]:
    links = {
        "self": _url(page.offset, page.limit),
        "first": _url(0, page.limit),
    }
    if page.has_previous:
        links["prev"] = _url(max(0, page.offset - page.limit), page.limit)
    if page.has_next:
        links["next"] = _url(page.offset + page.limit, page.limit)
    if page.total:
        links["last"] = _url((page.total - 1) // page.limit * page.limit, page.limit)
    return links


def link_header(links: dict[str, str]) -> str:
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())


def envelope(page: Page, items: list[Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The response body and its Link header for one page."""
    links = page_links(page)
    body = {
        "items": items,
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "links": links,
    }
    return body, {"Link": link_header(links)}
