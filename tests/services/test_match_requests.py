import threading

import pytest
from sqlalchemy import func, select

from matchmaker.core.graph import county_key
from matchmaker.core.types import Organisation as OrgData
from matchmaker.db import Arrangement, ArrangementVersion, AuditEvent, MatchRequest, Organisation
from matchmaker.flask_database import get_database
from matchmaker.services import match_requests, request_lifecycle, request_suggestions
from matchmaker.services.match_requests import InvalidRequest, RequestConflict, RequestNotFound, RequestRefused
from tests.support.workflow import (
    ADUR,
    HORSHAM,
    LEGAL_REQUEST,
    WEST_SUSSEX,
    WORTHING,
    adviser,
    create_request,
    move,
    officer,
    principal,
    viewer,
)


def audit_actions(session, request_id):
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "match_request", AuditEvent.object_id == str(request_id))
            .order_by(AuditEvent.id)
        )
    )


def test_officer_creates_a_request_for_their_own_council_with_timeline_and_audit(app):
    request_id = create_request(app)
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        assert (request.organisation.gss_code, request.service_area.slug, request.status) == (
            ADUR,
            "legal-democratic",
            "submitted",
        )
        assert request.constraints == {"max_distance_miles": 25.0, "same_county": True}
        assert request.version == 1 and request.urgency == "high" and request.needs_expert
        assert [(e.kind, e.to_status) for e in request.events] == [("created", "submitted")]
        assert audit_actions(session, request_id) == ["match_request.created"]


def test_officer_cannot_ask_for_another_council_nor_see_its_requests(app):
    with get_database(app).transaction() as session:
        with pytest.raises(InvalidRequest) as refused:
            match_requests.create(session, officer(session), {**LEGAL_REQUEST, "organisation": HORSHAM})
        assert refused.value.fields == {
            "organisation": f"you can request partners only for your own organisation ({ADUR})"
        }
        with pytest.raises(RequestRefused):
            match_requests.create(session, viewer(session), LEGAL_REQUEST)
    other = create_request(app, adviser, {**LEGAL_REQUEST, "organisation": HORSHAM})
    with get_database(app).transaction() as session:
        with pytest.raises(RequestNotFound):
            match_requests.get(session, officer(session), other)
        assert match_requests.get(session, adviser(session), other).organisation.gss_code == HORSHAM


def test_invalid_fields_are_all_named(app):
    with get_database(app).transaction() as session:
        with pytest.raises(InvalidRequest) as refused:
            match_requests.create(
                session,
                adviser(session),
                {
                    "organisation": "E06000001",
                    "service": "knitting",
                    "urgency": "yesterday",
                    "kind": "enlarge",
                    "arrangement": "R004",
                    "constraints": {"max_distance_miles": -3, "tiers": ["upper", "middle"]},
                },
            )
    assert refused.value.fields == {
        "service": "unknown service 'knitting'",
        "arrangement": "Hartlepool is not a member of arrangement R004",
        "urgency": "must be one of: low, normal, high",
        "constraints.max_distance_miles": "must be a number of miles above 0 and up to 1000",
        "constraints.tiers": "unknown value(s) middle (allowed: upper, lower, single)",
    }


def test_skipping_or_reversing_the_lifecycle_is_refused_with_the_reason(app):
    request_id = create_request(app)
    with pytest.raises(request_lifecycle.TransitionRefused) as refused:
        move(app, request_id, "introductions_made")
    assert str(refused.value) == (
        "cannot go from submitted to introductions made: it would skip triaged, suggestions sent; next is triaged"
    )
    move(app, request_id, "triaged")
    with pytest.raises(request_lifecycle.TransitionRefused, match="cannot go back from triaged to submitted"):
        move(app, request_id, "submitted")
    with pytest.raises(request_lifecycle.TransitionRefused, match="give a reason for closing"):
        move(app, request_id, "closed", reason="  ")
    move(app, request_id, "closed", reason="Council decided to keep legal in house")
    with pytest.raises(request_lifecycle.TransitionRefused, match="already closed; it cannot change"):
        move(app, request_id, "triaged")
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        assert request.close_reason == "Council decided to keep legal in house"
        assert [(e.from_status, e.to_status) for e in request.events if e.kind == "status"] == [
            ("submitted", "triaged"),
            ("triaged", "closed"),
        ]
        assert audit_actions(session, request_id).count("match_request.status") == 2


def test_only_advisers_move_requests_but_the_officer_may_withdraw(app):
    request_id = create_request(app)
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        with pytest.raises(RequestRefused, match="only advisers move a request"):
            match_requests.move(session, officer(session), request, "triaged", request.version)
        match_requests.move(session, officer(session), request, "closed", request.version, reason="Withdrawn")
        assert request.status == "closed"


def test_suggestions_snapshot_applies_the_constraints_and_stays_after_changes(app):
    request_id = create_request(app)
    move(app, request_id, "triaged")
    move(app, request_id, "suggestions_sent")
    with get_database(app).transaction() as session:
        (snapshot,) = session.get(MatchRequest, request_id).snapshots
        candidates = snapshot.payload["candidates"]
        expected_model = "baseline" if snapshot.payload["fallback"] else snapshot.payload["model"]
        assert snapshot.model_version.startswith(expected_model)
        assert snapshot.payload["constraints"] == {"max_distance_miles": 25.0, "same_county": True}
        assert all(c["distance_miles"] <= 25 for c in candidates)
        assert [c["rank"] for c in candidates] == list(range(1, len(candidates) + 1))
        assert all(c["reasons"] and c["reasons"][0]["text"] for c in candidates)
        # Exactly the other six West Sussex districts and the county council are within 25 miles
        # and in the county; three councils within 25 miles are outside it (e.g. Brighton and Hove).
        assert {c["gss_code"] for c in candidates} == {
            HORSHAM,
            WORTHING,
            WEST_SUSSEX,
            "E07000224",
            "E07000225",
            "E07000226",
            "E07000228",
        }
        assert snapshot.payload["considered"] == 316
        assert snapshot.payload["excluded"] == {"distance": 306, "county": 3, "tier": 0, "already_member": 0}
    with get_database(app).transaction() as session:
        session.get(MatchRequest, request_id).snapshots[0].request.description = "changed"
    with get_database(app).transaction() as session:
        assert session.get(MatchRequest, request_id).snapshots[0].payload["candidates"] == candidates


def test_tier_constraint_keeps_only_those_tiers(app):
    request_id = create_request(
        app, adviser, {"organisation": ADUR, "service": "ict-digital", "constraints": {"tiers": ["upper"]}}
    )
    move(app, request_id, "triaged")
    move(app, request_id, "suggestions_sent")
    with get_database(app).transaction() as session:
        candidates = session.get(MatchRequest, request_id).snapshots[0].payload["candidates"]
        assert len(candidates) == 10 and {c["tier"] for c in candidates} == {"upper"}
        assert WEST_SUSSEX in [c["gss_code"] for c in candidates]


def test_arrangement_formed_creates_the_arrangement_with_history(app):
    request_id = create_request(app)
    for status in ("triaged", "suggestions_sent", "introductions_made"):
        move(app, request_id, status)
    with pytest.raises(InvalidRequest, match="name the partner council"):
        move(app, request_id, "arrangement_formed", partner_codes=[])
    move(app, request_id, "arrangement_formed", partner_codes=[HORSHAM])
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        arrangement = session.get(Arrangement, request.result_arrangement_id)
        assert arrangement.public_id == f"MR{request_id:05d}"
        assert arrangement.name == "Legal and democratic services: Adur and Horsham"
        assert [(m.organisation.gss_code, m.role) for m in arrangement.members] == [(ADUR, "host"), (HORSHAM, "member")]
        assert [s.slug for s in arrangement.services] == ["legal-democratic"] and arrangement.status == "in_development"
        versions = session.scalar(
            select(func.count())
            .select_from(ArrangementVersion)
            .where(ArrangementVersion.arrangement_id == arrangement.id)
        )
        assert versions == 1
        assert (
            session.scalar(select(AuditEvent).where(AuditEvent.action == "arrangement.created")).object_id
            == arrangement.public_id
        )


def test_enlarging_adds_the_new_partner_to_the_existing_arrangement(app):
    request_id = create_request(app, officer, {"service": "ict-digital", "kind": "enlarge", "arrangement": "R004"})
    for status in ("triaged", "suggestions_sent", "introductions_made"):
        move(app, request_id, status)
    with get_database(app).transaction() as session:
        payload = session.get(MatchRequest, request_id).snapshots[0].payload
        assert WORTHING not in [c["gss_code"] for c in payload["candidates"]]
    with pytest.raises(InvalidRequest, match="already a member of R004"):
        move(app, request_id, "arrangement_formed", partner_codes=[WORTHING])
    move(app, request_id, "arrangement_formed", partner_codes=[HORSHAM])
    with get_database(app).transaction() as session:
        arrangement = session.scalar(select(Arrangement).where(Arrangement.public_id == "R004"))
        assert [m.organisation.gss_code for m in arrangement.members] == [ADUR, WORTHING, HORSHAM]
        assert session.get(MatchRequest, request_id).result_arrangement_id == arrangement.id


def test_stale_version_is_a_conflict_and_nothing_changes(app):
    request_id = create_request(app)
    move(app, request_id, "triaged")
    with pytest.raises(RequestConflict) as conflict:
        move(app, request_id, "suggestions_sent", version=1)
    assert conflict.value.current_version == 2
    assert "since you saw version 1 (it is now version 2)" in str(conflict.value)
    with get_database(app).transaction() as session:
        assert session.get(MatchRequest, request_id).status == "triaged"


def test_two_advisers_changing_the_same_request_at_once_one_gets_a_conflict(app):
    """Both read version 1; the first writes; the second's write must fail, not overwrite."""
    request_id = create_request(app)
    database = get_database(app)
    both_read, first_done = threading.Barrier(2), threading.Event()
    outcome = {}

    def adviser_edit(name, change):
        try:
            with database.transaction() as session:
                request = session.get(MatchRequest, request_id)
                seen = request.version
                both_read.wait(timeout=10)
                if name == "second":
                    first_done.wait(timeout=10)
                change(session, request, seen)
            outcome[name] = "saved"
        except RequestConflict as error:
            outcome[name] = error
        finally:
            if name == "first":
                first_done.set()

    def triage(session, request, seen):
        match_requests.move(session, adviser(session), request, "triaged", seen)

    def close(session, request, seen):
        match_requests.move(session, adviser(session), request, "closed", seen, reason="Duplicate request")

    threads = [
        threading.Thread(target=adviser_edit, args=("first", triage)),
        threading.Thread(target=adviser_edit, args=("second", close)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], RequestConflict) and outcome["second"].current_version == 2
    with database.transaction() as session:
        request = session.get(MatchRequest, request_id)
        assert (request.status, request.close_reason, request.version) == ("triaged", None, 2)
        assert [e.to_status for e in request.events if e.kind == "status"] == ["triaged"]


def test_edit_details_and_notes(app):
    request_id = create_request(app)
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        match_requests.update(
            session, officer(session), request, 1, {"urgency": "low", "constraints": {"tiers": ["lower"]}}
        )
        match_requests.add_note(session, principal(session, "adviser@demo.example"), request, "Called the officer")
        assert request.version == 2 and request.urgency == "low" and request.constraints == {"tiers": ["lower"]}
        assert [e.kind for e in request.events] == ["created", "edited", "note"]
        with pytest.raises(RequestConflict):
            match_requests.update(session, officer(session), request, 1, {"urgency": "high"})


def test_overdue_depends_on_urgency_and_time_in_status(app):
    from datetime import datetime, timedelta, timezone

    request_id = create_request(app)
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, request_id)
        now = datetime.now(timezone.utc)
        assert not match_requests.is_overdue(request, now + timedelta(days=4))
        assert match_requests.is_overdue(request, now + timedelta(days=6))


def test_suggestions_for_a_council_abolished_since_the_request_are_refused_with_why(app):
    from datetime import date

    request_id = create_request(app)
    move(app, request_id, "triaged")
    with get_database(app).transaction() as session:
        session.get(MatchRequest, request_id).organisation.end_date = date(2020, 3, 31)
    with pytest.raises(InvalidRequest, match="the engine cannot rank partners for this request"):
        move(app, request_id, "suggestions_sent")
    with get_database(app).transaction() as session:
        assert session.get(MatchRequest, request_id).status == "triaged"


def test_same_county_is_the_models_rule_even_for_a_unitary_council_that_names_a_county(app):
    """A unitary council whose record names a county (as a former district's might) is in no
    two-tier county: for the model's "same county area" and for a request's constraint alike."""
    brighton = "E06000043"
    with get_database(app).transaction() as session:
        session.scalar(select(Organisation).where(Organisation.gss_code == brighton)).county_gss = WEST_SUSSEX
    with pytest.raises(InvalidRequest) as refused:
        create_request(app, adviser, {**LEGAL_REQUEST, "organisation": brighton})
    assert refused.value.fields["constraints.same_county"] == (
        "Brighton and Hove is not in a two-tier county, so 'same county only' cannot apply"
    )
    unitary = OrgData(brighton, "Brighton and Hove City Council", tier="single", county_code=WEST_SUSSEX)
    district = OrgData(WORTHING, "Worthing Borough Council", tier="lower", county_code=WEST_SUSSEX)
    assert (county_key(unitary), county_key(district)) == (None, WEST_SUSSEX)
    assert request_suggestions._fails({"same_county": True}, unitary, district, 10.0, set()) == "county"
