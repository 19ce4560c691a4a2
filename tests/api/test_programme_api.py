"""/api/v1/programme: budgets, offers, approval, answers and claims, with the adviser scope."""

from datetime import date

from sqlalchemy import select

from matchmaker.core.money import financial_year, year_label
from matchmaker.db import User
from matchmaker.flask_database import get_database
from matchmaker.services import keys
from matchmaker.services.access import SCOPES
from tests.support.keys import bearer
from tests.support.programme import SECOND_ADVISER, second_adviser, set_budget
from tests.support.workflow import create_request

THIS_YEAR = financial_year(date.today())
LABEL = year_label(THIS_YEAR)


def _user_key(app, email):
    with get_database(app).transaction() as session:
        if email == SECOND_ADVISER:
            second_adviser(session)
        user = session.scalar(select(User).where(User.email == email))
        return bearer(keys.create_key(session, email, list(SCOPES), user.id)[1])


def test_offer_approve_answer_claim_over_the_api(client, app):
    set_budget(app, THIS_YEAR, amount="5000", threshold="1000")
    request_id = create_request(app)
    first, second = _user_key(app, "adviser@demo.example"), _user_key(app, SECOND_ADVISER)
    made = client.post(
        "/api/v1/programme/offers",
        headers=first,
        json={
            "request_id": request_id,
            "kind": "expert_support",
            "days": 5,
            "day_rate_pence": 50000,
            "cap_pence": 240000,
            "conditions": "Quarterly progress notes",
        },
    )
    assert made.status_code == 201, made.json
    offer = made.json
    assert (offer["status"], offer["amount_pence"], offer["financial_year"]) == ("awaiting_approval", 240000, THIS_YEAR)
    own = client.post(f"/api/v1/programme/offers/{offer['id']}/approval", headers=first)
    assert own.status_code == 409 and "A second adviser must approve this offer: you made it." == own.json["detail"]
    approved = client.post(f"/api/v1/programme/offers/{offer['id']}/approval", headers=second)
    assert approved.status_code == 200 and approved.json["status"] == "offered"
    budgets = client.get("/api/v1/programme/budgets", headers=first).json["items"]
    assert budgets == [
        {
            "financial_year": THIS_YEAR,
            "financial_year_label": LABEL,
            "kind": "expert_support",
            "amount_pence": 500000,
            "approval_threshold_pence": 100000,
            "committed_pence": 240000,
            "left_pence": 260000,
            "demo": False,
        }
    ]
    answered = client.post(f"/api/v1/programme/offers/{offer['id']}/answer", headers=first, json={"accepted": True})
    assert answered.json["status"] == "accepted"
    claim = {"amount_pence": 240001, "delivered_on": date.today().isoformat(), "evidence": "Business case"}
    over = client.post(f"/api/v1/programme/offers/{offer['id']}/claims", headers=first, json=claim)
    assert over.status_code == 409
    assert over.json["detail"] == "The offer has £2,400.00 left to pay of £2,400.00; this claim is £2,400.01."
    paid = client.post(
        f"/api/v1/programme/offers/{offer['id']}/claims", headers=first, json={**claim, "amount_pence": 100000}
    )
    assert paid.status_code == 201 and paid.json["amount_pence"] == 100000
    detail = client.get(f"/api/v1/programme/offers/{offer['id']}", headers=first).json
    assert (detail["paid_pence"], detail["left_to_pay_pence"], len(detail["claims"])) == (100000, 140000, 1)


def test_programme_needs_the_adviser_scope(client, app, make_key):
    assert client.get("/api/v1/programme/offers").status_code == 401
    officer_key = bearer(make_key("public:read", "requests:write"))
    assert client.get("/api/v1/programme/budgets", headers=officer_key).status_code == 403


def test_keys_without_a_person_cannot_decide_money(client, app, make_key):
    set_budget(app, THIS_YEAR)
    request_id = create_request(app)
    response = client.post(
        "/api/v1/programme/offers",
        headers=bearer(make_key("adviser")),
        json={"request_id": request_id, "kind": "mediation", "amount_pence": 100},
    )
    assert response.status_code == 409 and "need a person" in response.json["detail"]


def test_bad_offer_names_the_field(client, app):
    set_budget(app, THIS_YEAR)
    request_id = create_request(app)
    response = client.post(
        "/api/v1/programme/offers",
        headers=_user_key(app, "adviser@demo.example"),
        json={"request_id": request_id, "kind": "expert_support", "days": 3},
    )
    assert response.status_code == 422
    assert response.json["invalid_params"][0]["name"] == "day_rate"
    unknown = client.post(
        "/api/v1/programme/offers",
        headers=_user_key(app, "adviser@demo.example"),
        json={"request_id": 99999, "kind": "expert_support", "amount_pence": 1},
    )
    assert unknown.status_code == 404


def test_admins_set_budgets_over_the_api(client, app):
    admin, adviser = _user_key(app, "admin@demo.example"), _user_key(app, "adviser@demo.example")
    body = {"amount_pence": 5000000, "approval_threshold_pence": 500000}
    assert client.put(f"/api/v1/programme/budgets/{THIS_YEAR}/mediation", headers=adviser, json=body).status_code == 403
    made = client.put(f"/api/v1/programme/budgets/{THIS_YEAR}/mediation", headers=admin, json=body)
    assert made.status_code == 200
    assert made.json == {
        "financial_year": THIS_YEAR,
        "financial_year_label": LABEL,
        "kind": "mediation",
        "amount_pence": 5000000,
        "approval_threshold_pence": 500000,
        "committed_pence": 0,
        "left_pence": 5000000,
        "demo": False,
    }
    assert client.put(f"/api/v1/programme/budgets/{THIS_YEAR}/lunch", headers=admin, json=body).status_code == 404
    request_id = create_request(app)
    client.post(
        "/api/v1/programme/offers",
        headers=adviser,
        json={"request_id": request_id, "kind": "mediation", "amount_pence": 400000},
    )
    below = client.put(
        f"/api/v1/programme/budgets/{THIS_YEAR}/mediation", headers=admin, json={**body, "amount_pence": 399999}
    )
    assert below.status_code == 409 and f"{LABEL} already has £4,000.00 committed" in below.json["detail"]
