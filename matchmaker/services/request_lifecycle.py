"""The match-making request lifecycle: which status may follow which, and why not otherwise.

submitted -> triaged -> suggestions_sent -> introductions_made -> arrangement_formed
any open status -> closed (with a reason)
"""

from __future__ import annotations

from matchmaker.db.workflow import REQUEST_STATUSES

PATH = ("submitted", "triaged", "suggestions_sent", "introductions_made", "arrangement_formed")
FINAL = ("arrangement_formed", "closed")
OPEN = tuple(s for s in REQUEST_STATUSES if s not in FINAL)
LABELS = {
    "submitted": "Submitted",
    "triaged": "Triaged",
    "suggestions_sent": "Suggestions sent",
    "introductions_made": "Introductions made",
    "arrangement_formed": "Arrangement formed",
    "closed": "Closed",
}
ACTIONS = {
    "triaged": "Mark as triaged",
    "suggestions_sent": "Send suggestions",
    "introductions_made": "Record introductions made",
    "arrangement_formed": "Record arrangement formed",
    "closed": "Close request",
}


class TransitionRefused(ValueError):
    """The status change does not follow the lifecycle; the message says why."""

    def __init__(self, current: str, wanted: str, reason: str) -> None:
        super().__init__(reason)
        self.current, self.wanted, self.reason = current, wanted, reason


def next_statuses(current: str) -> tuple[str, ...]:
    """The statuses a request in ``current`` may move to, in lifecycle order."""
    if current in FINAL:
        return ()
    following = PATH[PATH.index(current) + 1]
    return (following, "closed")


def check(current: str, wanted: str, reason: str | None = None) -> None:
    """Raise TransitionRefused unless ``current`` -> ``wanted`` follows the lifecycle."""
    if wanted not in REQUEST_STATUSES:
        raise TransitionRefused(current, wanted, f"unknown status {wanted!r} (known: {', '.join(REQUEST_STATUSES)})")
    if current in FINAL:
        raise TransitionRefused(current, wanted, f"the request is already {LABELS[current].lower()}; it cannot change")
    if wanted == current:
        raise TransitionRefused(current, wanted, f"the request is already {LABELS[current].lower()}")
    if wanted == "closed":
        if not (reason or "").strip():
            raise TransitionRefused(current, wanted, "give a reason for closing the request")
        return
    if PATH.index(wanted) < PATH.index(current):
        raise TransitionRefused(
            current, wanted, f"cannot go back from {LABELS[current].lower()} to {LABELS[wanted].lower()}"
        )
    following = PATH[PATH.index(current) + 1]
    if wanted != following:
        skipped = PATH[PATH.index(current) + 1 : PATH.index(wanted)]
        raise TransitionRefused(
            current,
            wanted,
            f"cannot go from {LABELS[current].lower()} to {LABELS[wanted].lower()}: "
            f"it would skip {', '.join(LABELS[s].lower() for s in skipped)}; next is {LABELS[following].lower()}",
        )
