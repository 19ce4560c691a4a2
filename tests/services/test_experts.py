import pytest
from sqlalchemy import select

from matchmaker.db import Assignment, AuditEvent, Expert, MatchRequest
from matchmaker.flask_database import get_database
from matchmaker.services import experts
from tests.support.workflow import HORSHAM, LEGAL_REQUEST, adviser, create_request, move, officer

LEGAL_LEE = {
    "name": "Lee Legal (test expert)",
    "email": "lee@experts.example",
    "service_slugs": ["legal-democratic"],
    "help_kinds": ["legal_setup"],
    "regions": ["South East"],
    "capacity": 1,
}


def only_test_experts(app, *entries):
    """Demo experts off; the given experts registered. Returns their ids."""
    with get_database(app).transaction() as session:
        for expert in session.scalars(select(Expert)):
            experts.update(session, adviser(session), expert, {"available": False})
        return [experts.create(session, adviser(session), entry).id for entry in entries]


def test_demo_experts_are_generated_fictional_and_cover_every_service(app):
    with get_database(app).transaction() as session:
        demo = session.scalars(select(Expert)).all()
        assert len(demo) == 12
        assert all(e.demo and e.email.endswith("@experts.example") and "(demo expert)" in e.name for e in demo)
        assert {s for e in demo for s in e.service_slugs} >= {"legal-democratic", "ict-digital", "waste-environment"}
        assert sum(1 for e in demo if not e.regions) == 3  # national experts


def test_registry_checks_fields_and_is_for_advisers(app):
    with get_database(app).transaction() as session:
        with pytest.raises(experts.InvalidExpert) as refused:
            experts.create(
                session,
                adviser(session),
                {
                    "name": "",
                    "service_slugs": ["knitting"],
                    "regions": ["Mars"],
                    "capacity": 0,
                    "available_from": "soon",
                },
            )
        assert set(refused.value.fields) == {"name", "service_slugs", "regions", "capacity", "available_from"}
        with pytest.raises(experts.ExpertRefused):
            experts.create(session, officer(session), LEGAL_LEE)
        expert = experts.create(session, adviser(session), LEGAL_LEE)
        experts.update(session, adviser(session), expert, {"capacity": 3})
        assert expert.capacity == 3 and expert.service_slugs == ["legal-democratic"]
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "expert", AuditEvent.object_id == str(expert.id))
        )
        assert list(actions) == ["expert.created", "expert.edited"]


def test_proposal_accept_and_capacity_recheck(app):
    (lee,) = only_test_experts(app, LEGAL_LEE)
    adur = create_request(app)  # urgent, needs an expert
    horsham = create_request(app, adviser, {**LEGAL_REQUEST, "organisation": HORSHAM, "urgency": "normal"})
    with get_database(app).transaction() as session:
        proposal = experts.propose(session, adviser(session))
        assert [(p.request_id, p.expert_id) for p in proposal["pairs"]] == [(adur, lee)]
        assert proposal["pairs"][0].reason == (
            "Lee Legal (test expert) has skills in legal and democratic services and covers South East; "
            "0 of 1 places in use before this"
        )
        assert [(u.request_id, u.reason) for u in proposal["unassigned"]] == [
            (
                horsham,
                "the free places of experts with skills in legal and democratic services in South East went to other "
                "requests that are more urgent or fit them better",
            )
        ]
        assert proposal["greedy"] == {"assigned": 1, "total_fit": proposal["total_fit"]}
        made = experts.accept(session, adviser(session), [(adur, lee)])
        assert [(a.request_id, a.expert_id, a.status, a.fit_score) for a in made] == [(adur, lee, "active", 1.0)]
    with get_database(app).transaction() as session:
        assert experts.loads(session) == {lee: 1}
        assert [r.id for r in experts.waiting_requests(session)] == [horsham]
        with pytest.raises(experts.AssignmentRefused) as refused:
            experts.accept(session, adviser(session), [(horsham, lee), (adur, lee)])
        assert refused.value.problems == [
            f"request {horsham}: Lee Legal (test expert) has no free place (1 of 1 in use)",
            f"request {adur} is not waiting for an expert (closed, already assigned or listed twice)",
        ]
        notes = [e.note for e in session.get(MatchRequest, adur).events if e.kind == "assignment"]
        assert notes == [
            "Expert assigned: Lee Legal (test expert). Lee Legal (test expert) has skills in legal and "
            "democratic services and covers South East; 0 of 1 places in use before this"
        ]


def test_closing_the_request_frees_the_experts_place(app):
    (lee,) = only_test_experts(app, LEGAL_LEE)
    adur = create_request(app)
    with get_database(app).transaction() as session:
        experts.accept(session, adviser(session), [(adur, lee)], edited=True)
    move(app, adur, "closed", reason="Found a partner without help")
    with get_database(app).transaction() as session:
        (assignment,) = session.scalars(select(Assignment)).all()
        assert assignment.status == "cancelled" and assignment.end_date is not None
        assert experts.loads(session) == {}
        audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.accepted"))
        assert audit.detail == {"edited": True, "pairs": [[adur, lee]]}


def test_an_edited_pair_that_does_not_fit_is_refused_with_why(app):
    lee, far = only_test_experts(
        app, LEGAL_LEE, {**LEGAL_LEE, "name": "Far Away (test expert)", "regions": ["North East"]}
    )
    adur = create_request(app)
    with get_database(app).transaction() as session:
        with pytest.raises(experts.AssignmentRefused, match="Far Away \\(test expert\\) does not cover South East"):
            experts.accept(session, adviser(session), [(adur, far)], edited=True)
        experts.reject(session, adviser(session), "Waiting for a mediation expert")
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.rejected")).detail == {
            "reason": "Waiting for a mediation expert",
            "waiting": [adur],
        }


def test_expert_with_assignments_is_not_deleted(app):
    (lee,) = only_test_experts(app, LEGAL_LEE)
    adur = create_request(app)
    with get_database(app).transaction() as session:
        experts.accept(session, adviser(session), [(adur, lee)])
        with pytest.raises(experts.ExpertRefused, match="has assignments on record"):
            experts.delete(session, adviser(session), session.get(Expert, lee))
    with get_database(app).transaction() as session:
        unused = experts.create(session, adviser(session), {**LEGAL_LEE, "name": "Spare (test expert)"})
        experts.delete(session, adviser(session), unused)
        assert session.get(Expert, unused.id) is None


def test_an_edit_names_the_version_seen_and_a_stale_one_changes_nothing(app):
    (lee,) = only_test_experts(app, LEGAL_LEE)
    with get_database(app).transaction() as session:
        expert = session.get(Expert, lee)
        assert expert.version == 1
        experts.update(session, adviser(session), expert, {"capacity": 3}, expected_version=1)
        assert expert.version == 2
        experts.update(session, adviser(session), expert, {"capacity": 3}, expected_version=2)
        assert expert.version == 2  # nothing changed, nothing written
        with pytest.raises(experts.ExpertConflict) as stale:
            experts.update(session, adviser(session), expert, {"capacity": 1}, expected_version=1)
        assert stale.value.current_version == 2
        assert str(stale.value) == (
            f"Lee Legal (test expert)'s entry (expert {lee}) was changed by someone else "
            "since you saw version 1 (it is now version 2); nothing was saved: "
            "reload it and try again"
        )
    with get_database(app).session() as session:
        assert (session.get(Expert, lee).capacity, session.get(Expert, lee).version) == (3, 2)


def test_a_change_committed_between_reading_and_writing_is_not_overwritten(app):
    (lee,) = only_test_experts(app, LEGAL_LEE)
    database = get_database(app)
    with database.session() as first:
        mine = first.get(Expert, lee)
        with database.transaction() as second:
            experts.update(second, adviser(second), second.get(Expert, lee), {"capacity": 4}, expected_version=1)
        with pytest.raises(experts.ExpertConflict) as stale:
            experts.update(first, adviser(first), mine, {"capacity": 2}, expected_version=1)
        assert stale.value.current_version == 2 and "since you saw version 1 (it is now version 2)" in str(stale.value)
        first.rollback()
    with database.session() as session:
        assert (session.get(Expert, lee).capacity, session.get(Expert, lee).version) == (4, 2)
        assert session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "expert.edited", AuditEvent.object_id == str(lee))
        ).all() == [{"fields": ["capacity"]}]
