"""Races on PostgreSQL, on two real connections and threads: two approvals for the last of a
budget, and two claims for the last of an offer.

The first change holds the row lock (the budget's, or the offer's); the second is started while
it is held and must wait on the lock (seen in pg_stat_activity), then see the first's change and
be refused. Without the lock the second would commit too: the year over budget, or the offer
paid beyond its amount.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text

from matchmaker.db import FundingClaim, FundingOffer
from matchmaker.db.session import Database
from matchmaker.flask_database import get_database
from matchmaker.services import funding
from tests.support.programme import make_offer, second_adviser, set_budget
from tests.support.workflow import adviser, officer

CLAIM = {"amount": "600", "delivered_on": date(2026, 4, 1), "evidence": "Workshop delivered"}


def _waiting_on_lock(app, pid: int) -> bool:
    with get_database(app).engine.connect() as connection:
        return (
            connection.scalar(
                text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
            is True
        )


def _race(app, first_change, second_change) -> str:
    """Run ``first_change`` and hold its transaction open until ``second_change`` (on another
    connection and thread) waits on a lock; then commit the first. Returns what the second did."""
    url = app.config["DATABASE_URL"]
    holder, racer = Database(url), Database(url)
    outcome: dict[str, object] = {}
    racer_pid = threading.Event()

    def race() -> None:
        with racer.session() as session:
            outcome["pid"] = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            racer_pid.set()
            try:
                second_change(session)
                session.commit()
                outcome["result"] = "done"
            except funding.FundingRefused as error:
                session.rollback()
                outcome["result"] = str(error)

    try:
        with holder.session() as session:
            first_change(session)  # holds the row lock until the commit below
            thread = threading.Thread(target=race)
            thread.start()
            racer_pid.wait(timeout=30)
            while thread.is_alive() and not _waiting_on_lock(app, outcome["pid"]):
                thread.join(timeout=0.02)
            assert thread.is_alive(), f"the second change did not wait for the lock: {outcome}"
            session.commit()
        thread.join(timeout=60)
    finally:
        holder.dispose()
        racer.dispose()
    return outcome["result"]


@pytest.fixture
def postgresql_only(backend):
    if backend.name != "postgresql":
        pytest.skip("the row-lock races are PostgreSQL's (SQLite allows one writer at a time)")


def test_two_approvals_for_the_last_of_the_budget(app, postgresql_only):
    set_budget(app, 2025, amount="1000", threshold="100")
    first, second = make_offer(app, amount="600"), make_offer(app, amount="600")
    with get_database(app).transaction() as session:
        second_adviser(session)  # the account exists before either approval starts
    result = _race(
        app,
        lambda s: funding.approve(s, second_adviser(s), first),
        lambda s: funding.approve(s, second_adviser(s), second),
    )
    assert result == "the expert support budget for 2025-26 has £400.00 left of £1,000.00; this offer is £600.00"
    with get_database(app).transaction() as session:
        statuses = dict(session.execute(select(FundingOffer.id, FundingOffer.status)).all())
        committed = session.scalar(select(func.sum(FundingOffer.amount_pence)).where(FundingOffer.status == "offered"))
    assert statuses == {first: "offered", second: "awaiting_approval"}
    assert committed == 60000


def test_two_claims_for_the_last_of_an_offer(app, postgresql_only):
    set_budget(app, 2025, amount="5000", threshold="5000")
    offer_id = make_offer(app, amount="1000")
    with get_database(app).transaction() as session:
        funding.answer(session, officer(session), offer_id, accepted=True)
    result = _race(
        app,
        lambda s: funding.claim(s, adviser(s), offer_id, CLAIM),
        lambda s: funding.claim(s, adviser(s), offer_id, CLAIM),
    )
    assert result == "the offer has £400.00 left to pay of £1,000.00; this claim is £600.00"
    with get_database(app).transaction() as session:
        assert session.scalar(select(func.sum(FundingClaim.amount_pence))) == 60000
