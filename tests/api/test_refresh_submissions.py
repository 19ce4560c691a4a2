import pytest

from tests.support.keys import user_headers
from tests.support.pages import ADVISER, OFFICER

SAVINGS = {
    "arrangement_id": "R004",
    "amount_gbp": 3100000,
    "kind": "achieved",
    "financial_year": 2023,
}


@pytest.fixture
def officer(app):
    return user_headers(app, OFFICER)


@pytest.fixture
def adviser(app):
    return user_headers(app, ADVISER)


def test_anonymous_report_with_receipt_and_no_anonymous_updates(client):
    sent = client.post(
        "/api/v1/submissions/reports",
        json={"email": "visitor@example.org", "message": "Missing: Adur shares legal"},
    )
    assert sent.status_code == 201, sent.json
    assert sent.json["status"] == "pending" and "email" not in sent.json["payload"]
    seen = client.get(f"/api/v1/submissions/receipts/{sent.json['receipt']}")
    assert (seen.status_code, seen.json["id"], seen.json["status"]) == (
        200,
        sent.json["id"],
        "pending",
    )
    refused = client.post("/api/v1/submissions/savings-updates", json=SAVINGS)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.json["detail"].startswith("Sign in")
    assert client.get("/api/v1/submissions").status_code == 401


def test_invalid_submissions_name_the_fields(client, officer):
    bad = client.post(
        "/api/v1/submissions/savings-updates",
        headers=officer,
        json={**SAVINGS, "amount_gbp": "lots", "kind": "saved"},
    )
    assert bad.status_code == 422
    assert {p["name"] for p in bad.json["invalid_params"]} == {"amount_gbp", "kind"}
    other = client.post(
        "/api/v1/submissions/savings-updates",
        headers=officer,
        json={**SAVINGS, "arrangement_id": "R003"},
    )
    assert other.status_code == 403 and "not a member of arrangement R003" in other.json["detail"]
    assert (
        client.post(
            "/api/v1/submissions/savings-updates",
            headers=officer,
            json={**SAVINGS, "arrangement_id": "R999"},
        ).status_code
        == 404
    )
    contradiction = client.post(
        "/api/v1/submissions/corrections",
        headers=officer,
        json={"arrangement_id": "R004", "end_year": 2001},
    )
    assert contradiction.status_code == 409
    assert contradiction.json["invalid_params"] == [
        {"name": "end_year", "in": "body", "reason": "ends (2001) before it starts (2007)"}
    ]
    unknown = client.post(
        "/api/v1/submissions/new-arrangements",
        headers=officer,
        json={
            "name": "X",
            "council_codes": ["E07000223", "E07999999"],
            "service_areas": ["legal-democratic"],
            "status": "operational",
        },
    )
    assert unknown.status_code == 404 and unknown.json["detail"] == "council_codes: unknown GSS code 'E07999999'"
    created = client.post(
        "/api/v1/submissions/new-arrangements",
        headers=officer,
        json={
            "name": "Adur and Worthing legal",
            "council_codes": ["E07000223", "E07000229", "E07000229"],
            "service_areas": ["legal-democratic", "ict-digital"],
            "status": "operational",
            "savings": {"amount_gbp": 120000, "kind": "annual"},
        },
    )
    assert created.status_code == 201 and created.json["duplicate_of"] == "R004"
    assert created.json["payload"]["council_codes"] == ["E07000223", "E07000229"]


def test_moderation_flow_history_and_conflict(client, officer, adviser):
    savings = client.post("/api/v1/submissions/savings-updates", headers=officer, json=SAVINGS).json
    correction = client.post(
        "/api/v1/submissions/corrections",
        headers=officer,
        json={"arrangement_id": "R004", "name": "Adur & Worthing Councils"},
    ).json
    assert [s["id"] for s in client.get("/api/v1/submissions", headers=officer).json["items"]] == [
        savings["id"],
        correction["id"],
    ]
    assert client.post(f"/api/v1/submissions/{savings['id']}/approval", headers=officer, json={}).status_code == 403

    queue = client.get("/api/v1/submissions?status=pending", headers=adviser).json["items"]
    assert [s["id"] for s in queue] == [savings["id"], correction["id"]]
    review = client.get(f"/api/v1/submissions/{correction['id']}", headers=adviser).json
    assert review["diff"]["fields"] == [
        {
            "field": "name",
            "before": "Adur and Worthing Councils",
            "after": "Adur & Worthing Councils",
        }
    ]
    assert (review["base_version"], review["current_version"], review["stale"]) == (1, 1, False)
    approved = client.post(f"/api/v1/submissions/{correction['id']}/approval", headers=adviser, json={})
    assert approved.status_code == 200 and approved.json["status"] == "approved"

    conflict = client.post(f"/api/v1/submissions/{savings['id']}/approval", headers=adviser, json={})
    assert conflict.status_code == 409 and conflict.mimetype == "application/problem+json"
    assert "changed since version 1 (now version 2)" in conflict.json["detail"]
    assert (
        client.post(
            f"/api/v1/submissions/{savings['id']}/approval",
            headers=adviser,
            json={"expected_version": 2},
        ).status_code
        == 200
    )

    versions = client.get("/api/v1/arrangements/R004/history").json["versions"]
    assert [(v["number"], v["submission_id"]) for v in versions] == [
        (3, savings["id"]),
        (2, correction["id"]),
        (1, None),
    ]
    assert versions[0]["changes"]["savings_added"][0]["amount_gbp"] == "3100000.00"
    published = client.get("/api/v1/arrangements/R004").json
    assert [r["amount_gbp"] for r in published["savings"]] == [17000000.0, 3100000.0]

    restored = client.post("/api/v1/arrangements/R004/history/1/restore", headers=adviser)
    assert restored.status_code == 201 and restored.json["number"] == 4
    assert restored.json["changes"]["savings_removed"][0]["amount_gbp"] == "3100000.00"
    assert client.get("/api/v1/arrangements/R004").json["name"] == "Adur and Worthing Councils"
    assert client.post("/api/v1/arrangements/R004/history/9/restore", headers=adviser).status_code == 404
    assert client.post("/api/v1/arrangements/R004/history/1/restore", headers=officer).status_code == 403


def test_rejection_reason_reaches_the_submitter(client, officer, adviser):
    sent = client.post(
        "/api/v1/submissions/corrections",
        headers=officer,
        json={"arrangement_id": "R004", "status": "ended"},
    ).json
    rejected = client.post(
        f"/api/v1/submissions/{sent['id']}/rejection",
        headers=adviser,
        json={"reason": "Still running"},
    )
    assert rejected.status_code == 200
    mine = client.get("/api/v1/submissions", headers=officer).json["items"]
    assert [(s["status"], s["reject_reason"]) for s in mine] == [("rejected", "Still running")]
    again = client.post(f"/api/v1/submissions/{sent['id']}/rejection", headers=adviser, json={"reason": "x"})
    assert again.status_code == 409


def test_refresh_rounds(client, officer, adviser):
    opened = client.post("/api/v1/refresh-rounds", headers=adviser, json={"year": 2025})
    assert opened.status_code == 201
    assert (
        opened.json["year"],
        opened.json["councils_responded"],
        opened.json["arrangements_total"],
    ) == (2025, 0, 161)
    assert client.post("/api/v1/refresh-rounds", headers=adviser, json={"year": 2025}).status_code == 409
    assert client.post("/api/v1/refresh-rounds", headers=officer, json={"year": 2026}).status_code == 403
    assert client.get("/api/v1/refresh-rounds/2025", headers=adviser).json["status"] == "open"
    assert client.post("/api/v1/refresh-rounds/2025/close", headers=adviser).json["status"] == "closed"
    assert client.get("/api/v1/refresh-rounds/2024", headers=adviser).status_code == 404
