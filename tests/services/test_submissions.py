import pytest
from sqlalchemy import select

from matchmaker.db import AuditEvent
from matchmaker.db.repositories.versions import versions
from matchmaker.flask_database import get_database
from matchmaker.ingest.submission_rules import InvalidSubmission
from matchmaker.services import moderation, submissions
from matchmaker.services.access import ANONYMOUS
from tests.support.dumps import dump_tables
from tests.support.refresh import NEW, adviser, approve, arrangement, officer, published, submission, submit


def test_savings_update_waits_for_approval_then_applies_with_history_and_audit(app):
    before = dump_tables(app)
    sid, _ = submit(
        app,
        officer,
        "savings_update",
        {"amount_gbp": "£3,100,000", "kind": "achieved", "financial_year": "2023"},
        "R004",
    )
    assert published(dump_tables(app)) == published(before)
    with get_database(app).session() as session:
        diff = moderation.review(session, submission(session, sid))["diff"]
        assert diff["savings_added"] == [
            {
                "financial_year": 2023,
                "amount_gbp": "3100000.00",
                "kind": "achieved",
                "period": "annual",
                "note": None,
            }
        ]
        assert diff["fields"] == [] and diff["members_added"] == []
    assert approve(app, sid) == "R004"
    with get_database(app).session() as session:
        r004 = arrangement(session, "R004")
        assert [(float(r.amount_gbp), r.kind, r.financial_year) for r in r004.savings] == [
            (17_000_000.0, "achieved", None),
            (3_100_000.0, "achieved", 2023),
        ]
        latest = versions(session, r004.id)[-1]
        assert (latest.number, latest.submission_id, latest.changed_by) == (
            2,
            sid,
            adviser(session).actor,
        )
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.approved"))
        assert event.detail == {"kind": "savings_update", "arrangement": "R004"}
        assert submission(session, sid).status == "approved"


def test_new_arrangement_is_checked_with_the_import_rules(app):
    with pytest.raises(InvalidSubmission) as invalid:
        submit(app, officer, "new_arrangement", dict(NEW, service_areas="legal", start_year="20x0"))
    assert invalid.value.fields == {
        "service_areas": ["unknown service slug 'legal'"],
        "start_year": ["bad year '20x0' (expected four digits, 1900-2100)"],
    }


def test_new_arrangement_flagged_as_duplicate_and_created_on_approval(app):
    sid, _ = submit(app, officer, "new_arrangement", dict(NEW, service_areas="legal-democratic;ict-digital"))
    with get_database(app).session() as session:
        review = moderation.review(session, submission(session, sid))
        assert review["duplicate_of"].public_id == "R004"
        assert review["diff"]["created"] is True
        assert [m["code"] for m in review["diff"]["members_added"]] == ["E07000223", "E07000229"]
    new_id = approve(app, sid)
    assert new_id == f"S{sid:05d}"
    with get_database(app).session() as session:
        created = arrangement(session, new_id)
        assert [s.slug for s in created.services] == ["ict-digital", "legal-democratic"]
        assert [(float(r.amount_gbp), r.kind, r.period) for r in created.savings] == [(120000.0, "achieved", "annual")]
        assert [v.number for v in versions(session, created.id)] == [1]


def test_a_distinct_new_arrangement_is_not_flagged(app):
    sid, _ = submit(app, officer, "new_arrangement", NEW)
    with get_database(app).session() as session:
        assert submission(session, sid).duplicate_of_id is None


def test_officer_may_only_submit_for_their_own_organisation(app):
    with pytest.raises(submissions.SubmissionRefused, match="not a member of arrangement R003"):
        submit(
            app,
            officer,
            "savings_update",
            {"amount_gbp": "1", "kind": "achieved", "financial_year": "2020"},
            "R003",
        )
    with pytest.raises(submissions.SubmissionRefused, match=r"must include your organisation \(E07000223\)"):
        submit(app, officer, "new_arrangement", dict(NEW, council_codes="E07000229;E07000228"))
    with pytest.raises(submissions.SubmissionRefused, match="sign in"):
        submit(app, lambda s: ANONYMOUS, "savings_update", {}, "R004")


def test_approving_against_a_changed_arrangement_is_a_conflict(app):
    savings, _ = submit(
        app,
        officer,
        "savings_update",
        {"amount_gbp": "5000", "kind": "expected", "financial_year": "2025"},
        "R004",
    )
    correction, _ = submit(app, officer, "correction", {"name": "Adur & Worthing Councils"}, "R004")
    approve(app, correction)
    before = dump_tables(app)
    with pytest.raises(moderation.ModerationConflict, match="changed since version 1 \\(now version 2\\)") as conflict:
        approve(app, savings)
    assert conflict.value.current_version == 2
    assert dump_tables(app) == before
    with get_database(app).session() as session:
        assert moderation.review(session, submission(session, savings))["stale"] is True
    approve(app, savings, expected_version=2)
    with get_database(app).session() as session:
        r004 = arrangement(session, "R004")
        assert r004.name == "Adur & Worthing Councils"
        assert [v.number for v in versions(session, r004.id)] == [1, 2, 3]
    with pytest.raises(moderation.ModerationConflict, match="already approved"):
        approve(app, savings)


def test_correction_diff_names_each_field(app):
    sid, _ = submit(app, officer, "correction", {"status": "ended", "end_year": "2024"}, "R004")
    with get_database(app).session() as session:
        assert moderation.review(session, submission(session, sid))["diff"]["fields"] == [
            {"field": "status", "before": "operational", "after": "ended"},
            {"field": "end_year", "before": None, "after": 2024},
        ]
    with pytest.raises(InvalidSubmission, match="ends \\(2001\\) before it starts \\(2007\\)"):
        submit(app, officer, "correction", {"end_year": "2001"}, "R004")
    with pytest.raises(InvalidSubmission, match="the correction changes nothing"):
        submit(app, officer, "correction", {"name": "Adur and Worthing Councils"}, "R004")


def test_rejection_reason_is_shown_to_the_submitter_and_nothing_changes(app):
    sid, _ = submit(app, officer, "correction", {"name": "Wrong name"}, "R004")
    before = dump_tables(app)
    with get_database(app).session() as session:
        with pytest.raises(ValueError, match="give a reason"):
            moderation.reject(session, submission(session, sid), adviser(session), " ")
    with get_database(app).transaction() as session:
        moderation.reject(session, submission(session, sid), adviser(session), "The published name is right")
    assert published(dump_tables(app)) == published(before)
    with get_database(app).session() as session:
        mine = submissions.for_submitter(session, officer(session))
        assert [(s.id, s.status, s.reject_reason) for s in mine] == [(sid, "rejected", "The published name is right")]


def test_officers_cannot_moderate(app):
    sid, _ = submit(app, officer, "correction", {"name": "Another"}, "R004")
    with pytest.raises(moderation.ModerationRefused):
        with get_database(app).transaction() as session:
            moderation.approve(session, submission(session, sid), officer(session))


def test_anonymous_report_needs_an_email_and_gets_a_receipt(app):
    with pytest.raises(InvalidSubmission) as invalid:
        submit(app, lambda s: ANONYMOUS, "report", {"email": "not-an-address", "message": ""})
    assert invalid.value.fields == {
        "email": ["not an email address: 'not-an-address'"],
        "message": ["is required"],
    }
    sid, receipt = submit(
        app,
        lambda s: ANONYMOUS,
        "report",
        {
            "email": "visitor@example.org",
            "message": "Adur and Worthing also share legal",
            "arrangement_id": "R004",
        },
    )
    with get_database(app).transaction() as session:
        moderation.reject(session, submission(session, sid), adviser(session), "Already listed as R004")
    with get_database(app).session() as session:
        found = submissions.by_receipt(session, receipt)
        assert (found.id, found.status, found.reject_reason, found.submitter_email) == (
            sid,
            "rejected",
            "Already listed as R004",
            "visitor@example.org",
        )
        assert submissions.by_receipt(session, "wrong") is None
