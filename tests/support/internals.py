"""What must never show on a page: internal values leaking through (None, actor ids, slugs,
digests). Checks the text a person reads, not attributes or scripts."""

from __future__ import annotations

import re

SCRIPT_OR_STYLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
PATTERNS = {
    "None": re.compile(r"\bNone\b"),
    "actor id": re.compile(r"\b(user|key):\w+"),
    "hex digest": re.compile(r"\b[0-9a-f]{32,}\b"),
    "snake_case value": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "unformatted money": re.compile(r"£\d{5,}(?:\.\d+)?\b"),
}


def visible_text(html: str) -> str:
    from html import unescape

    return unescape(TAG.sub(" ", SCRIPT_OR_STYLE.sub(" ", html)))


def internals(html: str, slugs: set[str] = frozenset()) -> list[tuple[str, str]]:
    text = visible_text(html)
    found = [(name, match.group(0)) for name, pattern in PATTERNS.items() for match in pattern.finditer(text)]
    found += [("slug", slug) for slug in slugs if re.search(rf"(?<![\w/.-]){re.escape(slug)}(?![\w-])", text)]
    return found
