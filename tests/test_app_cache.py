"""The application's one cache: each app has its own, a change to the data shows in the next
answer and page with nobody clearing anything, and its one clear() empties it all."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker import create_app
from matchmaker.app_cache import EXTENSION
from matchmaker.db import Arrangement, Membership, Organisation, ServiceArea
from matchmaker.flask_database import get_database

ADUR, HORSHAM = "E07000223", "E07000227"
RECOMMEND = f"/api/v1/recommendations?council={ADUR}&service=legal-democratic&limit=50"
FIND = f"/find-partners?council={ADUR}&service=legal-democratic"


def candidates(client) -> set[str]:
    response = client.get(RECOMMEND)
    assert response.status_code == 200
    return {c["gss_code"] for c in response.get_json()["candidates"]}


def find_page(client) -> str:
    response = client.get(FIND)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def share_legal_services(app, *codes: str) -> None:
    with get_database(app).transaction() as session:
        members = [session.scalar(select(Organisation).where(Organisation.gss_code == code)) for code in codes]
        legal = session.scalar(select(ServiceArea).where(ServiceArea.slug == "legal-democratic"))
        session.add(
            Arrangement(
                public_id="T001",
                name="Adur and Horsham legal (test)",
                status="operational",
                start_year=2020,
                members=[Membership(organisation=org, position=n) for n, org in enumerate(members)],
                services=[legal],
            )
        )


def test_each_app_has_its_own_cache(app, client, tmp_path):
    other = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path / "other"),
            "SECRET_KEY": "test-secret-key",
        }
    )
    try:
        assert other.extensions[EXTENSION] is not app.extensions[EXTENSION]
        mine, theirs = app.extensions[EXTENSION].responses, other.extensions[EXTENSION].responses
        candidates(client)
        assert len(mine) > 0 and len(theirs) == 0
        assert candidates(other.test_client()) == candidates(client)
        assert len(theirs) == len(mine)
    finally:
        get_database(other).dispose()


def test_a_change_to_the_data_shows_in_the_next_answer_and_page_without_clearing(app, client):
    app.config["API_DATA_CHECK_SECONDS"] = 3600  # only the commit itself can make the data be asked again
    assert HORSHAM in candidates(client)
    assert f'id="existing-{HORSHAM}"' not in find_page(client)
    assert candidates(client) == candidates(client)  # from the remembered response

    share_legal_services(app, ADUR, HORSHAM)

    assert HORSHAM not in candidates(client)
    assert f'id="existing-{HORSHAM}"' in find_page(client)


def test_one_clear_empties_everything(app, client):
    cache = app.extensions[EXTENSION]
    candidates(client)
    find_page(client)
    assert client.get("/ready").status_code == 200
    assert client.get("/api/v1/arrangements?limit=1").status_code == 200
    estimate = {"council_codes": [ADUR, HORSHAM], "service": "legal-democratic"}
    assert client.post("/api/v1/savings-estimates", json=estimate).status_code == 200
    stores = {
        "engines": cache.engines,
        "savings": cache.savings,
        "responses": cache.responses,
        "pages": cache.pages,
        "models": cache.models,
        "files": cache.files,
    }
    assert all(len(store) for store in stores.values()), {name: len(store) for name, store in stores.items()}
    assert cache.recent_dataset(get_database(app).engine, 3600) is not None
    assert len(cache.totals(1.0)) > 0

    cache.clear()

    assert {name: len(store) for name, store in stores.items()} == dict.fromkeys(stores, 0)
    assert cache.recent_dataset(get_database(app).engine, 3600) is None
    assert len(cache.totals(1.0)) == 0
    assert HORSHAM in candidates(client)  # worked out again from nothing
