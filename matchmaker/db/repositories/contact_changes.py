"""Contact details added, changed or removed, written to the change log by whoever writes them.

Contacts are private: their changes carry the contacts:read scope, so the change feed and webhooks
show them only to keys allowed to read contacts. The entries are written by mapper events in the
flush that writes the contact, so no writer (demo data, imports, a future edit page) can forget.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, object_session

from matchmaker.db import Arrangement, ChangeRecord, Contact, Organisation
from matchmaker.db.base import utcnow
from matchmaker.db.repositories.changes import mark_written, serialise_writers

SCOPE = "contacts:read"
FIELDS = ("role", "name", "job_title", "email", "phone", "demo")
OWNERS = ("organisation_id", "arrangement_id")


def entry(connection: Connection, contact: Contact) -> dict[str, Any]:
    """The contact as the feed shows it: its details and whose contact it is, by public code."""
    organisation = arrangement = None
    if contact.organisation_id is not None:
        organisation = connection.scalar(
            select(Organisation.gss_code).where(Organisation.id == contact.organisation_id)
        )
    if contact.arrangement_id is not None:
        arrangement = connection.scalar(select(Arrangement.public_id).where(Arrangement.id == contact.arrangement_id))
    return {
        **{name: getattr(contact, name) for name in FIELDS},
        "organisation": organisation,
        "arrangement": arrangement,
    }


def _write(connection: Connection, contact: Contact, action: str) -> None:
    """A removed contact's entry names only whose it was: its details are not repeated."""
    session = object_session(contact)
    data = entry(connection, contact)
    if action == "removed":
        data = {owner: data[owner] for owner in ("organisation", "arrangement")}
    serialise_writers(session)
    connection.execute(
        insert(ChangeRecord.__table__).values(
            at=utcnow(),
            resource="contact",
            resource_id=str(contact.id),
            action=action,
            version=None,
            scope=SCOPE,
            data=data,
        )
    )
    mark_written(session)


def _changed(contact: Contact) -> bool:
    state = inspect(contact)
    return any(state.attrs[name].history.has_changes() for name in FIELDS + OWNERS)


@event.listens_for(Contact, "after_insert")
def _created(mapper: Mapper, connection: Connection, contact: Contact) -> None:
    _write(connection, contact, "created")


@event.listens_for(Contact, "after_update")
def _updated(mapper: Mapper, connection: Connection, contact: Contact) -> None:
    if _changed(contact):
        _write(connection, contact, "changed")


@event.listens_for(Contact, "after_delete")
def _removed(mapper: Mapper, connection: Connection, contact: Contact) -> None:
    _write(connection, contact, "removed")
