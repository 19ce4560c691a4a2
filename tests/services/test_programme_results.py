"""Outcomes of closed requests and savings attributed to the requests that led to an arrangement."""

from datetime import datetime, timezone

import pytest

from matchmaker.db import MatchRequest
from matchmaker.flask_database import get_database
from matchmaker.services import match_requests
from matchmaker.services.programme_results import result_of
from matchmaker.services.request_fields import InvalidRequest
from tests.support.programme import add_savings
from tests.support.workflow import HORSHAM, create_request, move, officer


def _result(app, request_id):
    with get_database(app).transaction() as session:
        return result_of(session, session.get(MatchRequest, request_id))


def test_adviser_closes_with_a_reason_from_the_list(app):
    request_id = create_request(app)
    with pytest.raises(InvalidRequest, match="choose one of"):
        move(app, request_id, "closed", reason="No appetite", not_pursued_reason="bored")
    move(app, request_id, "closed", reason="No appetite", not_pursued_reason="political_change")
    found = _result(app, request_id)
    assert (found.outcome.label, found.outcome.reason_label) == ("Not pursued", "Political or leadership change")


def test_adviser_close_without_a_reason_is_other_and_a_withdrawal_says_so(app):
    closed, withdrawn = create_request(app), create_request(app)
    move(app, closed, "closed", reason="Duplicate")
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, withdrawn)
        match_requests.move(session, officer(session), request, "closed", request.version, reason="Not now")
    assert _result(app, closed).outcome.reason == "other"
    assert _result(app, withdrawn).outcome.reason == "council_withdrew"


def test_savings_reported_after_forming_are_attributed_to_the_request(app):
    request_id = create_request(app)
    for status in ("triaged", "suggestions_sent", "introductions_made"):
        move(app, request_id, status)
    move(app, request_id, "arrangement_formed", partner_codes=[HORSHAM])
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        formed = next(e for e in request.events if e.to_status == "arrangement_formed")
        formed.at = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)  # first day of 2026-27
        arrangement_id = request.result_arrangement_id
        add_savings(session, arrangement_id)
    found = _result(app, request_id)
    assert found.outcome.label == "Arrangement formed" and found.arrangement.id == arrangement_id
    assert found.savings_since_year == 2026
    assert found.later_savings == {"achieved_annual": 1250025, "achieved_cumulative": None, "expected": 3000000}


def test_open_request_has_no_outcome(app):
    assert _result(app, create_request(app)).outcome is None
