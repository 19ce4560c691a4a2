"""`matchmaker serve` under gunicorn: JSON logs with request ids, clear refusal without a database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from matchmaker.ops.server_process import running_server

MATCHMAKER = str(Path(sys.executable).with_name("matchmaker"))


def test_serve_writes_one_json_object_per_line_with_request_ids(app, tmp_path):
    env = {"MATCHMAKER_DATABASE_URL": app.config["DATABASE_URL"], "MATCHMAKER_SECRET_KEY": "serve-test"}
    with running_server(env, tmp_path / "server.log", workers=1, threads=2) as server:
        request = urllib.request.Request(server.url + "/ready", headers={"X-Request-ID": "serve-test-0001"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["X-Request-ID"] == "serve-test-0001"
            assert json.load(response)["database"] == {"ok": True}
    entries = [json.loads(line) for line in server.log_lines()]
    assert entries, "the server wrote no log lines"
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in entries)
    access = [e for e in entries if e["logger"] == "matchmaker.access"]
    assert [(e["request_id"], e["path"], e["status"]) for e in access if e["path"] == "/ready"] == [
        ("serve-test-0001", "/ready", 200)
    ]
    assert any("Booting worker" in e["message"] for e in entries)


def test_serve_logs_only_json_and_answers_hostile_names_with_a_logged_problem(app, tmp_path):
    """Redis asked for but unreachable: its warning is a JSON line like the rest. A parameter
    name that used to break gunicorn's headers (a 500 logged as 200) is refused and logged."""
    env = {
        "MATCHMAKER_DATABASE_URL": app.config["DATABASE_URL"],
        "MATCHMAKER_SECRET_KEY": "serve-test",
        "REDIS_URL": "redis://127.0.0.1:9/0",
    }
    with running_server(env, tmp_path / "server.log", workers=1, threads=2) as server:
        request = urllib.request.Request(
            server.url + "/api/v1/organisations?%C4%9F=1", headers={"X-Request-ID": "serve-test-0002"}
        )
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=10)
        with raised.value as refused:  # an HTTPError holds the open response: close its socket
            assert refused.status == 400
            assert refused.headers["Content-Type"] == "application/problem+json"
            assert refused.headers["X-Content-Type-Options"] == "nosniff"
    lines = server.log_lines()
    entries = [json.loads(line) for line in lines]  # every line, the Redis warning included
    assert any("Redis does not answer" in e["message"] for e in entries)
    access = [
        (e["path"], e["status"])
        for e in entries
        if e.get("request_id") == "serve-test-0002" and e["logger"] == "matchmaker.access"
    ]
    assert access == [("/api/v1/organisations", 400)]


def test_serve_refuses_to_start_when_the_database_is_unreachable(tmp_path):
    env = {
        **os.environ,
        "MATCHMAKER_DATABASE_URL": "postgresql+psycopg://someone:secret@127.0.0.1:1/gone",
        "MATCHMAKER_SECRET_KEY": "serve-test",
    }
    result = subprocess.run(
        [MATCHMAKER, "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "cannot reach the database at postgresql+psycopg://someone:***@127.0.0.1:1/gone" in result.stderr
    assert "secret" not in result.stderr.replace("MATCHMAKER_SECRET_KEY", "")
    assert "Connection refused" in result.stderr


def test_serve_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MATCHMAKER_SECRET_KEY"}
    env.update({"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    result = subprocess.run([MATCHMAKER, "serve"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: MATCHMAKER_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr
