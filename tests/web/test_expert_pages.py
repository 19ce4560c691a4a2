"""An expert's page: editing the entry (conflicts detected), and ending assignments to free places."""

import re

from sqlalchemy import select

from matchmaker.db import Assignment, AuditEvent, Expert
from matchmaker.flask_database import get_database
from matchmaker.services import experts
from tests.support.pages import ADVISER, OFFICER, VIEWER, csrf_token, sign_in, text
from tests.support.workflow import adviser, create_request


def assigned(app) -> tuple[int, int]:
    """A request by the demo officer, assigned to the expert the proposal picks: (expert, assignment)."""
    create_request(app)
    with get_database(app).transaction() as session:
        proposal = experts.propose(session, adviser(session))
        (pair,) = proposal["pairs"]
        (made,) = experts.accept(session, adviser(session), [(pair.request_id, pair.expert_id)])
        return pair.expert_id, made.id


def entry(app, expert_id):
    with get_database(app).session() as session:
        expert = session.get(Expert, expert_id)
        return {
            "name": expert.name,
            "capacity": expert.capacity,
            "available": expert.available,
            "regions": expert.regions,
            "service_slugs": expert.service_slugs,
            "version": expert.version,
        }


def entry_form(page: str) -> dict:
    """The entry form as the browser would send it, unchanged."""
    form = re.search(r'<form[^>]*id="entry".*?</form>', page, re.S).group(0)
    data: dict = {"csrf_token": csrf_token(form), "version": re.search(r'name="version" value="(\d+)"', form).group(1)}
    for name, value in re.findall(
        r'<input class="govuk-input[^"]*" id="[^"]+" name="(\w+)" type="\w+" value="([^"]*)"', form
    ):
        data[name] = value
    for name, value in re.findall(r'name="(\w+)" type="checkbox" value="([^"]+)" checked', form):
        data.setdefault(name, []).append(value)
    return data


def test_an_adviser_edits_capacity_and_a_stale_form_is_refused(app, client):
    expert_id, _ = assigned(app)
    sign_in(client, ADVISER)
    page = text(client.get(f"/experts/{expert_id}"))
    before = entry(app, expert_id)
    form = entry_form(page)
    saved = client.post(
        f"/experts/{expert_id}", data={**form, "capacity": str(before["capacity"] + 2)}, follow_redirects=True
    )
    assert "entry saved" in text(saved)
    assert entry(app, expert_id) == {**before, "capacity": before["capacity"] + 2, "version": 2}
    assert form["version"] == "1"
    stale = client.post(f"/experts/{expert_id}", data={**form, "capacity": "1"}, follow_redirects=True)
    assert (
        f"Not saved: {before['name']}&#39;s entry (expert {expert_id}) was changed by someone else since you "
        "saw version 1 (it is now version 2)"
    ) in text(stale)
    assert entry(app, expert_id) == {**before, "capacity": before["capacity"] + 2, "version": 2}
    assert 'name="version" value="2"' in text(stale)
    with get_database(app).session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "expert.edited"))
        assert event.detail == {"fields": ["capacity"]}


def test_a_bad_field_is_named_and_nothing_changes(app, client):
    expert_id, _ = assigned(app)
    sign_in(client, ADVISER)
    before = entry(app, expert_id)
    form = entry_form(text(client.get(f"/experts/{expert_id}")))
    refused = client.post(f"/experts/{expert_id}", data={**form, "capacity": "lots", "available_from": "May"})
    page = text(refused)
    assert refused.status_code == 400
    assert '<a href="#capacity">Capacity: a whole number of concurrent assignments from 1 to 20' in page
    assert '<a href="#available_from">Available from: a date as YYYY-MM-DD' in page
    assert 'name="version" value="1"' in page and 'value="lots"' in page
    assert entry(app, expert_id) == before


def test_a_form_sent_back_with_errors_still_guards_the_version_first_seen(app, client):
    expert_id, _ = assigned(app)
    sign_in(client, ADVISER)
    before = entry(app, expert_id)
    form = entry_form(text(client.get(f"/experts/{expert_id}")))
    corrected = entry_form(text(client.post(f"/experts/{expert_id}", data={**form, "capacity": "lots"})))
    with get_database(app).transaction() as session:
        experts.update(session, adviser(session), session.get(Expert, expert_id), {"available": False})
    refused = client.post(f"/experts/{expert_id}", data={**corrected, "capacity": "5"}, follow_redirects=True)
    assert "since you saw version 1 (it is now version 2)" in text(refused)
    assert entry(app, expert_id) == {**before, "available": False, "version": 2}


def test_ending_an_assignment_frees_the_place_once(app, client):
    expert_id, assignment_id = assigned(app)
    sign_in(client, ADVISER)
    page = text(client.get(f"/experts/{expert_id}"))
    assert re.search(r'id="load">1 of \d+ places in use', page)
    assert re.search(rf'data-expert="{expert_id}">.*?app-load">1 of', text(client.get("/experts")), re.S)
    ended = client.post(
        f"/experts/assignments/{assignment_id}/end",
        data={"csrf_token": csrf_token(page), "outcome": "completed"},
        follow_redirects=True,
    )
    assert "completed;" in text(ended) and re.search(r'id="load">0 of \d+ places in use', text(ended))
    assert re.search(rf'data-assignment="{assignment_id}">.*?app-status">Completed<', text(ended), re.S)
    registry = text(client.get("/experts"))
    assert re.search(rf'data-expert="{expert_id}">.*?app-load">0 of', registry, re.S)
    again = client.post(
        f"/experts/assignments/{assignment_id}/end",
        data={"csrf_token": csrf_token(page), "outcome": "cancelled"},
        follow_redirects=True,
    )
    assert f"Not saved: assignment {assignment_id} is already completed." in text(again)


def test_only_advisers_see_an_experts_page(app, client):
    expert_id, assignment_id = assigned(app)
    before = entry(app, expert_id)
    for who in (OFFICER, VIEWER):
        sign_in(client, who)
        assert client.get(f"/experts/{expert_id}").status_code == 403
        page = text(client.get("/"))
        assert (
            client.post(
                f"/experts/{expert_id}", data={"csrf_token": csrf_token(page), "version": "1", "capacity": "9"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/experts/assignments/{assignment_id}/end",
                data={"csrf_token": csrf_token(page), "outcome": "completed"},
            ).status_code
            == 403
        )
    assert entry(app, expert_id) == before
    with get_database(app).session() as session:
        assert session.get(Assignment, assignment_id).status == "active"
    sign_in(client, ADVISER)
    assert client.get("/experts/999999").status_code == 404
