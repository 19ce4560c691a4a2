"""Every error a person can meet is a page in the service's design saying what to do next; the
API keeps answering with problem+json."""

from __future__ import annotations

import pytest

from tests.support.pages import VIEWER, csrf_token, sign_in, text


def _page(response, status, heading):
    body = text(response)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert "govuk-footer" in body and "Werkzeug" not in body
    return body


def test_403_asks_a_visitor_to_sign_in_and_a_signed_in_user_to_ask_an_adviser(app, client):
    body = _page(client.get("/map/arrangements/R004/contacts.json"), 403, "You cannot see this page")
    assert '<a class="govuk-link" href="/sign-in?next=/map/arrangements/R004/contacts.json' in body
    sign_in(client, VIEWER)
    body = _page(client.get("/match-requests"), 403, "You cannot see this page")
    assert "Your account (viewer@demo.example) is not allowed to use this page" in body
    assert "ask an adviser at the Local Government Association" in body


def test_404_and_405(client):
    _page(client.get("/no-such-page"), 404, "Page not found")
    response = client.get("/sign-out")
    _page(response, 405, "Sorry, this page cannot do that")
    assert "POST" in response.headers["Allow"] and "GET" not in response.headers["Allow"]


def test_400_for_a_form_that_cannot_be_read(client):
    sign_in(client, VIEWER)
    token = csrf_token(text(client.get("/account")))
    body = _page(
        client.post("/account/keys/revoke", data={"csrf_token": token}),
        400,
        "Sorry, there is a problem with what was sent",
    )
    assert "start again from the home page" in body


def test_413_for_a_body_over_the_limit(client):
    response = client.post("/report", data={"message": "x" * (10 * 1024 * 1024 + 1)})
    _page(response, 413, "The file or form is too large")


def test_414_for_an_address_over_2048_characters_and_not_before(client):
    assert client.get("/search?q=" + "a" * 2030).status_code == 200
    _page(client.get("/search?q=" + "a" * 2048), 414, "The web address is too long")


def test_429_after_too_many_sign_ins_from_one_address(client):
    for attempt in range(10):
        sign_in(client, f"someone{attempt}@example.org", "wrong password")
    _page(sign_in(client, "someone@example.org", "wrong password"), 429, "Sorry, there have been too many attempts")


def test_500_is_a_page_that_reveals_nothing(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    body = _page(client.get("/broken-for-test"), 500, "Sorry, there is a problem with the service")
    assert "secret internal detail" not in body and "Traceback" not in body


@pytest.mark.parametrize(
    "path, statuses",
    [
        ("/api/v1/no-such-thing", (404,)),
        # refused by the API's input gate or by the URL limit
        ("/api/v1/organisations?q=" + "a" * 2100, (414, 422)),
    ],
)
def test_the_api_answers_errors_with_problem_json(client, path, statuses):
    response = client.get(path)
    assert response.status_code in statuses
    status = response.status_code
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status
