"""/health needs nothing; /ready reports the database and what ranks recommendations."""

from __future__ import annotations

import io
import json
import logging
import shutil

import pytest

from matchmaker import create_app
from matchmaker.config import PROJECT_ROOT
from matchmaker.ops.logging import ACCESS_LOGGER, JsonFormatter, RequestIdFilter

UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"
BUNDLED_MODEL = PROJECT_ROOT / "models" / "model.json"


@pytest.fixture
def unreachable_app(tmp_path):
    return create_app(
        {"TESTING": True, "DATABASE_URL": UNREACHABLE_DATABASE, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test"}
    )


def test_health_answers_without_a_database(unreachable_app):
    response = unreachable_app.test_client().get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_is_503_with_retry_after_when_the_database_is_unreachable(unreachable_app):
    response = unreachable_app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json["status"] == "unavailable"
    assert response.json["database"]["ok"] is False
    assert "Connection refused" in response.json["database"]["error"]


def test_ready_reports_the_trained_model_and_its_version(app, tmp_path):
    model = tmp_path / "model.json"
    shutil.copyfile(BUNDLED_MODEL, model)
    app.config["MODEL_PATH"] = str(model)
    response = app.test_client().get("/ready")
    assert response.status_code == 200
    assert response.json["status"] == "ready"
    assert response.json["database"] == {"ok": True}
    artefact = json.loads(BUNDLED_MODEL.read_text())
    assert response.json["model"]["ranking"] == "model"
    assert response.json["model"]["kind"] == artefact["model"]["kind"]
    assert response.json["model"]["version"] == artefact["created"]
    assert response.json["model"]["fallback"] is False


def test_ready_says_baseline_when_the_artefact_is_missing(app, tmp_path):
    app.config["MODEL_PATH"] = str(tmp_path / "absent.json")
    model = app.test_client().get("/ready").json["model"]
    assert model["ranking"] == "baseline"
    assert model["fallback"] is True
    assert "no model artefact" in model["fallback_reason"]


def test_ready_notices_an_artefact_corrupted_after_start(app, tmp_path):
    model = tmp_path / "model.json"
    shutil.copyfile(BUNDLED_MODEL, model)
    app.config["MODEL_PATH"] = str(model)
    client = app.test_client()
    assert client.get("/ready").json["model"]["ranking"] == "model"
    model.write_text(BUNDLED_MODEL.read_text()[:500])
    reported = client.get("/ready").json["model"]
    assert reported["ranking"] == "baseline"
    assert "refused" in reported["fallback_reason"]


def test_a_sane_request_id_is_echoed(unreachable_app):
    response = unreachable_app.test_client().get("/health", headers={"X-Request-ID": "req-0123456789"})
    assert response.headers["X-Request-ID"] == "req-0123456789"


@pytest.mark.parametrize("incoming", ["", "short", "<script>alert(1)</script>", "x" * 200, "a b c d e f g h"])
def test_an_insane_request_id_is_replaced_by_a_generated_one(unreachable_app, incoming):
    response = unreachable_app.test_client().get("/health", headers={"X-Request-ID": incoming})
    generated = response.headers["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 32 and all(c in "0123456789abcdef" for c in generated)


def test_every_log_line_is_one_json_object_with_the_request_id(unreachable_app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger(ACCESS_LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client = unreachable_app.test_client()
        client.get("/health", headers={"X-Request-ID": "trace-aaaa-0001"})
        client.get("/ready", headers={"X-Request-ID": "trace-aaaa-0002"})
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["request_id"], e["path"], e["status"]) for e in lines] == [
        ("trace-aaaa-0001", "/health", 200),
        ("trace-aaaa-0002", "/ready", 503),
    ]
    assert all(e["level"] == "info" and e["duration_ms"] >= 0 for e in lines)
