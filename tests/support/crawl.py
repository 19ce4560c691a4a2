"""Walk a signed-in (or anonymous) test client over every same-site link, from the home page.

Each route is visited at most PER_ENDPOINT times (one council page stands for all of them), so
a walk ends quickly while still reaching every kind of page the role's links lead to.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urldefrag, urlsplit

from werkzeug.exceptions import HTTPException

HREF = re.compile(r'<a\s[^>]*href="([^"]+)"')
PER_ENDPOINT = 2
SKIPPED_PREFIXES = ("/static/", "/api/", "/sign-out")


@dataclass
class Walk:
    pages: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (status, html)
    endpoints: dict[str, list[str]] = field(default_factory=dict)  # endpoint -> paths visited
    broken: list[tuple[str, int, str]] = field(default_factory=list)  # (path, status, linked from)


def _local(href: str) -> str | None:
    href = urldefrag(unescape(href))[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIPPED_PREFIXES):
        return None
    return href


def walk(app, client, start: str = "/") -> Walk:
    adapter = app.url_map.bind("localhost")
    result = Walk()
    queue: deque[tuple[str, str]] = deque([(start, "")])
    seen = {start}
    while queue:
        path, linked_from = queue.popleft()
        try:
            endpoint = adapter.match(urlsplit(path).path, method="GET")[0]
        except HTTPException:
            result.broken.append((path, 404, linked_from))
            continue
        visited = result.endpoints.setdefault(endpoint, [])
        if len(visited) >= PER_ENDPOINT:
            continue
        visited.append(path)
        response = client.get(path)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        result.pages[path] = (response.status_code, body)
        if response.status_code >= 400:
            result.broken.append((path, response.status_code, linked_from))
        for href in HREF.findall(body):
            target = _local(href)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, path))
    return result
