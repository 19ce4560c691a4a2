"""Search finds councils however their names are typed: apostrophes, full stops, "&" or "and",
"St" or "Saint"."""

from __future__ import annotations

import pytest

from matchmaker.db.repositories.reference import fold, search_organisations
from matchmaker.flask_database import get_session


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("King's Lynn", "kings lynn"),
        ("King’s Lynn", "kings lynn"),
        ("St. Albans", "st albans"),
        ("Saint Albans", "st albans"),
        ("Brighton & Hove", "brighton and hove"),
        ("Brighton&Hove", "brighton and hove"),
        ("  Adur  ", "adur"),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("King's Lynn", "Kings Lynn and West Norfolk"),
        ("Kings Lynn", "Kings Lynn and West Norfolk"),
        ("St. Albans", "St Albans"),
        ("Saint Albans", "St Albans"),
        ("st albans", "St Albans"),
        ("Brighton & Hove", "Brighton and Hove"),
        ("Brighton and Hove", "Brighton and Hove"),
    ],
)
def test_search_finds_the_council_however_its_name_is_typed(app, typed, expected):
    with app.app_context():
        found = search_organisations(get_session(), typed)
        assert found and expected in found[0].name


def test_the_search_page_finds_kings_lynn_typed_with_an_apostrophe(client):
    assert "Kings Lynn and West Norfolk" in client.get("/search?q=King%27s+Lynn").get_data(as_text=True)
