"""`matchmaker serve` under gunicorn: JSON logs with request ids, clear refusal without a database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

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


def test_serve_refuses_to_start_when_the_database_is_unreachable(tmp_path):
    env = {
        **os.environ,
        "MATCHMAKER_DATABASE_URL": "postgresql+psycopg://someone:secret@127.0.0.1:1/gone",
        "MATCHMAKER_SECRET_KEY": "serve-test",
    }
    result = subprocess.run([MATCHMAKER, "serve", "--port", "1"], env=env, capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot reach the database at postgresql+psycopg://someone:***@127.0.0.1:1/gone" in result.stderr
    assert "secret" not in result.stderr.replace("MATCHMAKER_SECRET_KEY", "")
    assert "Connection refused" in result.stderr


def test_serve_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MATCHMAKER_SECRET_KEY"}
    env.update({"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    result = subprocess.run([MATCHMAKER, "serve"], env=env, capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: MATCHMAKER_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr
