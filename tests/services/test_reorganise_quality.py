import json
from datetime import date

from sqlalchemy import select

from matchmaker.core.graph import OrgIndex, Snapshot
from matchmaker.db import AuditEvent, Organisation
from matchmaker.db.repositories.versions import versions
from matchmaker.db.snapshot import load_dataset
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.services import quality, reorganise
from matchmaker.services.statistics import national_statistics
from tests.support.arrangements_csv import GOOD, write_csv
from tests.support.refresh import LATER_PLANNED, arrangement

AFTER_2023 = date(2025, 1, 1)


# live arrangements with abolished members as of 2025, after R055, R072 and R122 (data/arrangements.csv)
def codes(session, public_id):
    return [m.organisation.gss_code for m in arrangement(session, public_id).members]


def membership_years(session, public_id):
    return [(m.organisation.gss_code, m.joined_year, m.left_year) for m in arrangement(session, public_id).members]


def graph_members(app, public_id, year):
    with get_database(app).session() as session:
        index = OrgIndex(load_dataset(session), present=2026)
    snap = Snapshot(index, year)
    (k,) = [k for k, a in enumerate(snap.arrangements) if a.id == public_id]
    return [index.codes[p] for p in snap.members[k]]


def test_successors_follow_chains_of_abolitions(app):
    with get_database(app).session() as session:
        taunton = session.scalar(select(Organisation).where(Organisation.gss_code == "E07000190"))
        assert [o.gss_code for o in reorganise.current_successors(taunton, date(2020, 1, 1))] == ["E07000246"]
        assert [o.gss_code for o in reorganise.current_successors(taunton, AFTER_2023)] == ["E06000066"]


def test_plan_names_the_live_arrangements_with_abolished_members(app):
    with get_database(app).session() as session:
        moves = reorganise.plan(session, AFTER_2023)
        assert [(m.arrangement.public_id, m.note) for m in moves[:3]] == [
            (
                "R055",
                "Reorganisation: North Yorkshire (E10000023) replaced by North Yorkshire (E06000065)",
            ),
            ("R072", "Reorganisation: Mendip (E07000187) replaced by Somerset (E06000066)"),
            ("R122", "Reorganisation: Somerset (E10000027) replaced by Somerset (E06000066)"),
        ]
        assert [m.arrangement.public_id for m in moves[3:]] == LATER_PLANNED
        # before Buckinghamshire (2020) and the North Yorkshire, Cumbria and Somerset (2023) changes,
        # only arrangements with councils abolished in 2019 need moving
        assert [m.arrangement.public_id for m in reorganise.plan(session, date(2020, 1, 1))] == ["R212", "R218"]
        assert reorganise.plan(session, date(2019, 1, 1)) == []


def test_reorganise_command_moves_memberships_with_history_and_audit(app, runner):
    shown = runner.invoke(["reorganise", "--as-of", "2025-01-01"])
    assert shown.exit_code == 0, shown.output
    assert "  E07000187 Mendip (ended 2023-03-31) -> E06000066 Somerset" in shown.output
    assert shown.output.endswith("15 arrangement(s) affected. Run with --apply to move the memberships.\n")
    with get_database(app).session() as session:
        assert codes(session, "R072") == [
            "E07000089",
            "E07000090",
            "E07000187",
            "E07000179",
            "E07000180",
        ]

    applied = runner.invoke(["reorganise", "--apply", "--as-of", "2025-01-01"])
    assert applied.exit_code == 0, applied.output
    assert applied.output.endswith("Moved memberships in 15 arrangement(s).\n")
    with get_database(app).session() as session:
        assert membership_years(session, "R072") == [
            ("E07000089", None, None),
            ("E07000090", None, None),
            ("E07000187", None, 2023),  # Mendip, abolished 31 March 2023
            ("E06000066", 2023, None),  # Somerset, from 1 April 2023
            ("E07000179", None, None),
            ("E07000180", None, None),
        ]
        r072 = arrangement(session, "R072")
        assert [v.number for v in versions(session, r072.id)] == [1, 2]
        assert versions(session, r072.id)[0].snapshot["members"][2]["code"] == "E07000187"
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "arrangement.reorganised", AuditEvent.object_id == "R072")
        )
        assert event.detail == {"version": 2, "replaced": {"E07000187": ["E06000066"]}}
        assert quality.report(session, AFTER_2023)["checks"][3]["count"] == 0
    again = runner.invoke(["reorganise", "--apply", "--as-of", "2025-01-01"])
    assert again.output.endswith("Moved memberships in 0 arrangement(s).\n")


def test_a_successor_already_a_member_is_not_added_twice(app, tmp_path):
    row = dict(GOOD, arrangement_id="T009", council_codes="E07000187;E06000066;E07000089", council_names="")
    with get_database(app).transaction() as session:
        load_arrangements(session, write_csv(tmp_path / "t.csv", [row]))
        reorganise.apply_plan(session, "test", AFTER_2023)
    with get_database(app).session() as session:
        assert membership_years(session, "T009") == [
            ("E07000187", None, 2023),
            ("E06000066", None, None),
            ("E07000089", None, None),
        ]


def test_the_partnership_graph_keeps_each_years_members_after_a_reorganisation(app):
    mendip_era = ["E07000089", "E07000090", "E07000179", "E07000180", "E07000187"]
    somerset_era = ["E06000066", "E07000089", "E07000090", "E07000179", "E07000180"]
    assert sorted(graph_members(app, "R072", 2020)) == mendip_era
    with get_database(app).transaction() as session:
        reorganise.apply_plan(session, "test", AFTER_2023)
    assert sorted(graph_members(app, "R072", 2020)) == mendip_era
    assert sorted(graph_members(app, "R072", 2024)) == somerset_era


def test_quality_report_known_answers_on_the_bundled_data(runner):
    result = runner.invoke(["quality", "--format", "json", "--as-of", "2025-01-01"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["arrangements"] == 161
    assert {c["key"]: c["count"] for c in found["checks"]} == {
        "without_savings": 101,
        "without_source": 0,
        "single_member": 0,
        "abolished_members_live": 15,
        "councils_without_arrangements": 59,
    }
    by_key = {c["key"]: c for c in found["checks"]}
    assert [i["id"] for i in by_key["abolished_members_live"]["items"]] == ["R055", "R072", "R122", *LATER_PLANNED]
    assert "R040" in [i["id"] for i in by_key["without_savings"]["items"]]
    assert "R004" not in [i["id"] for i in by_key["without_savings"]["items"]]
    table = runner.invoke(["quality", "--as-of", "2025-01-01"]).output
    assert "Arrangements without a savings figure" in table and "  101  R007, R008, R010," in table


def test_quality_counts_a_one_member_arrangement(app, tmp_path):
    row = dict(GOOD, arrangement_id="T010", council_codes="E07000223", council_names="", source_url="")
    with get_database(app).transaction() as session:
        load_arrangements(session, write_csv(tmp_path / "t.csv", [row]))
    with get_database(app).session() as session:
        counts = {c["key"]: c["count"] for c in quality.report(session, AFTER_2023)["checks"]}
    assert (counts["single_member"], counts["without_source"]) == (1, 1)


def test_statistics_of_an_earlier_year_stay_as_they_were_when_memberships_move(app):
    with get_database(app).session() as session:
        before = {year: national_statistics(session, year) for year in (2020, None)}
    with get_database(app).transaction() as session:
        # R072 alone: other planned moves (Buckinghamshire 2020) rightly change the 2020 view
        reorganise.apply_plan(session, "test", AFTER_2023, only={"R072"})
    with get_database(app).session() as session:
        after = {year: national_statistics(session, year) for year in (2020, None)}
    assert after[2020] == before[2020]

    def pairs(figures):
        return {r["key"]: r["arrangements"] for r in figures["by_tier_pair"]}

    # Mendip (a district) replaced by Somerset (a unitary) in R072: a lower-single pair now.
    assert pairs(after[None]).get("lower-single", 0) > pairs(before[None]).get("lower-single", 0)
