"""The demo programme year: flagged, labelled, made through the services, added once."""

from datetime import date

from sqlalchemy import func, select

from matchmaker.db import Arrangement, FundingClaim, FundingOffer, MatchRequest, ProgrammeBudget
from matchmaker.flask_database import get_database
from matchmaker.services.demo_programme import load_demo_programme
from matchmaker.services.programme_figures import programme_figures
from tests.support.pages import ADVISER, sign_in, text


def test_demo_programme_year_is_flagged_and_added_once(app):
    with get_database(app).transaction() as session:
        arrangements = session.scalar(select(func.count()).select_from(Arrangement))
        assert load_demo_programme(session, today=date(2026, 4, 1)) == 3
    with get_database(app).transaction() as session:
        assert load_demo_programme(session) == 0
        for model in (ProgrammeBudget, FundingOffer, FundingClaim):
            rows = session.scalars(select(model)).all()
            assert rows and all(row.demo for row in rows)
        assert all(r.description.startswith("Demo request") for r in session.scalars(select(MatchRequest)))
        assert all("Demo" in c.evidence for c in session.scalars(select(FundingClaim)))
        assert session.scalar(select(func.count()).select_from(Arrangement)) == arrangements  # nothing real added
        funding = {row["kind"]: row for row in programme_figures(session)["funding"]}
    assert funding["expert_support"] == {
        "financial_year": 2026,
        "financial_year_label": "2026-27",
        "kind": "expert_support",
        "kind_label": "Expert support",
        "budget_pence": 12000000,
        "awaiting_approval_pence": 0,
        "offered_pence": 700000,
        "committed_pence": 700000,
        "paid_pence": 150000,
        "left_pence": 11300000,
        "demo": True,
    }
    assert funding["mediation"]["awaiting_approval_pence"] == 650000


def test_demo_programme_is_labelled_demo_on_the_pages(client, app):
    with get_database(app).transaction() as session:
        load_demo_programme(session)
    sign_in(client, ADVISER)
    assert 'id="demo-note"' in text(client.get("/programme"))
    assert "Demo" in text(client.get("/programme/offers"))


def test_load_bundled_demo_command_adds_the_programme_year(runner, app):
    result = runner.invoke(["load", "bundled", "--demo"])
    assert result.exit_code == 0, result.output
    with get_database(app).transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProgrammeBudget).where(ProgrammeBudget.demo)) == 2
