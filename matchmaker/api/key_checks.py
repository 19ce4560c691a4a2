"""Key checks remembered per worker, so a busy caller's key is looked up about once a second.

A presented key is looked up in the database (and its last use recorded, at most once a minute)
when this worker has not checked it within API_KEY_CHECK_SECONDS (default 1 s); in between, the
answer found then, accepted or refused, is reused. A revoked key is therefore refused by every
worker within that time. Keys are remembered by a hash of what was presented, never in plain,
and only the most recently used MAX_KEYS are kept, so guessed keys cannot fill memory.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask, current_app

from matchmaker.services.access import Principal

EXTENSION_KEY = "matchmaker.key_checks"
DEFAULT_CHECK_SECONDS = 1.0
MAX_KEYS = 1024


class KeyChecks:
    def __init__(self, every: timedelta) -> None:
        self.every = every
        self._lock = threading.Lock()
        self._checked: OrderedDict[str, tuple[datetime, Principal | None]] = OrderedDict()

    def principal(self, presented: str, now: datetime, look_up: Callable[[], Principal | None]) -> Principal | None:
        """The principal for ``presented`` (None: refused), from ``look_up`` when this key was
        not checked within ``every`` of ``now``."""
        digest = hashlib.sha256(presented.encode()).hexdigest()
        with self._lock:
            hit = self._checked.get(digest)
            if hit is not None and now - hit[0] < self.every:
                self._checked.move_to_end(digest)
                return hit[1]
        found = look_up()
        with self._lock:
            self._checked[digest] = (now, found)
            self._checked.move_to_end(digest)
            while len(self._checked) > MAX_KEYS:
                self._checked.popitem(last=False)
        return found


def remembered() -> KeyChecks:
    return current_app.extensions[EXTENSION_KEY]


def init_app(app: Flask) -> None:
    seconds = float(app.config.get("API_KEY_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    app.extensions[EXTENSION_KEY] = KeyChecks(timedelta(seconds=seconds))
