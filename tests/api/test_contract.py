"""Every response the API gives, successes and errors alike, conforms to the OpenAPI document:
status documented, content type, headers and body schema (schemathesis' checks)."""

import pytest
import schemathesis

from tests.support.keys import bearer

QUERY = {"council": "E07000223", "service": "legal-democratic"}
# (path template, method, request parts, expected status)
REQUESTS = [
    ("/api/v1/organisations", "GET", {"query": {"limit": "5", "offset": "360"}}, 200),
    ("/api/v1/organisations", "GET", {"query": {"tier": "upper", "exists_on": "2020-04-01"}}, 200),
    ("/api/v1/organisations", "GET", {"query": {"limit": "0"}}, 422),
    (
        "/api/v1/organisations/{gss_code}",
        "GET",
        {"path_parameters": {"gss_code": "E06000028"}},
        200,
    ),
    (
        "/api/v1/organisations/{gss_code}",
        "GET",
        {"path_parameters": {"gss_code": "E07999999"}},
        404,
    ),
    ("/api/v1/organisations/{gss_code}", "GET", {"path_parameters": {"gss_code": "nope"}}, 422),
    (
        "/api/v1/organisations/{gss_code}/contacts",
        "GET",
        {"path_parameters": {"gss_code": "E07000223"}},
        401,
    ),
    (
        "/api/v1/organisations/{gss_code}/contacts",
        "GET",
        {"path_parameters": {"gss_code": "E07000223"}, "key": ("public:read",)},
        403,
    ),
    (
        "/api/v1/organisations/{gss_code}/contacts",
        "GET",
        {"path_parameters": {"gss_code": "E07000223"}, "key": ("contacts:read",)},
        200,
    ),
    ("/api/v1/service-areas", "GET", {}, 200),
    ("/api/v1/arrangements", "GET", {"query": {"status": "ended", "limit": "3"}}, 200),
    ("/api/v1/arrangements", "GET", {"query": {"year": "1800"}}, 422),
    (
        "/api/v1/arrangements/{arrangement_id}",
        "GET",
        {"path_parameters": {"arrangement_id": "R004"}},
        200,
    ),
    (
        "/api/v1/arrangements/{arrangement_id}",
        "GET",
        {"path_parameters": {"arrangement_id": "R004"}, "key": ("contacts:read",)},
        200,
    ),
    (
        "/api/v1/arrangements/{arrangement_id}",
        "GET",
        {"path_parameters": {"arrangement_id": "R999"}},
        404,
    ),
    ("/api/v1/arrangements.csv", "GET", {"query": {"organisation": "E07000223"}}, 200),
    (
        "/api/v1/recommendations",
        "GET",
        {"query": {**QUERY, "limit": "3", "order_by": "combined"}},
        200,
    ),
    ("/api/v1/recommendations", "GET", {"query": {**QUERY, "as_of": "2012"}}, 200),
    (
        "/api/v1/recommendations",
        "GET",
        {"query": {"council": "E07000026", "service": "legal-democratic"}},
        404,
    ),
    (
        "/api/v1/recommendations",
        "GET",
        {"query": {"council": "E07000223", "service": "legal"}},
        422,
    ),
    ("/api/v1/coalitions", "GET", {"query": QUERY}, 200),
    (
        "/api/v1/savings-estimates",
        "POST",
        {"body": {"council_codes": ["E07000223", "E07000229"], "service": "legal-democratic"}},
        200,
    ),
    (
        "/api/v1/savings-estimates",
        "POST",
        {"body": {"council_codes": ["E07999999"], "service": "legal-democratic"}},
        404,
    ),
    ("/api/v1/statistics", "GET", {}, 200),
    ("/api/v1/model", "GET", {}, 200),
    ("/api/v1/changes", "GET", {"query": {"limit": "5"}}, 200),
    ("/api/v1/changes", "GET", {"query": {"after": "Not-a-cursor"}}, 422),
]

# The WSGI client schemathesis uses does not undo Content-Encoding, as an HTTP client would.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


RESOURCE_TAGS = {
    "Organisations", "Contacts", "Service areas", "Arrangements", "Recommendations", "Statistics",
    "Model", "Changes",
}  # fmt: skip
DOCUMENTED_SECTIONS = [
    "Organisations", "Contacts", "Service areas", "Arrangements", "Recommendations", "Statistics",
    "Model", "Submissions", "Arrangement history", "Refresh rounds", "Match-making requests",
    "Experts", "Assignments", "Programme", "Changes", "Webhooks",
]  # fmt: skip


def test_documentation_sections_have_readable_names_and_descriptions(schema):
    document = schema.raw_schema
    assert [tag["name"] for tag in document["tags"]] == DOCUMENTED_SECTIONS
    assert all(len(tag["description"]) > 20 for tag in document["tags"])
    used = {
        (path, method): operation["tags"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method != "parameters"
    }
    assert all(len(tags) == 1 and tags[0] in DOCUMENTED_SECTIONS for tags in used.values())
    # URLs are unchanged by the new names
    assert used[("/api/v1/organisations/{gss_code}/contacts", "get")] == ["Contacts"]
    assert used[("/api/v1/arrangements/{arrangement_id}/history", "get")] == ["Arrangement history"]
    assert used[("/api/v1/match-requests/{request_id}/transitions", "post")] == ["Match-making requests"]


def test_every_operation_of_these_resources_is_exercised(schema):
    documented = {
        (path, method.upper())
        for path, operations in schema.raw_schema["paths"].items()
        for method, operation in operations.items()
        if method != "parameters" and set(operation.get("tags", [])) & RESOURCE_TAGS
    }
    assert documented == {(path, method) for path, method, _, _ in REQUESTS}


def test_every_response_conforms_to_the_document(schema, make_key):
    for path, method, parts, status in REQUESTS:
        parts = dict(parts)
        headers = bearer(make_key(*parts.pop("key"))) if "key" in parts else None
        case = schema[path][method].Case(headers=headers, **parts)
        response = case.call(headers=PLAIN)
        assert response.status_code == status, (path, parts, response.text[:300])
        case.validate_response(response)


def test_errors_are_documented_as_problem_json(schema):
    document = schema.raw_schema
    problem = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post"):
                assert "default" in operation["responses"], (path, method)
