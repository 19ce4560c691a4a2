"""How the change feed shows a change: its opaque cursor, its link and its fields.

Shared by /api/v1/changes and the webhook deliveries, so both say the same thing.
"""

from __future__ import annotations

from typing import Any

from matchmaker.db import ChangeRecord

API_ROOT = "/api/v1"  # as matchmaker.api.links, which this layer may not import
LINKS = {
    "arrangement": API_ROOT + "/arrangements/{id}",
    "organisation": API_ROOT + "/organisations/{id}",
    "model": API_ROOT + "/model",
    "match_request": API_ROOT + "/match-requests/{id}",
}
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_cursor(change_id: int) -> str:
    """A position in the feed, written in base 36: clients keep it and send it back unread."""
    text = ""
    while True:
        change_id, digit = divmod(change_id, 36)
        text = DIGITS[digit] + text
        if change_id == 0:
            return text


LAST_POSSIBLE_ID = 2**31 - 1  # the largest id an integer column holds (PostgreSQL)


def decode_cursor(cursor: str) -> int:
    """Any cursor of the documented shape is a position (the schema has already checked it);
    one past every possible id is the end of the feed, not a number the database refuses."""
    return min(int(cursor, 36), LAST_POSSIBLE_ID)


def href(change: ChangeRecord) -> str | None:
    if change.resource == "contact":  # an organisation's contacts have a list; an arrangement's none
        code = change.data.get("organisation")
        return f"{API_ROOT}/organisations/{code}/contacts" if code else None
    link = LINKS.get(change.resource)
    return link.format(id=change.resource_id) if link else None


def representation(change: ChangeRecord) -> dict[str, Any]:
    return {
        "cursor": encode_cursor(change.id),
        "resource": change.resource,
        "id": change.resource_id,
        "action": change.action,
        "version": change.version,
        "at": change.at,
        "href": href(change),
        "data": change.data,
    }
