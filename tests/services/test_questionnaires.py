import io

import pytest
from openpyxl import load_workbook

from matchmaker.db import Submission
from matchmaker.flask_database import get_database
from matchmaker.ingest.questionnaire_answers import QuestionnaireRejected
from matchmaker.services import moderation, questionnaires, refresh
from tests.support.dumps import dump_tables
from tests.support.refresh import (
    adviser,
    arrangement,
    dashboard,
    export,
    filled,
    officer,
    open_round,
    upload,
)


def test_questionnaire_lists_the_councils_arrangements_and_highlights_gaps(app):
    sheet = load_workbook(io.BytesIO(export(app, open_round(app))))["Arrangements"]
    assert [sheet[f"A{n}"].value for n in (2, 3, 4)] == ["R004", "R040", None]
    assert sheet["J2"].value is None
    assert sheet["J3"].value == "savings figure, end year"  # CenSus ended with no year and no figure
    assert sheet["H3"].fill.fgColor.rgb.endswith("FFDD00") and sheet["G3"].fill.fgColor.rgb.endswith("FFDD00")
    assert sheet["H2"].fill.fgColor.rgb.endswith("EEEEEE")
    assert sheet["H2"].value == "£17,000,000 achieved cumulative"


def test_formula_text_is_neutralised_on_export(app):
    with get_database(app).transaction() as session:
        arrangement(session, "R004").name = '=HYPERLINK("http://evil.example")'
    sheet = load_workbook(io.BytesIO(export(app, open_round(app))))["Arrangements"]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil.example")'


def test_round_trip_savings_figure_reaches_the_data_after_approval(app):
    round_id = open_round(app)
    gaps_before = dashboard(app, round_id)["arrangements_without_savings"]
    raw = filled(export(app, round_id), {"K2": "yes", "O3": 45000, "P3": "achieved", "Q3": 2024})
    assert upload(app, round_id, raw) == (1, [1])
    with get_database(app).session() as session:
        assert arrangement(session, "R040").savings == []  # nothing published before approval
    assert dashboard(app, round_id) | {"submissions": None} == {
        "year": 2025,
        "status": "open",
        "councils_asked": dashboard(app, round_id)["councils_asked"],
        "councils_responded": 1,
        "arrangements_total": 161,
        "arrangements_confirmed": 1,
        "arrangements_without_savings": gaps_before,
        "savings_gaps_closed": 0,
        "submissions": None,
    }
    with get_database(app).transaction() as session:
        moderation.approve(session, session.get(Submission, 1), adviser(session))
    with get_database(app).session() as session:
        assert [
            (float(r.amount_gbp), r.kind, r.period, r.financial_year) for r in arrangement(session, "R040").savings
        ] == [(45000.0, "achieved", "annual", 2024)]
    after = dashboard(app, round_id)
    assert (after["savings_gaps_closed"], after["arrangements_without_savings"]) == (
        1,
        gaps_before - 1,
    )
    assert after["submissions"] == {"pending": 0, "approved": 1, "rejected": 0}
    # answering again confirms nothing twice
    upload(app, round_id, filled(export(app, round_id), {"K2": "yes"}))
    assert dashboard(app, round_id)["arrangements_confirmed"] == 1


def test_bad_cells_are_named_and_nothing_changes(app):
    round_id = open_round(app)
    raw = filled(
        export(app, round_id),
        {
            "K2": "perhaps",
            "O3": "lots",
            "P3": "saved",
            "Q3": "20x4",
            "M2": "=2020+1",
            "A4": "R999",
            "K4": "yes",
        },
    )
    before = dump_tables(app)
    with pytest.raises(QuestionnaireRejected) as rejected:
        upload(app, round_id, raw)
    assert [str(p) for p in rejected.value.problems] == [
        "Sheet Arrangements, cell M2: formulas are not accepted: type the value itself",
    ]
    raw = filled(
        export(app, round_id),
        {
            "K2": "perhaps",
            "O3": "lots",
            "P3": "saved",
            "Q3": "20x4",
            "M2": 1990,
            "A4": "R999",
            "K4": "yes",
        },
    )
    with pytest.raises(QuestionnaireRejected) as rejected:
        upload(app, round_id, raw)
    assert [str(p) for p in rejected.value.problems] == [
        "Sheet Arrangements, cell K2: write yes or no, not 'perhaps'",
        "Sheet Arrangements, cell M2: ends (1990) before it starts (2007)",
        "Sheet Arrangements, cell O3: not an amount in pounds: 'lots'",
        "Sheet Arrangements, cell P3: 'saved' is not one of: achieved, expected",
        "Sheet Arrangements, cell Q3: bad year '20x4' (expected four digits, 1900-2100)",
        "Sheet Arrangements, cell A4: 'R999' is not one of this council's arrangements",
    ]
    assert dump_tables(app) == before


def test_a_questionnaire_for_another_council_or_not_a_workbook_is_refused(app):
    round_id = open_round(app)
    with get_database(app).session() as session:
        from matchmaker.db import RefreshRound

        worthing = questionnaires.export(
            session,
            questionnaires.council(session, "E07000229"),
            session.get(RefreshRound, round_id),
        )
    with pytest.raises(
        QuestionnaireRejected,
        match="Sheet About, cell B2: this questionnaire is for 'E07000229', not E07000223",
    ):
        upload(app, round_id, worthing)
    with pytest.raises(QuestionnaireRejected, match="not an Excel workbook"):
        upload(app, round_id, b"arrangement_id,name\n")


def test_only_advisers_open_rounds_and_one_at_a_time(app):
    open_round(app, 2025)
    with get_database(app).transaction() as session:
        with pytest.raises(refresh.RoundRefused):
            refresh.open_round(session, officer(session), 2026)
        with pytest.raises(refresh.RoundConflict, match="2025 round is still open"):
            refresh.open_round(session, adviser(session), 2026)
        with pytest.raises(refresh.RoundConflict, match="a refresh round for 2025 already exists"):
            refresh.open_round(session, adviser(session), 2025)


def test_the_same_file_twice_is_refused_saying_when_it_first_came(app):
    from matchmaker.services.submissions import SubmissionRefused

    round_id = open_round(app)
    raw = filled(export(app, round_id), {"K2": "yes", "O3": 45000, "P3": "achieved", "Q3": 2024})
    assert upload(app, round_id, raw) == (1, [1])
    before = dump_tables(app)
    with pytest.raises(SubmissionRefused, match="this file was already uploaded for Adur District Council on"):
        upload(app, round_id, raw)
    assert dump_tables(app) == before
    changed = filled(export(app, round_id), {"K2": "yes", "O3": 46000, "P3": "achieved", "Q3": 2024})
    assert upload(app, round_id, changed)[0] == 1
