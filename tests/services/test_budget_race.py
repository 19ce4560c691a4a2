"""Two approvals race for the last of a budget on PostgreSQL, on two real connections and threads.

The first approval holds the budget's row lock; the second is started while it is held and must
wait on the lock (seen in pg_stat_activity), then see the first's commitment and be refused.
Without the lock the second would commit too and the year would be over budget.
"""
import threading

import pytest
from sqlalchemy import func, select, text

from matchmaker.database import get_database
from matchmaker.db import FundingOffer
from matchmaker.db.session import Database
from matchmaker.services import funding
from tests.services.programme_helpers import make_offer, second_adviser, set_budget


def _waiting_on_lock(app, pid: int) -> bool:
    with get_database(app).engine.connect() as connection:
        return connection.scalar(text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                                 {"pid": pid}) is True


def test_two_approvals_for_the_last_of_the_budget(app, backend):
    if backend.name != "postgresql":
        pytest.skip("the row-lock race is PostgreSQL's (SQLite allows one writer at a time)")
    set_budget(app, 2025, amount="1000", threshold="100")
    first, second = make_offer(app, amount="600"), make_offer(app, amount="600")
    with get_database(app).transaction() as session:
        second_adviser(session)  # the account exists before either approval starts
    url = app.config["DATABASE_URL"]
    holder, racer = Database(url), Database(url)
    outcome: dict[str, object] = {}
    racer_pid = threading.Event()

    def race() -> None:
        with racer.session() as session:
            outcome["pid"] = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            racer_pid.set()
            try:
                funding.approve(session, second_adviser(session), second)
                session.commit()
                outcome["result"] = "approved"
            except funding.FundingRefused as error:
                session.rollback()
                outcome["result"] = str(error)

    try:
        with holder.session() as session:
            funding.approve(session, second_adviser(session), first)  # holds the budget's row lock
            thread = threading.Thread(target=race)
            thread.start()
            racer_pid.wait(timeout=30)
            while thread.is_alive() and not _waiting_on_lock(app, outcome["pid"]):
                thread.join(timeout=0.02)
            assert thread.is_alive(), f"the second approval did not wait for the lock: {outcome}"
            session.commit()
        thread.join(timeout=60)
    finally:
        holder.dispose()
        racer.dispose()
    assert outcome["result"] == ("the expert support budget for 2025-26 has £400.00 left of £1,000.00; "
                                 "this offer is £600.00")
    with get_database(app).transaction() as session:
        statuses = dict(session.execute(select(FundingOffer.id, FundingOffer.status)).all())
        committed = session.scalar(select(func.sum(FundingOffer.amount_pence))
                                   .where(FundingOffer.status == "offered"))
    assert statuses == {first: "offered", second: "awaiting_approval"}
    assert committed == 60000
