"""Shared helpers for the refresh tests: the demo principals, arrangement lookups, questionnaire
workbooks and the approval step."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from matchmaker.db import Arrangement, RefreshRound, Submission
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.arrangements_csv import EXPORT_COLUMNS
from matchmaker.ingest.export import arrangement_row, arrangements_for_export
from matchmaker.services import moderation, questionnaires, refresh, submissions
from tests.support.arrangements_csv import write_csv
from tests.support.pages import ADUR, ADVISER, csrf_token, sign_in, text
from tests.support.workflow import adviser, officer

__all__ = [
    "adviser",
    "officer",
    "arrangement",
    "submission",
    "published",
    "filled",
    "upload_page",
    "approve_and_check_the_census_figure",
    "PUBLISHED_TABLES",
    "open_round",
    "export",
    "upload",
    "dashboard",
    "LATER_PLANNED",
    "NEW",
    "submit",
    "approve",
    "rename_r004_via_csv",
]

# Arrangements with a member abolished after 2019 (the reorganisation plan as of 2025, after the
# first three).
LATER_PLANNED = ["R164", "R212", "R218", "R231", "R232", "R240", "R245", "R261", "R289", "R290", "R294", "R307"]
PUBLISHED_TABLES = (
    "arrangements",
    "arrangement_members",
    "arrangement_services",
    "savings_records",
)


def arrangement(session, public_id):
    return session.scalar(select(Arrangement).where(Arrangement.public_id == public_id))


def submission(session, submission_id):
    return session.get(Submission, submission_id)


def published(dump):
    return {name: dump[name] for name in PUBLISHED_TABLES}


def filled(raw: bytes, cells: dict) -> bytes:
    """A questionnaire workbook with some cells of its Arrangements sheet filled in."""
    workbook = load_workbook(io.BytesIO(raw))
    for ref, value in cells.items():
        workbook["Arrangements"][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_page(client, raw: bytes, council: str = "E07000223", year: int = 2025):
    """Upload a workbook from the refresh dashboard as the signed-in user."""
    return client.post(
        f"/refresh/{year}/questionnaires",
        data={
            "csrf_token": csrf_token(text(client.get("/refresh"))),
            "council": council,
            "questionnaire": (io.BytesIO(raw), "q.xlsx"),
        },
        content_type="multipart/form-data",
    )


def approve_and_check_the_census_figure(app, client, figure: tuple) -> str:
    """As an adviser, approve submission 1 (a savings figure for CenSus, R040); the figure is
    then the arrangement's only one and the round counts one council, one confirmation and one
    savings gap closed. Returns the review page."""
    client.post("/sign-out", data={"csrf_token": csrf_token(text(client.get("/refresh")))})
    sign_in(client, ADVISER)
    review = text(client.get("/moderation/1"))
    client.post("/moderation/1/approve", data={"csrf_token": csrf_token(review)})
    with get_database(app).session() as session:
        assert [(float(r.amount_gbp), r.kind, r.financial_year) for r in arrangement(session, "R040").savings] == [
            figure
        ]
    rounds = text(client.get("/refresh"))
    assert re.search(r"<td[^>]*>1 of \d+</td>\s*<td[^>]*>1 of 161</td>\s*<td[^>]*>1</td>", rounds)
    return review


def open_round(app, year=2025):
    with get_database(app).transaction() as session:
        return refresh.open_round(session, adviser(session), year).id


def export(app, round_id):
    with get_database(app).session() as session:
        return questionnaires.export(
            session, questionnaires.council(session, ADUR), session.get(RefreshRound, round_id)
        )


def upload(app, round_id, raw):
    with get_database(app).transaction() as session:
        result = questionnaires.upload(
            session,
            officer(session),
            questionnaires.council(session, ADUR),
            session.get(RefreshRound, round_id),
            raw,
        )
        return result.confirmed, [s.id for s in result.submissions]


def dashboard(app, round_id):
    with get_database(app).session() as session:
        return refresh.dashboard(session, session.get(RefreshRound, round_id))


# A new arrangement as a submission sends it.
NEW = {
    "name": "Adur and Worthing legal team",
    "council_codes": "E07000223;E07000229",
    "service_areas": "legal-democratic",
    "start_year": "2021",
    "status": "operational",
    "savings_gbp": "120000",
    "savings_kind": "annual",
    "source_url": "https://example.org/legal",
}


def submit(app, who, kind, data, arrangement_id=None):
    with get_database(app).transaction() as session:
        created, receipt = submissions.submit(session, who(session), kind, data, arrangement_id)
        return created.id, receipt


def approve(app, submission_id, expected_version=None):
    with get_database(app).transaction() as session:
        changed = moderation.approve(session, submission(session, submission_id), adviser(session), expected_version)
        return changed.public_id if changed else None


def rename_r004_via_csv(app, tmp_path, name):
    with get_database(app).session() as session:
        rows = [arrangement_row(a) for a in arrangements_for_export(session)]
    for row in rows:
        if row["arrangement_id"] == "R004":
            row["name"] = name
    with get_database(app).transaction() as session:
        load_arrangements(session, write_csv(tmp_path / "edited.csv", rows, EXPORT_COLUMNS), actor="user:7")
