from sqlalchemy import func, select

from matchmaker.db import AuditEvent, Organisation, User
from matchmaker.flask_database import get_database
from matchmaker.services.access import ANONYMOUS, principal_for_user
from matchmaker.services.contacts import read_contacts


def audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def adur(session) -> Organisation:
    return session.scalar(select(Organisation).where(Organisation.gss_code == "E07000223"))


def test_anonymous_and_viewer_see_no_contacts_and_leave_no_audit(app):
    with get_database(app).transaction() as session:
        viewer = session.scalar(select(User).where(User.email == "viewer@demo.example"))
        for principal in (ANONYMOUS, principal_for_user(viewer)):
            assert read_contacts(session, principal, organisation_id=adur(session).id) is None
        assert audit_count(session) == 0


def test_officer_reads_demo_contacts_and_each_read_is_audited_once(app):
    with get_database(app).transaction() as session:
        officer = session.scalar(select(User).where(User.email == "council-officer@demo.example"))
        principal = principal_for_user(officer)
        contacts = read_contacts(session, principal, organisation_id=adur(session).id, context="test")
        assert [c["role"] for c in contacts] == ["member", "officer"]
        assert all(c["demo"] and c["email"].endswith(".example") for c in contacts)
        assert audit_count(session) == 1
        event = session.scalar(select(AuditEvent))
        assert (event.actor, event.action, event.object_type) == (
            f"user:{officer.id}", "contacts.read", "organisation",
        )  # fmt: skip
        read_contacts(session, principal, organisation_id=adur(session).id)
        assert audit_count(session) == 2
