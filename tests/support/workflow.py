"""Shared helpers for the adviser-workflow tests: principals and a request made by the demo officer."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.db import MatchRequest, User
from matchmaker.flask_database import get_database
from matchmaker.services import match_requests
from matchmaker.services.access import principal_for_user

ADUR, HORSHAM, WORTHING, WEST_SUSSEX = "E07000223", "E07000227", "E07000229", "E10000032"
LEGAL_REQUEST = {
    "service": "legal-democratic",
    "description": "Looking for partners for a shared legal team",
    "constraints": {"max_distance_miles": 25, "same_county": True},
    "urgency": "high",
    "needs_expert": True,
}


def principal(session, email):
    return principal_for_user(session.scalar(select(User).where(User.email == email)))


def officer(session):
    return principal(session, "council-officer@demo.example")


def adviser(session):
    return principal(session, "adviser@demo.example")


def viewer(session):
    return principal(session, "viewer@demo.example")


def create_request(app, who=officer, data=None) -> int:
    with get_database(app).transaction() as session:
        return match_requests.create(session, who(session), dict(data or LEGAL_REQUEST)).id


def move(app, request_id, to_status, **options):
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        version = options.pop("version", request.version)
        match_requests.move(session, adviser(session), request, to_status, version, **options)
        return request.version
