"""The adviser's reorganisation page: the plan as of a date, moving chosen arrangements only."""

import re

from matchmaker.flask_database import get_database
from tests.support.dumps import dump_tables
from tests.support.pages import ADVISER, csrf_token, sign_in, text
from tests.support.refresh import LATER_PLANNED, arrangement

MENDIP, SOMERSET = "E07000187", "E06000066"


def planned(page):
    return re.findall(r'<section class="app-move" data-arrangement="(R\d+)"', page)


def move(client, chosen, as_of="2025-01-01"):
    token = csrf_token(text(client.get(f"/reorganise?as_of={as_of}")))
    return client.post("/reorganise", data={"csrf_token": token, "as_of": as_of, "arrangement": chosen})


def members(app, public_id):
    """Current members: a council replaced in a reorganisation is kept as having left."""
    with get_database(app).session() as session:
        found = arrangement(session, public_id).members
        return [m.organisation.gss_code for m in found if m.left_year is None]


def test_the_plan_depends_on_the_date(client):
    sign_in(client, ADVISER)
    assert planned(text(client.get("/reorganise?as_of=2025-01-01"))) == ["R055", "R072", "R122", *LATER_PLANNED]
    assert planned(text(client.get("/reorganise?as_of=2020-01-01"))) == ["R212", "R218"]
    before = text(client.get("/reorganise?as_of=2019-01-01"))
    assert planned(before) == [] and "members abolished by 1 January 2019" in before
    bad = client.get("/reorganise?as_of=31/03/2023")
    assert bad.status_code == 400 and "Give the date as YYYY-MM-DD" in text(bad)


def test_only_the_chosen_arrangements_move(app, client):
    sign_in(client, ADVISER)
    moved = move(client, ["R072"])
    assert moved.status_code == 302 and moved.headers["Location"].endswith("as_of=2025-01-01")
    assert SOMERSET in members(app, "R072") and MENDIP not in members(app, "R072")
    assert "E10000027" in members(app, "R122")
    page = text(client.get(moved.headers["Location"]))
    assert "Memberships moved to successors in 1 arrangement(s)." in page
    assert planned(page) == ["R055", "R122", *LATER_PLANNED]


def test_a_stale_choice_moves_nothing_and_says_which(app, client):
    sign_in(client, ADVISER)
    move(client, ["R072"])
    before = dump_tables(app)
    stale = move(client, ["R072", "R122"])
    assert stale.status_code == 400
    assert "R072 no longer needs moving; nothing was moved" in text(stale)
    assert dump_tables(app) == before
    nothing = move(client, [])
    assert nothing.status_code == 400 and "Choose at least one arrangement" in text(nothing)
