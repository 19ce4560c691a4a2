"""Tells every worker at once when what a key may do changed, so remembered key checks end.

A change is a committed transaction that revoked, deleted or re-scoped a key, or disabled, deleted
or changed the role or organisation of a user (the services end a user's sessions with an UPDATE
of the user, which counts too). On commit the change is counted in this process and one byte is
appended to a file in the instance folder, whose size every worker of this host reads (a stat,
no database) before trusting a remembered check. Another host's workers see the change when
their remembered check is API_KEY_CHECK_SECONDS old.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from matchmaker.db import ApiKey, User

FILE_NAME = "access-changes"
FLAG = "matchmaker.access_changed"
WATCHED = {ApiKey: ("revoked_at", "scopes", "user_id", "organisation_id"), User: ("active", "role", "organisation_id")}
log = logging.getLogger(__name__)

_lock = threading.Lock()
_in_process = itertools.count(1)
_generation = 0
_files: set[Path] = set()


def state(path: Path) -> tuple[int, int]:
    """Changes seen so far: this process's count and the shared file's size. It differs from an
    earlier state once any access change was committed since then, here or in another worker."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = -1
    return _generation, size


def file_for(instance_path: str | Path) -> Path:
    return Path(instance_path) / FILE_NAME


def _changed() -> None:
    global _generation
    with _lock:
        _generation = next(_in_process)
        files = list(_files)
    for path in files:
        try:
            with path.open("ab") as handle:
                handle.write(b".")
        except OSError:
            log.warning("could not record an access change in %s: other workers see it within a second", path)


def _watched_change(instance) -> bool:
    fields = WATCHED.get(type(instance))
    if fields is None:
        return False
    attributes = inspect(instance).attrs
    return any(attributes[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if any(type(obj) in WATCHED for obj in session.deleted) or any(map(_watched_change, session.dirty)):
        session.info[FLAG] = True


@event.listens_for(Session, "do_orm_execute")
def _on_execute(orm_execute_state) -> None:
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        entity = orm_execute_state.bind_mapper.class_ if orm_execute_state.bind_mapper else None
        if entity is User or (entity is ApiKey and orm_execute_state.is_delete):
            orm_execute_state.session.info[FLAG] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(FLAG, False):
        _changed()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(FLAG, None)


def watch(instance_path: str | Path) -> Path:
    """Shares this process's access changes through the file of this instance folder, which is
    returned."""
    path = file_for(instance_path)
    with _lock:
        _files.add(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        log.warning("no file for access changes in %s: other workers see them within a second", path.parent)
    return path
