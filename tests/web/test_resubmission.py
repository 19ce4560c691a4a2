"""A form sent twice acts once: the second post of the same rendered form (a double click, a
resubmitted page) changes nothing and is sent to where the first led, with a message. One form of
each page area that makes or decides something; both backends."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchmaker.db import ApiKey, Expert, MatchRequest, ProgrammeBudget, RefreshRound, Submission, User
from matchmaker.flask_database import get_database
from matchmaker.services import form_posts, submissions
from matchmaker.web import HERE as WEB_DIR
from matchmaker.web.resubmission import ALREADY_SENT, STILL_SENDING
from tests.support.pages import ADMIN, ADVISER, OFFICER, VIEWER, sign_in, text
from tests.support.workflow import officer

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
INPUT = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the page's form that posts to ``action``, as the browser sends them."""
    for attributes, body in FORM.findall(html):
        attrs = dict(ATTRIBUTE.findall(attributes))
        if attrs.get("method", "").lower() == "post" and attrs.get("action", action) == action:
            fields = [dict(ATTRIBUTE.findall(i)) for i in INPUT.findall(body)]
            return {f["name"]: f.get("value", "") for f in fields if f.get("type") == "hidden"}
    raise AssertionError(f"no form posts to {action}")


def post_twice(client, page: str, action: str, data: dict):
    form = {**hidden_fields(text(client.get(page)), action), **data}
    assert form.get("form_token"), f"the form on {page} has no one-time token"
    return client.post(action, data=form), client.post(action, data=form)


def _count(app, model) -> int:
    with get_database(app).transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def _pending_savings_update(app) -> int:
    with get_database(app).transaction() as session:
        made, _ = submissions.submit(
            session,
            officer(session),
            "savings_update",
            {"amount_gbp": "45,000", "kind": "achieved", "financial_year": "2024"},
            "R040",
        )
        return made.id


CASES = {
    "match request": (
        OFFICER,
        "/match-requests/new",
        "/match-requests/new",
        {"service": "legal-democratic", "description": "A shared legal team", "urgency": "normal"},
        MatchRequest,
    ),
    "expert record": (
        ADVISER,
        "/experts",
        "/experts",
        {"name": "Pat Example", "email": "pat@example.org", "capacity": "2", "service_slugs": "legal-democratic"},
        Expert,
    ),
    "budget": (
        ADMIN,
        "/programme/budgets",
        "/programme/budgets",
        {"financial_year": "2026", "kind": "mediation", "amount": "50,000", "approval_threshold": "5000"},
        ProgrammeBudget,
    ),
    "savings update": (
        OFFICER,
        "/arrangements/R040/savings-update",
        "/arrangements/R040/savings-update",
        {"amount_gbp": "250,000", "kind": "achieved", "financial_year": "2024"},
        Submission,
    ),
    "refresh round": (ADVISER, "/refresh", "/refresh/rounds", {"year": "2026"}, RefreshRound),
    "invitation": (
        ADMIN,
        "/admin/users/invite",
        "/admin/users/invite",
        {"email": "new@example.org", "role": "viewer"},
        User,
    ),
    "missing arrangement report": (
        None,
        "/report",
        "/report",
        {"email": "reader@example.org", "message": "The Coastal Legal partnership is missing"},
        Submission,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_same_form_posted_twice_makes_one_thing(app, client, case):
    email, page, action, data, model = CASES[case]
    if email:
        sign_in(client, email)
    before = _count(app, model)
    first, second = post_twice(client, page, action, data)
    assert first.status_code in (200, 302), text(first)[:2000]
    assert _count(app, model) == before + 1
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers.get("Location", second.headers["Location"])
    assert ALREADY_SENT in text(client.get(second.headers["Location"]))


def test_a_new_key_shown_once_is_not_made_twice(app, client):
    sign_in(client, VIEWER)
    first, second = post_twice(client, "/account", "/account/keys", {"owner": "Budget dashboard"})
    assert first.status_code == 201 and _count(app, ApiKey) == 1
    assert second.status_code == 303 and second.headers["Location"] == "/account"


def test_a_report_sent_twice_leads_to_its_receipt(app, client):
    first, second = post_twice(client, "/report", "/report", {"email": "a@example.org", "message": "R999 is missing"})
    code = re.search(r'id="receipt">([^<]+)<', text(first)).group(1)
    assert second.headers["Location"] == f"/report/receipt?code={code}"


def test_a_moderation_decision_sent_twice_is_made_once(app, client):
    submission_id = _pending_savings_update(app)
    sign_in(client, ADVISER)
    page = f"/moderation/{submission_id}"
    first, second = post_twice(client, page, f"{page}/approve", {})
    assert first.status_code == 302
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert ALREADY_SENT in text(client.get(second.headers["Location"]))


def test_a_repeat_while_the_first_is_still_being_handled_changes_nothing(app, client):
    sign_in(client, ADVISER)
    form = {**hidden_fields(text(client.get("/experts")), "/experts"), "name": "Pat Example", "email": "p@example.org"}
    assert form_posts.claim(get_database(app), form["form_token"]) is None  # the first post, not finished
    repeat = client.post("/experts", data=form, headers={"Referer": "http://localhost/experts"})
    assert repeat.status_code == 303 and repeat.headers["Location"] == "/experts"
    page = text(client.get("/experts"))
    assert STILL_SENDING in page and "Pat Example" not in page


def test_a_form_with_errors_may_be_sent_again_corrected(app, client):
    sign_in(client, OFFICER)
    page = "/arrangements/R040/savings-update"
    form = hidden_fields(text(client.get(page)), page)
    wrong = client.post(page, data={**form, "amount_gbp": "lots", "kind": "achieved", "financial_year": "2024"})
    assert wrong.status_code == 400
    right = client.post(page, data={**form, "amount_gbp": "250,000", "kind": "achieved", "financial_year": "2024"})
    assert right.status_code == 302 and _count(app, Submission) == 1


def test_every_form_that_posts_carries_a_one_time_token():
    """Each post form in the templates emits the token, through csrf_field() or beside the CSRF field."""
    missing = []
    for template in sorted(Path(WEB_DIR / "templates").rglob("*.html")):
        for attributes, body in FORM.findall(template.read_text()):
            if 'method="post"' in attributes.lower() and not re.search(
                r"form_token_field\(\)|csrf_field\(\)|version_fields\(", body
            ):
                missing.append(f"{template.name}: <form{attributes[:60]}>")
    assert not missing, missing
