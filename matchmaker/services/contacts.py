"""Contact details: returned only to principals allowed to see them, and every read audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import Contact
from matchmaker.services import audit
from matchmaker.services.access import Principal, may_see_contacts


def contact_dict(contact: Contact) -> dict:
    return {
        "role": contact.role,
        "name": contact.name,
        "job_title": contact.job_title,
        "email": contact.email,
        "phone": contact.phone,
        "demo": contact.demo,
    }


def read_contacts(
    session: Session,
    principal: Principal,
    *,
    organisation_id: int | None = None,
    arrangement_id: int | None = None,
    context: str = "",
) -> list[dict] | None:
    """The contacts of an organisation or an arrangement, or None when the principal may not
    see them (callers then leave the field out entirely). Each allowed read is audited once."""
    if not may_see_contacts(principal):
        return None
    query = select(Contact).order_by(Contact.role, Contact.id)
    if organisation_id is not None:
        query = query.where(Contact.organisation_id == organisation_id)
        object_type, object_id = "organisation", organisation_id
    else:
        query = query.where(Contact.arrangement_id == arrangement_id)
        object_type, object_id = "arrangement", arrangement_id
    contacts = session.scalars(query).all()
    audit.record(
        session,
        principal.actor,
        "contacts.read",
        object_type,
        object_id,
        contact_ids=[c.id for c in contacts],
        context=context,
    )
    return [contact_dict(c) for c in contacts]
