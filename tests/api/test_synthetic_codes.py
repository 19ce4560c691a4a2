"""Synthetic organisations (X and 8 digits, flagged synthetic) can be looked up; malformed codes
are still refused with 422, and a synthetic code cannot be submitted."""

import pytest
from sqlalchemy import select

from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea
from matchmaker.flask_database import get_database
from tests.support.keys import bearer, new_key
from tests.support.pages import ADVISER


@pytest.fixture
def synthetic_app(app):
    with get_database(app).transaction() as session:
        first = Organisation(
            gss_code="X00000001",
            name="Synthetic District 1",
            kind="council",
            region="Synthetic Region 1",
            synthetic=True,
        )
        second = Organisation(
            gss_code="X00000002",
            name="Synthetic District 2",
            kind="council",
            region="Synthetic Region 1",
            synthetic=True,
        )
        arrangement = Arrangement(
            public_id="S000001", name="Synthetic partnership 1", status="operational", synthetic=True
        )
        arrangement.members = [
            Membership(organisation=first, role="host", position=0),
            Membership(organisation=second, role="member", position=1),
        ]
        arrangement.services = [session.scalar(select(ServiceArea).where(ServiceArea.slug == "legal-democratic"))]
        session.add(arrangement)
    return app


def test_arrangements_filter_by_a_synthetic_organisation(synthetic_app):
    body = synthetic_app.test_client().get("/api/v1/arrangements?organisation=X00000001").get_json()
    assert body["total"] == 1
    assert [a["arrangement_id"] for a in body["items"]] == ["S000001"]
    assert body["items"][0]["synthetic"] is True
    assert [m["gss_code"] for m in body["items"][0]["members"]] == ["X00000001", "X00000002"]


def test_a_synthetic_organisation_has_its_page(synthetic_app):
    response = synthetic_app.test_client().get("/api/v1/organisations/X00000002")
    assert response.status_code == 200
    body = response.get_json()
    assert body["synthetic"] is True
    assert [a["arrangement_id"] for a in body["arrangements"]] == ["S000001"]


def test_an_absent_synthetic_code_is_404_or_an_empty_list(client):
    assert client.get("/api/v1/organisations/X99999999").status_code == 404
    assert client.get("/api/v1/arrangements?organisation=X99999999").get_json()["total"] == 0
    response = client.get("/api/v1/recommendations?council=X99999999&service=legal-democratic")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/X0000001",
        "/api/v1/organisations/Y00000001",
        "/api/v1/organisations/x00000001",
        "/api/v1/arrangements?organisation=X000000012",
        "/api/v1/arrangements?organisation=XX0000001",
        "/api/v1/recommendations?council=Q00000001&service=legal-democratic",
    ],
)
def test_malformed_codes_are_still_422(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.get_json()["invalid_params"][0]["name"] in ("gss_code", "organisation", "council")


def test_a_synthetic_code_cannot_be_submitted(synthetic_app, make_key):
    """Submissions go through the import rule, which takes X codes only from synthetic rows."""
    key = new_key(synthetic_app, "adviser", owner="adviser tool", email=ADVISER)
    response = synthetic_app.test_client().post(
        "/api/v1/submissions/new-arrangements",
        json={
            "name": "Test",
            "council_codes": ["X00000001", "E07000223"],
            "service_areas": ["legal-democratic"],
            "status": "operational",
        },
        headers=bearer(key),
    )
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"].startswith("council_codes")
