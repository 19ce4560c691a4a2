import pytest
from sqlalchemy import func, select

from matchmaker.db import Arrangement, ArrangementVersion, AuditEvent
from matchmaker.db.repositories.versions import versions
from matchmaker.flask_database import get_database
from matchmaker.services import history
from tests.support.refresh import rename_r004_via_csv


def arrangement(session, public_id):
    return session.scalar(select(Arrangement).where(Arrangement.public_id == public_id))


def test_every_bundled_arrangement_has_version_one(app):
    with get_database(app).session() as session:
        counts = session.execute(
            select(ArrangementVersion.number, func.count()).group_by(ArrangementVersion.number)
        ).all()
        assert counts == [(1, 161)]
        first = versions(session, arrangement(session, "R004").id)[0]
        assert first.changed_by == "bundled"
        assert first.snapshot["members"][0]["code"] == "E07000223"
        assert first.snapshot["savings"] == [
            {
                "financial_year": None,
                "amount_gbp": "17000000.00",
                "kind": "achieved",
                "period": "cumulative",
                "note": "£17m saved in ten years since 2007, reported at tenth anniversary; ongoing savings "
                "over £3m a year.",
                "reported_year": 2017,
                "period_start_year": 2007,
                "period_end_year": 2017,
                "period_years": 10,
                "per_council": False,
                "source_url": "https://businessesforsalebrighton.co.uk/joint-approach-hailed-a-success-as-it-saves-17m/",
            }
        ]


def test_import_records_a_version_only_for_real_changes(app, tmp_path):
    rename_r004_via_csv(app, tmp_path, "Adur and Worthing (renamed)")
    rename_r004_via_csv(app, tmp_path, "Adur and Worthing (renamed)")
    with get_database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(ArrangementVersion)) == 162
        rows = history.history(session, arrangement(session, "R004"))
        assert [r["number"] for r in rows] == [2, 1]
        assert rows[0]["changed_by"] == "user:7"
        assert rows[0]["changes"]["fields"] == [
            {
                "field": "name",
                "before": "Adur and Worthing Councils",
                "after": "Adur and Worthing (renamed)",
            }
        ]


def test_restore_adds_a_version_and_deletes_nothing(app, tmp_path):
    rename_r004_via_csv(app, tmp_path, "Renamed")
    with get_database(app).transaction() as session:
        version = history.restore(session, arrangement(session, "R004"), 1, "user:3")
        assert version.number == 3
    with get_database(app).session() as session:
        r004 = arrangement(session, "R004")
        assert r004.name == "Adur and Worthing Councils"
        assert [v.change_note for v in versions(session, r004.id)] == [
            "Imported from arrangements.csv",
            "Imported from edited.csv",
            "Restored version 1",
        ]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "arrangement.restored"))
        assert (event.actor, event.object_id, event.detail) == (
            "user:3",
            "R004",
            {"restored": 1, "version": 3},
        )


def test_restoring_a_missing_version_names_it(app):
    with get_database(app).transaction() as session:
        with pytest.raises(history.VersionNotFound, match="arrangement R004 has no version 9"):
            history.restore(session, arrangement(session, "R004"), 9, "user:3")
