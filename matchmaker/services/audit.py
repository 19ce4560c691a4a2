"""The audit log: who did what to which object, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from matchmaker.db import AuditEvent


def record(session: Session, actor: str, action: str, object_type: str, object_id: object, **detail: Any) -> AuditEvent:
    event = AuditEvent(actor=actor, action=action, object_type=object_type, object_id=str(object_id), detail=detail)
    session.add(event)
    return event
