"""What differs between two arrangement states, field by field, for people to check."""

from __future__ import annotations

from typing import Any

from matchmaker.db.arrangement_state import FIELDS, MEMBER_DETAILS, Snapshot


def diff_snapshots(before: Snapshot | None, after: Snapshot) -> dict[str, Any]:
    """A plain dict: ``created``, ``fields`` (before/after pairs), members, services and savings
    added or removed. ``before=None`` means the arrangement is new."""
    base = before or {"fields": {}, "members": [], "services": [], "savings": []}
    members_before = {m["code"]: m for m in base["members"]}
    members_after = {m["code"]: m for m in after["members"]}
    return {
        "created": before is None,
        "fields": [
            {"field": name, "before": base["fields"].get(name), "after": after["fields"].get(name)}
            for name in FIELDS
            if base["fields"].get(name) != after["fields"].get(name)
        ],
        "members_added": [_member(m) for code, m in members_after.items() if code not in members_before],
        "members_removed": [_member(m) for code, m in members_before.items() if code not in members_after],
        "members_changed": [
            {
                "code": code,
                "name": m["name"],
                "field": name,
                "before": members_before[code].get(name),
                "after": m.get(name),
            }
            for code, m in members_after.items()
            if code in members_before
            for name in MEMBER_DETAILS
            if members_before[code].get(name) != m.get(name)
        ],
        "services_added": [s for s in after["services"] if s not in base["services"]],
        "services_removed": [s for s in base["services"] if s not in after["services"]],
        "savings_added": [r for r in after["savings"] if r not in base["savings"]],
        "savings_removed": [r for r in base["savings"] if r not in after["savings"]],
    }


def _member(member: dict) -> dict:
    return {"code": member["code"], "name": member["name"]}
