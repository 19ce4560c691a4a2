"""Match-making and expert pages through the test client: forms with CSRF, conflicts shown, access."""

import re

from sqlalchemy import select

from matchmaker.db import Assignment, MatchRequest
from matchmaker.flask_database import get_database
from tests.support.pages import ADVISER, OFFICER, VIEWER, csrf_token, sign_in, text

HORSHAM = "E07000227"


def officer_request(client) -> int:
    sign_in(client, OFFICER)
    form = client.get("/match-requests/new")
    response = client.post(
        "/match-requests/new",
        data={
            "csrf_token": csrf_token(text(form)),
            "service": "legal-democratic",
            "kind": "new",
            "description": "Shared legal team",
            "max_distance_miles": "25",
            "same_county": "yes",
            "urgency": "high",
            "needs_expert": "yes",
            "expert_help": "legal_setup",
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    return int(re.search(r"/match-requests/(\d+)$", response.headers["Location"]).group(1))


def post_status(client, request_id, to_status, version, **extra):
    page = client.get(f"/match-requests/{request_id}")
    return client.post(
        f"/match-requests/{request_id}/status",
        data={
            "csrf_token": csrf_token(text(page)),
            "to_status": to_status,
            "version": str(version),
            **extra,
        },
        follow_redirects=True,
    )


def test_officer_request_appears_in_the_adviser_queue_and_moves_on(client, app):
    request_id = officer_request(client)
    own = text(client.get("/match-requests"))
    assert f"Request {request_id}" in own and "Your organisation&#39;s requests" in own
    client.post("/sign-out", data={"csrf_token": csrf_token(own)})
    sign_in(client, ADVISER)
    queue = text(client.get("/match-requests?status=submitted&service=legal-democratic&region=South+East"))
    assert f'data-request="{request_id}"' in queue and "Adur" in queue
    assert f'data-request="{request_id}"' not in text(client.get("/match-requests?region=North+East"))
    assert "Triaged" in text(post_status(client, request_id, "triaged", 1))
    page = text(post_status(client, request_id, "suggestions_sent", 2))
    assert "Horsham District Council" in page and "This list is kept as it was sent" in page
    # One unit of distance on the page: the constraint typed in miles is also given in kilometres.
    assert "Within 25.0 miles (40 km)" in page and "Miles</th>" not in page
    assert re.search(r'numeric">\d+ km</td>', page) and "In past years about" in page


def test_a_stale_form_shows_a_conflict_instead_of_overwriting(client, app):
    request_id = officer_request(client)
    sign_in(client, ADVISER)
    post_status(client, request_id, "triaged", 1)
    page = text(post_status(client, request_id, "closed", 1, reason="Duplicate"))
    assert "Not saved: request" in page and "since you saw version 1 (it is now version 2)" in page
    with get_database(app).transaction() as session:
        assert session.get(MatchRequest, request_id).status == "triaged"


def test_skipping_the_lifecycle_is_refused_with_the_reason(client, app):
    request_id = officer_request(client)
    sign_in(client, ADVISER)
    page = text(post_status(client, request_id, "introductions_made", 1))
    assert "Not saved: cannot go from submitted to introductions made" in page


def test_posting_without_csrf_token_is_refused(client, app):
    request_id = officer_request(client)
    response = client.post(f"/match-requests/{request_id}/notes", data={"note": "hello"})
    assert response.status_code == 400


def test_proposal_page_and_accept(client, app):
    request_id = officer_request(client)
    sign_in(client, ADVISER)
    proposal = text(client.get("/experts/assignments"))
    assert f'name="expert_{request_id}"' in proposal and "skills in legal and democratic services" in proposal
    chosen = re.search(rf'name="proposed_{request_id}" value="(\d+)"', proposal).group(1)
    response = client.post(
        "/experts/assignments/accept",
        data={
            "csrf_token": csrf_token(proposal),
            f"expert_{request_id}": chosen,
            f"proposed_{request_id}": chosen,
        },
        follow_redirects=True,
    )
    assert "1 expert assignment made." in text(response)
    assert re.search(rf'data-expert="{chosen}">.*?1 of \d', text(response), re.S)
    with get_database(app).transaction() as session:
        (assignment,) = session.scalars(select(Assignment)).all()
        assert (assignment.request_id, assignment.expert_id) == (request_id, int(chosen))


def test_access_rules(client, app):
    request_id = officer_request(client)
    assert client.get("/experts").status_code == 403
    sign_in(client, VIEWER)
    assert client.get("/match-requests").status_code == 403
    assert client.get(f"/match-requests/{request_id}").status_code == 403
    sign_in(client, ADVISER)
    assert client.get(f"/match-requests/{request_id}").status_code == 200
