"""Contacts appear only with contacts:read, and every read leaves exactly one audit event."""

from sqlalchemy import func, select

from matchmaker.db import AuditEvent, User
from matchmaker.flask_database import get_database
from matchmaker.services import keys
from tests.support.keys import bearer, new_key
from tests.support.pages import OFFICER, VIEWER, sign_in


def audit_events(app) -> list[AuditEvent]:
    with get_database(app).transaction() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_without_the_scope_contacts_are_absent_and_nothing_is_audited(client, make_key, app):
    for headers in ({}, bearer(make_key("public:read", "requests:write"))):
        body = client.get("/api/v1/arrangements/R004", headers=headers).get_json()
        assert "contacts" not in body
        assert "@" not in str(body)
    assert client.get("/api/v1/organisations/E07000223/contacts").status_code == 401
    forbidden = client.get("/api/v1/organisations/E07000223/contacts", headers=bearer(make_key()))
    assert forbidden.status_code == 403
    assert forbidden.content_type == "application/problem+json"
    assert "contacts:read" in forbidden.get_json()["detail"]
    assert audit_events(app) == []


def test_contacts_read_key_sees_contacts_and_each_read_is_audited_once(client, make_key, app):
    key = make_key("contacts:read")
    prefix = key.split("_")[1]
    response = client.get("/api/v1/organisations/E07000223/contacts", headers=bearer(key))
    assert response.status_code == 200
    contacts = response.get_json()["contacts"]
    assert sorted(c["role"] for c in contacts) == ["member", "officer"]
    assert all(c["demo"] and c["email"].endswith(".example") for c in contacts)
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers

    events = audit_events(app)
    assert len(events) == 1
    assert (events[0].actor, events[0].action, events[0].object_type) == (
        f"key:{prefix}",
        "contacts.read",
        "organisation",
    )
    assert events[0].at is not None

    arrangement = client.get("/api/v1/arrangements/R004", headers={"X-API-Key": key}).get_json()
    assert [c["role"] for c in arrangement["contacts"]] == ["officer"]
    assert len(audit_events(app)) == 2
    assert audit_events(app)[1].object_type == "arrangement"


def test_if_none_match_cannot_skip_the_audit_of_a_contact_read(client, make_key, app):
    key = make_key("contacts:read")
    for _ in range(3):
        response = client.get("/api/v1/arrangements/R004", headers={**bearer(key), "If-None-Match": "*"})
        assert response.status_code == 200
    assert len(audit_events(app)) == 3


def test_a_users_key_never_exceeds_the_users_role(client, app):
    plaintext = new_key(app, "contacts:read", owner="viewer's tool", email=VIEWER)
    response = client.get("/api/v1/organisations/E07000223/contacts", headers=bearer(plaintext))
    assert response.status_code == 403
    with get_database(app).transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_revoked_and_unknown_keys_are_refused_not_treated_as_anonymous(client, make_key, app):
    key = make_key("contacts:read")
    with get_database(app).transaction() as session:
        keys.revoke(session, key.split("_")[1])
    for presented in (key, "mm_deadbeef_nope", "not-a-key"):
        response = client.get("/api/v1/statistics", headers=bearer(presented))
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.content_type == "application/problem+json"


def test_a_signed_in_officer_sees_contacts_through_the_api_and_is_audited(client, app):
    signed_in = sign_in(client, OFFICER)
    assert signed_in.status_code == 302
    response = client.get("/api/v1/organisations/E07000223/contacts")
    assert response.status_code == 200 and len(response.get_json()["contacts"]) == 2
    assert response.headers["Cache-Control"] == "no-store"
    with get_database(app).transaction() as session:
        officer = session.scalar(select(User).where(User.email == "council-officer@demo.example"))
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "contacts.read"))
        assert [(e.actor, e.object_type) for e in reads] == [(f"user:{officer.id}", "organisation")]


def test_the_list_never_carries_contacts_even_for_contacts_read(client, make_key, app):
    key = make_key("contacts:read")
    body = client.get("/api/v1/arrangements?limit=200", headers=bearer(key)).get_json()
    assert body["total"] == len(body["items"]) > 60
    assert all("contacts" not in item for item in body["items"])
    assert "@" not in str(body)
    assert audit_events(app) == []


def test_the_document_says_where_contacts_appear(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas, paths = document["components"]["schemas"], document["paths"]
    assert "contacts" not in schemas["Arrangement"]["properties"]
    assert "never with contacts" in schemas["Arrangement"]["description"]
    detail = schemas["ArrangementDetail"]
    assert "contacts" in detail["properties"] and "contacts" not in detail.get("required", [])
    assert "contacts:read" in detail["properties"]["contacts"]["description"]
    one = paths["/api/v1/arrangements/{arrangement_id}"]["get"]
    assert "contacts:read" in one["description"] and "audit log" in one["description"]
    assert one["security"] == [{}, {"bearer": []}, {"api_key": []}]
    listed = paths["/api/v1/arrangements"]["get"]
    assert "never carry contacts" in listed["description"]
