from sqlalchemy import func, select

from matchmaker.db import Contact, User
from matchmaker.flask_database import get_database
from matchmaker.ingest.bundled import load_bundled
from tests.support.databases import DATA_DIR


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_without_demo_flag_there_are_no_contacts_or_users(empty_app):
    with get_database(empty_app).transaction() as session:
        result = load_bundled(session, DATA_DIR)
        assert result.demo_accounts == []
        assert count(session, Contact) == 0 and count(session, User) == 0


def test_demo_data_is_flagged_fictional_and_added_once(empty_app):
    with get_database(empty_app).transaction() as session:
        accounts = load_bundled(session, DATA_DIR, demo=True, demo_password="pw").demo_accounts
        assert sorted(a.role for a in accounts) == ["admin", "adviser", "council_officer", "viewer"]
        contacts = session.scalars(select(Contact)).all()
        # two per current council (317) and one per arrangement (161)
        assert len(contacts) == 2 * 317 + 161
        assert all(c.demo and c.email.endswith(".example") and "(demo)" in c.name for c in contacts)
        assert all(u.demo for u in session.scalars(select(User)))
    with get_database(empty_app).transaction() as session:
        assert load_bundled(session, DATA_DIR, demo=True).demo_accounts == []
        assert count(session, Contact) == 2 * 317 + 161
