"""Generated demo contacts and users. Fictional, flagged demo=True, emails at .example domains."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.db import Arrangement, Contact, Organisation, User
from matchmaker.ingest.demo_experts import load_demo_experts

FIRST_NAMES = ("Alex", "Sam", "Jo", "Robin", "Chris", "Jamie", "Pat", "Morgan", "Kim", "Lee")
DEMO_ROLES = ("viewer", "council_officer", "adviser", "admin")
DEMO_OFFICER_COUNCIL = "E07000223"  # a council with several real arrangements in the bundle


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    organisation: str | None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def demo_name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} Example-{index:04d} (demo)"


def load_demo(session: Session, password: str | None = None) -> list[DemoAccount]:
    """Add demo contacts and demo users unless they exist; returns the sign-ins."""
    if session.scalar(select(User.id).where(User.demo.is_(True)).limit(1)) is None:
        _add_contacts(session)
        load_demo_experts(session)
        return _add_users(session, password or secrets.token_urlsafe(12))
    return []


def _add_contacts(session: Session) -> None:
    index = 0
    for organisation in session.scalars(
        select(Organisation).where(Organisation.end_date.is_(None)).order_by(Organisation.gss_code)
    ):
        domain = f"{slug(organisation.display_name)}.example"
        for role, title in (("officer", "Shared services lead"), ("member", "Cabinet member")):
            index += 1
            session.add(
                Contact(
                    organisation=organisation,
                    role=role,
                    name=demo_name(index),
                    job_title=f"{title} (demo)",
                    email=f"contact{index:04d}@{domain}",
                    phone=f"01632 {index % 1000000:06d}",
                    demo=True,
                )
            )
    for arrangement in session.scalars(select(Arrangement).order_by(Arrangement.public_id)):
        index += 1
        session.add(
            Contact(
                arrangement_id=arrangement.id,
                role="officer",
                name=demo_name(index),
                job_title="Partnership manager (demo)",
                email=f"partnership{index:04d}@{slug(arrangement.public_id)}.example",
                phone=f"01632 {index % 1000000:06d}",
                demo=True,
            )
        )
    session.flush()


def _add_users(session: Session, password: str) -> list[DemoAccount]:
    officer_org = session.scalar(select(Organisation).where(Organisation.gss_code == DEMO_OFFICER_COUNCIL))
    accounts = []
    for role in DEMO_ROLES:
        organisation = officer_org if role == "council_officer" else None
        email = f"{role.replace('_', '-')}@demo.example"
        session.add(
            User(
                email=email,
                name=f"Demo {role.replace('_', ' ')}",
                password_hash=generate_password_hash(password),
                role=role,
                organisation=organisation,
                demo=True,
            )
        )
        accounts.append(DemoAccount(email, password, role, organisation.display_name if organisation else None))
    session.flush()
    return accounts
