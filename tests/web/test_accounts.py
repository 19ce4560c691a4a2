"""Sign in and out, contacts only for those allowed (audited), demo labels, introductions, keys."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from matchmaker.db import ApiKey, AuditEvent, MatchRequest
from matchmaker.flask_database import get_session
from matchmaker.services import keys
from tests.support.pages import ADUR, OFFICER, VIEWER, csrf_token, sign_in, text

FIND = f"/find-partners?council={ADUR}&service=legal-democratic"
EVERY_PAGE = [
    "/",
    "/search?q=adur",
    f"/councils/{ADUR}",
    "/councils/E07000229",
    "/find-partners",
    FIND,
    "/find-partners?council=E08000035&service=waste-environment",
    "/map",
    "/map/arrangements.json",
    "/statistics",
    "/sign-in",
    "/map/arrangements.csv",
]


def _audits(app, action="contacts.read") -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_no_contact_details_anywhere_when_signed_out(app, client, path):
    body = text(client.get(path))
    assert ".example" not in body
    assert "app-demo-label" not in body
    assert "app-contacts" not in body
    assert client.get("/map/arrangements/R004/contacts.json").status_code == 403
    assert _audits(app) == 0


def test_a_viewer_may_not_see_contacts(app, client):
    sign_in(client, VIEWER)
    assert ".example\"" not in text(client.get(FIND)).replace("viewer@demo.example", "")
    assert "app-contacts" not in text(client.get(FIND))
    assert _audits(app) == 0


def test_signed_in_officer_sees_labelled_demo_contacts_and_each_read_is_audited(app, client):
    assert sign_in(client, OFFICER).status_code == 302
    html = text(client.get(FIND))
    assert "app-demo-banner" in html
    assert re.search(r"contact\d{4}@horsham\.example", html)
    assert 'class="app-demo-label">Demo</strong>' in html
    assert _audits(app) == 10  # one per candidate organisation
    body = client.get("/map/arrangements/R004/contacts.json").get_json()
    assert body["contacts"][0]["demo"] is True and body["contacts"][0]["email"].endswith(".example")
    assert _audits(app) == 11
    assert client.get("/map/arrangements.json").get_json()["arrangements"][0]["contacts_url"]


def test_sign_in_with_a_wrong_password_says_what_is_wrong(client):
    response = sign_in(client, OFFICER, password="not-it")
    assert response.status_code == 400
    assert "Enter a correct email address and password" in text(response)
    assert "Sign out" not in text(client.get("/"))


def test_sign_out_needs_the_form_and_ends_the_session(client):
    sign_in(client, OFFICER)
    home = text(client.get("/"))
    assert "Sign out" in home
    client.post("/sign-out", data={"csrf_token": csrf_token(home)})
    assert "Sign out" not in text(client.get("/"))
    assert client.get("/account").status_code == 302


def test_sign_in_never_redirects_off_site(client):
    page = text(client.get("/sign-in"))
    from tests.support.databases import DEMO_PASSWORD

    response = client.post(
        "/sign-in?next=//evil.example/x",
        data={"email": OFFICER, "password": DEMO_PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert response.headers["Location"] == "/"


def test_officer_requests_an_introduction_for_their_own_council(app, client):
    sign_in(client, OFFICER)
    html = text(client.get(FIND))
    assert html.count("Request an introduction") == 10
    assert "Request an introduction" not in text(
        client.get("/find-partners?council=E07000229&service=legal-democratic")
    )
    response = client.post(
        "/find-partners/introductions",
        data={"council": ADUR, "service": "legal-democratic", "candidate": "E07000227", "csrf_token": csrf_token(html)},
    )
    assert response.status_code == 302
    with app.app_context():
        created = get_session().scalar(select(MatchRequest))
        assert created.organisation.gss_code == ADUR and created.service_area.slug == "legal-democratic"
        assert created.status == "submitted" and created.constraints == {"candidate_codes": ["E07000227"]}
        assert [e.to_status for e in created.events] == ["submitted"]
    assert _audits(app, "match_request.created") == 1  # the same event as a request made over the API
    assert "Introduction requested" in text(client.get(response.headers["Location"]))


def test_a_viewer_cannot_request_introductions(app, client):
    sign_in(client, VIEWER)
    html = text(client.get(FIND))
    assert "Request an introduction" not in html
    response = client.post(
        "/find-partners/introductions",
        data={"council": ADUR, "service": "legal-democratic", "candidate": "E07000227", "csrf_token": csrf_token(html)},
    )
    assert response.status_code == 403


def test_account_creates_a_key_shown_once_and_revokes_it(app, client):
    sign_in(client, OFFICER)
    page = text(client.get("/account"))
    response = client.post(
        "/account/keys", data={"owner": "Budget dashboard", "contacts": "y", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 201
    plaintext = re.search(r'<code class="app-key" id="new-key">(mm_[^<]+)</code>', text(response)).group(1)
    again = text(client.get("/account"))
    assert plaintext not in again and "Budget dashboard" in again
    with app.app_context():
        session = get_session()
        key = keys.authenticate(session, plaintext)
        assert key is not None and key.scope_set == {"public:read", "contacts:read"}
        prefix = key.prefix
    client.post("/account/keys/revoke", data={"prefix": prefix, "csrf_token": csrf_token(again)})
    with app.app_context():
        assert keys.authenticate(get_session(), plaintext) is None


def test_a_viewer_key_cannot_gain_contacts_and_others_keys_cannot_be_revoked(app, client):
    with app.app_context():
        session = get_session()
        other, _ = keys.create_key(session, "someone else", ["public:read"])
        session.commit()
        other_prefix = other.prefix
    sign_in(client, VIEWER)
    page = text(client.get("/account"))
    assert 'name="contacts"' not in page
    client.post("/account/keys", data={"owner": "x", "contacts": "y", "csrf_token": csrf_token(page)})
    response = client.post("/account/keys/revoke", data={"prefix": other_prefix, "csrf_token": csrf_token(page)})
    assert response.status_code == 404
    with app.app_context():
        mine = get_session().scalar(select(ApiKey).where(ApiKey.owner == "x"))
        assert mine.scope_set == {"public:read"}
