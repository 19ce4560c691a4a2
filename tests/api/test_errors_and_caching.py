"""Every error under /api is problem+json; read endpoints carry ETag and Cache-Control."""

import pytest
from flask import Blueprint
from sqlalchemy.orm.exc import StaleDataError

from matchmaker import create_app
from matchmaker.flask_database import get_database

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_unknown_path_is_a_404_problem_not_an_html_page(client):
    body = _assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert body["type"].endswith("/not-found")


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/v1/organisations")
    _assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert "POST" in client.get("/api/v1/savings-estimates").headers["Allow"]


def test_malformed_parameters_list_the_fields_at_fault(client):
    body = _assert_problem(client.get("/api/v1/organisations?limit=abc&tier=middle"), 422)
    assert {p["name"] for p in body["invalid_params"]} == {"limit", "tier"}
    assert all(p["in"] == "query" for p in body["invalid_params"])


def test_a_crash_is_a_500_problem_without_a_stack_trace(app, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    from matchmaker.services import stored_statistics

    def boom(*_args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(stored_statistics, "figures", boom)
    response = app.test_client().get("/api/v1/statistics")
    _assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)


def test_a_version_conflict_is_409(app):
    blueprint = Blueprint("conflict_probe", __name__)

    @blueprint.get("/api/v1/conflict-probe")
    def probe():
        raise StaleDataError("UPDATE statement on table 'arrangements' expected to update 1 row(s)")

    app.register_blueprint(blueprint)
    body = _assert_problem(app.test_client().get("/api/v1/conflict-probe"), 409)
    assert "changed by someone else" in body["detail"]


def test_database_unreachable_is_503_with_retry_after(tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
    })  # fmt: skip
    try:
        response = app.test_client().get("/api/v1/organisations")
        _assert_problem(response, 503)
        assert int(response.headers["Retry-After"]) > 0
    finally:
        get_database(app).dispose()


def test_an_answer_to_a_signed_in_person_is_kept_by_their_browser_only(client):
    from tests.support.pages import VIEWER, sign_in

    sign_in(client, VIEWER)
    response = client.get("/api/v1/organisations/E07000223")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=60"


def test_etag_and_304(client):
    first = client.get("/api/v1/organisations/E07000223")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/organisations/E07000223", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/api/v1/organisations/E07000229", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_etag_changes_when_the_data_does(app, client):
    etag = client.get("/api/v1/arrangements/R004").headers["ETag"]
    with get_database(app).transaction() as session:
        from sqlalchemy import select

        from matchmaker.db import Arrangement

        session.scalar(select(Arrangement).where(Arrangement.public_id == "R004")).name = "Adur & Worthing"
    response = client.get("/api/v1/arrangements/R004", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.get_json()["name"] == "Adur & Worthing"


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/statistics", "/api/v1/arrangements.csv"])
def test_read_endpoints_are_conditional(client, path):
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
