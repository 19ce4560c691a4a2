"""Faults the service survives: database outage, missing model, killed import."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import render_template_string
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from matchmaker.db import Organisation, ServiceArea
from matchmaker.flask_database import get_database, get_session
from matchmaker.services import recommendations
from tests.support.dumps import dump_tables
from tests.support.faults import database_cut_off, write_big_arrangements_csv

MATCHMAKER = str(Path(sys.executable).with_name("matchmaker"))


def _needs_postgres(backend) -> None:
    if backend.name != "postgresql":
        pytest.skip("cutting a database off is tested on PostgreSQL")


def _add_probe_routes(app) -> None:
    """One API path and one page that read the database, whatever else is registered."""

    def count() -> int:
        return get_session().scalar(select(func.count()).select_from(Organisation))

    app.add_url_rule("/api/v1/_probe", "api_probe", lambda: {"organisations": count()})
    app.add_url_rule("/_probe", "page_probe", lambda: render_template_string("<p>{{ n }}</p>", n=count()))


def test_database_outage_gives_503_and_the_service_recovers_by_itself(app, backend):
    _needs_postgres(backend)
    _add_probe_routes(app)
    client = app.test_client()
    assert client.get("/api/v1/_probe").json == {"organisations": 365}
    assert client.get("/api/v1/organisations?limit=1").status_code == 200

    with database_cut_off(backend, app.config["DATABASE_URL"]):
        for path in ("/api/v1/_probe", "/api/v1/organisations?limit=1"):
            api = client.get(path)
            assert api.status_code == 503, path
            assert api.mimetype == "application/problem+json"
            # at least our 30 s; the rate limiter may stretch it to its own window
            assert int(api.headers["Retry-After"]) >= 30
            assert api.json["status"] == 503
            assert api.json["title"] == "Service Unavailable"
            assert "database" in api.json["detail"]

        page = client.get("/_probe")
        assert page.status_code == 503
        assert page.mimetype == "text/html"
        assert page.headers["Retry-After"] == "30"
        assert "Sorry, the service is unavailable" in page.get_data(as_text=True)

        assert client.get("/ready").status_code == 503
        assert client.get("/health").status_code == 200

    assert client.get("/api/v1/_probe").json == {"organisations": 365}
    assert client.get("/api/v1/organisations?limit=1").status_code == 200
    assert client.get("/_probe").status_code == 200
    assert client.get("/ready").json["database"] == {"ok": True}


RECOMMEND = "/api/v1/recommendations?council=E07000223&service=legal-democratic&limit=5"


def test_missing_model_falls_back_to_the_baseline_and_says_so(app, tmp_path, caplog):
    app.config["MODEL_PATH"] = str(tmp_path / "no-model.json")
    with caplog.at_level(logging.WARNING, logger=recommendations.log.name):
        response = app.test_client().get(RECOMMEND)
    assert response.status_code == 200
    model = response.json["model"]
    assert model["fallback"] is True
    assert model["kind"] == "baseline"
    assert "no model artefact" in model["fallback_reason"]
    codes = [c["gss_code"] for c in response.json["candidates"]]
    assert len(codes) == 5 and "E07000223" not in codes
    assert any("baseline" in record.getMessage() for record in caplog.records)
    assert app.test_client().get("/ready").json["model"]["ranking"] == "baseline"


def test_corrupt_model_falls_back_to_the_baseline_and_says_so(app, tmp_path):
    corrupt = tmp_path / "model.json"
    corrupt.write_text('{"format": "matchmaker-model", "model": {"kind": "logistic"}')
    app.config["MODEL_PATH"] = str(corrupt)
    response = app.test_client().get(RECOMMEND)
    assert response.status_code == 200
    assert response.json["model"]["fallback"] is True
    assert "refused" in response.json["model"]["fallback_reason"]
    assert len(response.json["candidates"]) == 5
    ready = app.test_client().get("/ready").json
    assert ready["status"] == "ready"
    assert ready["model"]["ranking"] == "baseline"


def test_a_model_corrupted_while_serving_is_seen_by_the_api_and_ready_alike(app, tmp_path):
    from matchmaker.config import PROJECT_ROOT

    serving = tmp_path / "model.json"
    shutil.copyfile(PROJECT_ROOT / "models" / "model.json", serving)
    app.config["MODEL_PATH"] = str(serving)
    client = app.test_client()
    assert client.get(RECOMMEND).json["model"]["fallback"] is False
    assert client.get("/ready").json["model"]["ranking"] == "model"

    serving.write_text('{"format": "matchmaker-model", "model": {"kind": "logistic"}')
    os.utime(serving, ns=(1, 1))  # a different modification time, however fast the rewrite
    answer = client.get(RECOMMEND).json["model"]
    assert answer["fallback"] is True and "refused" in answer["fallback_reason"]
    assert client.get("/ready").json["model"]["ranking"] == "baseline"


def test_the_trained_model_ranks_when_its_artefact_is_sound(app):
    model = app.test_client().get(RECOMMEND).json["model"]
    assert model["fallback"] is False
    assert model["kind"] != "baseline"


@pytest.mark.slow
def test_an_import_killed_mid_way_leaves_the_database_as_it_was(app, backend, tmp_path):
    with app.app_context():
        session = get_session()
        codes = [c for c in session.scalars(select(Organisation.gss_code).where(Organisation.gss_code.is_not(None)))]
        slugs = list(session.scalars(select(ServiceArea.slug)))
    big = tmp_path / "big.csv"
    write_big_arrangements_csv(big, 60_000, codes, slugs)
    before = dump_tables(app)
    get_database(app).dispose()

    env = {**os.environ, "MATCHMAKER_DATABASE_URL": app.config["DATABASE_URL"], "MATCHMAKER_SECRET_KEY": "t"}
    process = subprocess.Popen(
        [MATCHMAKER, "load", "arrangements", str(big)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_writing(app, backend, process)
        assert process.poll() is None, "the import finished before it could be interrupted"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert dump_tables(app) == before


def _wait_until_writing(app, backend, process, timeout: float = 120.0) -> None:
    """Until the loader's transaction has written rows (an xid on PostgreSQL, a journal on SQLite)
    and the loader has then worked on for a while, measured in its own processor time so that a
    busy machine does not move the point at which it is killed."""
    url = make_url(app.config["DATABASE_URL"])
    deadline = time.monotonic() + timeout
    started_at = None
    while time.monotonic() < deadline and process.poll() is None:
        if started_at is None and _writing(backend, url):
            started_at = _processor_seconds(process.pid)
        if started_at is not None and _processor_seconds(process.pid) - started_at >= WELL_INSIDE_THE_WRITES:
            return
        time.sleep(0.05)  # the poll interval, not a wait for an outcome
    raise AssertionError("the import never got well into its writes")


WELL_INSIDE_THE_WRITES = 0.5  # processor seconds of the loader after its first write


def _writing(backend, url) -> bool:
    if backend.name == "postgresql":
        with backend.admin.connect() as admin:
            return bool(
                admin.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND backend_xid IS NOT NULL"),
                    {"name": url.database},
                )
            )
    return Path(url.database + "-journal").exists() or Path(url.database + "-wal").exists()


def _processor_seconds(pid: int) -> float:
    """User and system time of a running process, from /proc (fields 14 and 15 of its stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_unreachable_redis_leaves_limits_in_memory_with_a_warning(backend, tmp_path, caplog):
    from matchmaker.ops.server_process import free_port
    from tests.support.databases import app_on_copy

    closed = f"redis://127.0.0.1:{free_port()}/0"
    with (
        caplog.at_level(logging.WARNING, logger="matchmaker.limits"),
        app_on_copy(backend, "bundled", tmp_path, REDIS_URL=closed) as app,
    ):
        assert app.config["RATELIMIT_STORAGE_URI_IN_USE"] == "memory"
        assert any("Redis does not answer" in r.getMessage() for r in caplog.records)
        response = app.test_client().get("/api/v1/organisations?limit=2")
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"]


@pytest.mark.redis
def test_redis_dying_while_serving_does_not_stop_requests(backend, tmp_path):
    from matchmaker.ops.server_process import free_port
    from tests.support.databases import app_on_copy

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    redis_process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        redis_url = f"redis://127.0.0.1:{port}/0"
        with app_on_copy(backend, "bundled", tmp_path, REDIS_URL=redis_url) as app:
            assert app.config["RATELIMIT_STORAGE_URI_IN_USE"] == "redis"
            client = app.test_client()
            assert client.get("/api/v1/organisations?limit=1").status_code == 200
            redis_process.kill()
            redis_process.wait(timeout=10)
            statuses = [client.get("/api/v1/organisations?limit=1").status_code for _ in range(5)]
            assert statuses == [200] * 5
    finally:
        if redis_process.poll() is None:
            redis_process.kill()
            redis_process.wait(timeout=10)


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"redis-server did not listen on {port}")
