"""Key checks remembered per worker, so a busy caller's key is looked up about once a second.

A presented key is looked up in the database (and its last use recorded, at most once a minute)
when this worker has not checked it within API_KEY_CHECK_SECONDS (default 1 s); in between, the
answer found then, accepted or refused, is reused, unless what keys may do changed since it was
found (``access_changes``): a key revoked, or its user disabled or given another role, is refused
at its next request by every worker of this host, and by other hosts' workers within that time.
Keys are remembered by a hash of what was presented, never in plain, and only the most recently
used MAX_KEYS are kept, so guessed keys cannot fill memory.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, current_app

from matchmaker.api import access_changes
from matchmaker.services.access import Principal

EXTENSION_KEY = "matchmaker.key_checks"
DEFAULT_CHECK_SECONDS = 1.0
MAX_KEYS = 1024


class KeyChecks:
    def __init__(self, every: timedelta, changes: Path) -> None:
        self.every = every
        self.changes = changes
        self._lock = threading.Lock()
        self._checked: OrderedDict[str, tuple[datetime, tuple[int, int], Principal | None]] = OrderedDict()

    def principal(self, presented: str, now: datetime, look_up: Callable[[], Principal | None]) -> Principal | None:
        """The principal for ``presented`` (None: refused), from ``look_up`` when this key was
        not checked within ``every`` of ``now``."""
        digest = hashlib.sha256(presented.encode()).hexdigest()
        # Read before looking up: a change committed during the look-up makes the answer stale.
        seen = access_changes.state(self.changes)
        with self._lock:
            hit = self._checked.get(digest)
            if hit is not None and now - hit[0] < self.every and hit[1] == seen:
                self._checked.move_to_end(digest)
                return hit[2]
        found = look_up()
        with self._lock:
            self._checked[digest] = (now, seen, found)
            self._checked.move_to_end(digest)
            while len(self._checked) > MAX_KEYS:
                self._checked.popitem(last=False)
        return found


def remembered() -> KeyChecks:
    return current_app.extensions[EXTENSION_KEY]


def init_app(app: Flask) -> None:
    seconds = float(app.config.get("API_KEY_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    app.extensions[EXTENSION_KEY] = KeyChecks(timedelta(seconds=seconds), access_changes.watch(app.instance_path))
