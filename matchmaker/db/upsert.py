"""Idempotent upserts: only real changes touch a row, so loading twice changes nothing."""

from __future__ import annotations

from typing import Any


def assign_changed(obj: Any, fields: dict[str, Any]) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
