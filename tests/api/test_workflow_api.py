"""/api/v1/match-requests, /experts and /assignments: a request's whole journey over the API, every
response checked against the OpenAPI document."""

import pytest
import schemathesis

from matchmaker.db import Expert
from matchmaker.flask_database import get_database
from tests.support.keys import user_headers

ADUR, HORSHAM = "E07000223", "E07000227"
REQUEST = {
    "service": "legal-democratic",
    "description": "Shared legal team",
    "urgency": "high",
    "needs_expert": True,
    "constraints": {"max_distance_miles": 25, "same_county": True, "expert_help": ["legal_setup"]},
}


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def user_key(app):
    return lambda email: user_headers(app, email)


@pytest.fixture
def call(schema):
    def run(method, path, headers, status, path_parameters=None, **parts):
        case = schema[path][method].Case(headers=headers, path_parameters=path_parameters or {}, **parts)
        # The WSGI transport hands back the body as sent; ask for it uncompressed.
        response = case.call(headers={"Accept-Encoding": "identity"})
        assert response.status_code == status, response.text[:500]
        case.validate_response(response)
        return response.json() if response.content else None

    return run


@pytest.fixture
def transition(call):
    """Move a match request: POST to its transitions with this body, expecting this status."""

    def move(headers, status, request_id, body):
        return call("POST", "/api/v1/match-requests/{request_id}/transitions", headers, status, request_id, body=body)

    return move


def test_officer_request_to_arrangement_over_the_api(app, call, transition, user_key):
    officer, adviser = user_key("council-officer@demo.example"), user_key("adviser@demo.example")
    created = call("POST", "/api/v1/match-requests", officer, 201, body=REQUEST)
    rid = {"request_id": created["id"]}
    assert (created["organisation"]["gss_code"], created["status"], created["version"]) == (ADUR, "submitted", 1)
    assert created["next_statuses"] == ["triaged", "closed"]

    skipped = transition(adviser, 422, rid, {"to_status": "suggestions_sent", "version": 1})
    assert skipped["invalid_params"][0]["reason"] == (
        "cannot go from submitted to suggestions sent: it would skip triaged; next is triaged"
    )
    refused = transition(officer, 403, rid, {"to_status": "triaged", "version": 1})
    assert refused["detail"].startswith("Only advisers move a request")

    transition(adviser, 200, rid, {"to_status": "triaged", "version": 1})
    stale = transition(adviser, 409, rid, {"to_status": "suggestions_sent", "version": 1})
    assert stale["current_version"] == 2 and "since you saw version 1" in stale["detail"]
    sent = transition(adviser, 200, rid, {"to_status": "suggestions_sent", "version": 2})
    (snapshot,) = sent["suggestions"]
    assert HORSHAM in [c["gss_code"] for c in snapshot["payload"]["candidates"]]
    assert all(c["distance_miles"] <= 25 for c in snapshot["payload"]["candidates"])

    proposal = call("GET", "/api/v1/assignments/proposal", adviser, 200)
    (pair,) = [p for p in proposal["pairs"] if p["request_id"] == created["id"]]
    assert "skills in legal and democratic services" in pair["reason"]
    accepted = call(
        "POST",
        "/api/v1/assignments",
        adviser,
        201,
        body={"pairs": [{"request_id": pair["request_id"], "expert_id": pair["expert_id"]}]},
    )
    assert accepted["items"][0]["status"] == "active"
    experts = call("GET", "/api/v1/experts", adviser, 200)["items"]
    assert {e["id"]: e["load"] for e in experts}[pair["expert_id"]] == 1

    seen = call("GET", "/api/v1/match-requests/{request_id}", officer, 200, rid)
    assert seen["status"] == "suggestions_sent" and seen["assignment"]["expert_id"] == pair["expert_id"]
    call("POST", "/api/v1/match-requests/{request_id}/notes", officer, 201, rid, body={"note": "Spoke to Horsham"})
    transition(adviser, 200, rid, {"to_status": "introductions_made", "version": 3})
    formed = transition(
        adviser, 200, rid, {"to_status": "arrangement_formed", "version": 4, "partner_codes": [HORSHAM]}
    )
    assert formed["result_arrangement_id"] == f"MR{created['id']:05d}"
    assert formed["assignment"]["status"] == "completed"
    assert [e["kind"] for e in formed["events"]] == [
        "created",
        "status",
        "status",
        "assignment",
        "note",
        "status",
        "status",
    ]
    arrangement = call(
        "GET", "/api/v1/arrangements/{arrangement_id}", None, 200, {"arrangement_id": formed["result_arrangement_id"]}
    )
    assert [(m["gss_code"], m["role"]) for m in arrangement["members"]] == [(ADUR, "host"), (HORSHAM, "member")]


def test_officers_see_only_their_organisations_requests(app, call, user_key):
    officer, adviser = user_key("council-officer@demo.example"), user_key("adviser@demo.example")
    own = call("POST", "/api/v1/match-requests", officer, 201, body=REQUEST)
    other = call("POST", "/api/v1/match-requests", adviser, 201, body={**REQUEST, "organisation": HORSHAM})
    listed = call("GET", "/api/v1/match-requests", officer, 200)
    assert [r["id"] for r in listed["items"]] == [own["id"]]
    assert {r["id"] for r in call("GET", "/api/v1/match-requests", adviser, 200)["items"]} == {own["id"], other["id"]}
    call("GET", "/api/v1/match-requests/{request_id}", officer, 404, {"request_id": other["id"]})
    assert call("GET", "/api/v1/match-requests", adviser, 200, query={"region": "North East"})["items"] == []
    wrong = call("POST", "/api/v1/match-requests", officer, 403, body={**REQUEST, "organisation": HORSHAM})
    assert wrong["invalid_params"] == [
        {
            "name": "organisation",
            "in": "body",
            "reason": f"you can request partners only for your own organisation ({ADUR})",
        }
    ]
    call("GET", "/api/v1/experts", officer, 403)
    call("GET", "/api/v1/match-requests", None, 401)


def test_expert_registry_and_refused_assignment(app, call, user_key):
    adviser = user_key("adviser@demo.example")
    made = call(
        "POST",
        "/api/v1/experts",
        adviser,
        201,
        body={
            "name": "Pat Test (test expert)",
            "service_slugs": ["waste-environment"],
            "regions": ["North East"],
            "capacity": 2,
        },
    )
    assert made["load"] == 0 and made["demo"] is False
    call("PATCH", "/api/v1/experts/{expert_id}", adviser, 200, {"expert_id": made["id"]}, body={"capacity": 3})
    bad = call(
        "POST",
        "/api/v1/experts",
        adviser,
        422,
        body={"name": "X", "service_slugs": ["legal-democratic"], "regions": ["Atlantis"]},
    )
    assert bad["invalid_params"][0]["name"].startswith("regions")
    request = call("POST", "/api/v1/match-requests", adviser, 201, body={**REQUEST, "organisation": ADUR})
    refused = call(
        "POST",
        "/api/v1/assignments",
        adviser,
        409,
        body={"pairs": [{"request_id": request["id"], "expert_id": made["id"]}], "edited": True},
    )
    assert refused["detail"] == (
        f"Request {request['id']}: Pat Test (test expert) has no skills in legal and democratic services."
    )
    call("POST", "/api/v1/assignments/proposal/rejection", adviser, 204, body={"reason": "Wait for a new expert"})
    call("DELETE", "/api/v1/experts/{expert_id}", adviser, 204, {"expert_id": made["id"]})
    with get_database(app).transaction() as session:
        assert session.get(Expert, made["id"]) is None


def test_an_expert_edit_naming_a_stale_version_is_refused(app, call, user_key):
    adviser = user_key("adviser@demo.example")
    made = call(
        "POST",
        "/api/v1/experts",
        adviser,
        201,
        body={"name": "Pat Test (test expert)", "service_slugs": ["waste-environment"], "capacity": 2},
    )
    eid = {"expert_id": made["id"]}
    assert made["version"] == 1
    edited = call("PATCH", "/api/v1/experts/{expert_id}", adviser, 200, eid, body={"capacity": 3, "version": 1})
    assert (edited["capacity"], edited["version"]) == (3, 2)
    stale = call("PATCH", "/api/v1/experts/{expert_id}", adviser, 409, eid, body={"capacity": 5, "version": 1})
    assert stale["current_version"] == 2
    assert stale["detail"] == (
        f"Pat Test (test expert)'s entry (expert {made['id']}) was changed by someone else "
        "since you saw version 1 (it is now version 2); nothing was saved: reload it and "
        "try again."
    )
    assert call("GET", "/api/v1/experts/{expert_id}", adviser, 200, eid)["capacity"] == 3
    unguarded = call("PATCH", "/api/v1/experts/{expert_id}", adviser, 200, eid, body={"available": False})
    assert (unguarded["available"], unguarded["version"]) == (False, 3)


def test_a_refused_request_says_whether_to_fix_the_body_or_the_data_is_against_it(call, user_key):
    adviser = user_key("adviser@demo.example")
    missing = call("POST", "/api/v1/match-requests", adviser, 422, body=REQUEST)
    assert [p["name"] for p in missing["invalid_params"]] == ["organisation"]
    unknown = call("POST", "/api/v1/match-requests", adviser, 404, body={**REQUEST, "organisation": "E07999999"})
    assert unknown["detail"] == "There is no organisation with GSS code E07999999."
    abolished = call("POST", "/api/v1/match-requests", adviser, 409, body={**REQUEST, "organisation": "E06000028"})
    assert {p["name"]: p["reason"] for p in abolished["invalid_params"]} == {
        "organisation": "Bournemouth (E06000028) no longer exists",
        "constraints.same_county": "Bournemouth is not in a two-tier county, so 'same county only' cannot apply",
    }
    enlarge = {**REQUEST, "organisation": "E07000177", "kind": "enlarge"}
    assert (
        call("POST", "/api/v1/match-requests", adviser, 404, body={**enlarge, "arrangement_id": "R999"})["detail"]
        == "There is no arrangement R999."
    )
    ended = call("POST", "/api/v1/match-requests", adviser, 409, body={**enlarge, "arrangement_id": "R003"})
    assert ended["invalid_params"][0]["reason"] == "arrangement R003 has ended"
    without = call("POST", "/api/v1/match-requests", adviser, 422, body=enlarge)
    assert [p["name"] for p in without["invalid_params"]] == ["arrangement"]


def test_text_with_a_nul_character_is_refused_not_a_server_error(call, user_key):
    """No database text column stores NUL (PostgreSQL refuses it): the document says so."""
    adviser = user_key("adviser@demo.example")
    bad = call(
        "POST", "/api/v1/experts", adviser, 422, body={"name": "Pat\x00Test", "service_slugs": ["legal-democratic"]}
    )
    assert bad["invalid_params"][0]["name"] == "name"
    bad = call(
        "POST",
        "/api/v1/match-requests",
        adviser,
        422,
        body={**REQUEST, "organisation": ADUR, "description": "legal\x00team"},
    )
    assert bad["invalid_params"][0]["name"] == "description"


def test_the_document_states_that_the_distance_limit_is_above_zero(schema, call, user_key):
    documented = schema.raw_schema["components"]["schemas"]["Constraints"]["properties"]
    assert documented["max_distance_miles"] == {
        "type": "number",
        "minimum": 0.0,
        "maximum": 1000.0,
        "exclusiveMinimum": True,
    }
    adviser = user_key("adviser@demo.example")
    body = {**REQUEST, "organisation": ADUR, "constraints": {"max_distance_miles": 0}}
    refused = call("POST", "/api/v1/match-requests", adviser, 422, body=body)
    assert refused["invalid_params"][0]["name"].startswith("constraints")
