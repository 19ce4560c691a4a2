"""Statistics rebuilt by a real worker after an approval, and read while the data is unchanged."""

from __future__ import annotations

import re

from matchmaker.db import StoredStatistics
from matchmaker.flask_database import get_database
from matchmaker.services import stored_statistics, submissions
from tests.support.pages import ADVISER, csrf_token, sign_in, text
from tests.support.refresh import NEW
from tests.support.workers import Workers, wait_for
from tests.support.workflow import officer


def stored_for_the_data_now(app):
    """The version the stored figures were computed from, once it is the data's version now."""
    with get_database(app).session() as session:
        stored = session.get(StoredStatistics, "now")
        if stored is not None and stored_statistics.is_current(session):
            return stored.data_version
        return None


def submit_and_approve_on_the_page(app, client, name):
    with get_database(app).transaction() as session:
        created, _ = submissions.submit(session, officer(session), "new_arrangement", dict(NEW, name=name))
        submission_id = created.id
    review = text(client.get(f"/moderation/{submission_id}"))
    response = client.post(f"/moderation/{submission_id}/approve", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 302


def mark_stored_total(app, arrangements):
    """Make the stored present figures recognisable, keeping the data version they carry."""
    with get_database(app).transaction() as session:
        stored = session.get(StoredStatistics, "now")
        stored.figures = {**stored.figures, "totals": {**stored.figures["totals"], "arrangements": arrangements}}


def shown_total(client):
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(client.get("/statistics"))))
    return client.get("/api/v1/statistics").get_json()["totals"]["arrangements"], page


def test_an_approval_has_the_worker_rebuild_the_statistics_that_pages_and_api_then_read(queued_app, client, queue_name):
    pool = Workers(queued_app, queue_name, {})
    try:
        pool.start()
        at_start = wait_for(lambda: stored_for_the_data_now(queued_app), "the statistics built as the worker starts")
        held = client.get("/api/v1/statistics").get_json()["totals"]["arrangements"]
        sign_in(client, ADVISER)
        submit_and_approve_on_the_page(queued_app, client, "Adur and Worthing legal team")
        rebuilt = wait_for(
            lambda: (version := stored_for_the_data_now(queued_app)) != at_start and version,
            "the statistics rebuilt after the approval",
        )
    finally:
        pool.stop_all()  # no worker from here: the next change leaves the stored figures behind
    with get_database(queued_app).session() as session:
        assert rebuilt == stored_statistics.data_version(session).number > at_start
    assert client.get("/api/v1/statistics").get_json()["totals"]["arrangements"] == held + 1

    mark_stored_total(queued_app, 99999)  # what the page and API show now comes from the stored row
    api_total, page = shown_total(client)
    assert api_total == 99999 and "99999" in page

    submit_and_approve_on_the_page(queued_app, client, "Adur and Worthing audit team")
    assert stored_for_the_data_now(queued_app) is None
    api_total, page = shown_total(client)
    assert api_total == held + 2 and "99999" not in page  # computed live, never stale
