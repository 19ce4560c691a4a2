"""Retraining started on the admin page, run by a real worker: activated, or kept back with why."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from matchmaker.db import TrainingRun
from matchmaker.db.repositories import changes
from matchmaker.flask_database import get_database
from matchmaker.services.feed import encode_cursor
from tests.support.pages import ADMIN, ADVISER, csrf_token, sign_in, text
from tests.support.workers import FAST_RETRIES, Workers, wait_for


def run_finished(app):
    with get_database(app).session() as session:
        run = session.scalar(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(1))
        return run if run is not None and run.status not in ("queued", "running") else None


def start_on_the_page(client):
    page = text(client.get("/admin/model"))
    response = client.post("/admin/model/retrain", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return text(client.get("/admin/model"))


def words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.slow  # two retrainings by a real worker: about 3 minutes on a busy machine
def test_a_retrain_started_on_the_page_activates_then_one_no_better_is_kept_back(
    queued_app, client, queue_name, tmp_path
):
    model_path = tmp_path / "model.json"
    queued_app.config["MODEL_PATH"] = str(model_path)
    with get_database(queued_app).session() as session:
        data_version = changes.data_version(session)
    pool = Workers(
        queued_app,
        queue_name,
        {**FAST_RETRIES, "MATCHMAKER_MODEL_PATH": str(model_path), "MATCHMAKER_RETRAIN_BOOTSTRAP": "20"},
    )
    sign_in(client, ADMIN)
    home = text(client.get("/"))
    assert 'href="/admin/model"' in home
    before = words(text(client.get("/admin/model")))
    assert "No trained model is in use" in before and "The model is older than the data" in before
    try:
        pool.start()
        progress = words(start_on_the_page(client))
        assert "Retraining run 1" in progress and "refreshes every 5 seconds" in progress
        first = wait_for(lambda: run_finished(queued_app), "the first run to finish", seconds=300)
        assert (first.status, first.data_version) == ("activated", data_version), first.reason
        assert first.reason == "there was no back-tested model to compare with"
        shown = words(text(client.get("/admin/model")))
        assert f"Trained on data version {data_version}" in shown
        assert "The model was trained on the data as it is now" in shown
        assert "New model in use" in shown
        card = client.get("/api/v1/model").get_json()
        assert (card["data_version"], card["current_data_version"]) == (data_version, data_version)
        # after the data version: the admin also sees the demo contacts' changes, which come before
        feed = client.get(f"/api/v1/changes?after={encode_cursor(data_version)}&limit=1000").get_json()["items"]
        assert [(c["resource"], c["data"]["data_version"]) for c in feed if c["resource"] == "model"] == [
            ("model", data_version)
        ]

        # The model in use now claims a perfect back-test: a new one cannot match it.
        artefact = json.loads(model_path.read_text())
        kind = artefact["model"]["kind"]
        for measure in ("mrr", "recall_at_k"):
            artefact["metrics"]["backtest"]["methods"][kind][measure]["mean"] = 1.0
        model_path.write_text(json.dumps(artefact))
        start_on_the_page(client)
        second = wait_for(
            lambda: (run := run_finished(queued_app)) and run.id == 2 and run, "the second run to finish", seconds=300
        )
    finally:
        pool.stop_all()
    assert second.status == "kept_back"
    assert second.reason.startswith("its back-test is worse than the current model's: MRR ")
    assert "against 1.000 for the current model" in second.reason
    assert json.loads(model_path.read_text())["created"] == artefact["created"]  # still in use
    shown = words(text(client.get("/admin/model")))
    assert "Kept back" in shown and "against 1.000 for the current model" in shown


def test_only_admins_see_the_model_page(app, client):
    sign_in(client, ADVISER)
    assert client.get("/admin/model").status_code == 403
    assert 'href="/admin/model"' not in text(client.get("/"))
