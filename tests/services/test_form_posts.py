"""One-time form tokens: one claim wins, a repeat learns what the first did, a freed token may be
claimed again, and old claims are forgotten."""

from __future__ import annotations

from datetime import timedelta

from matchmaker.db import FormPost
from matchmaker.db.base import utcnow
from matchmaker.flask_database import get_database
from matchmaker.services import form_posts
from matchmaker.services.form_posts import EarlierPost


def test_the_first_claim_wins_and_a_repeat_learns_where_it_led(app):
    database, token = get_database(app), form_posts.new_token()
    assert form_posts.is_well_formed(token) and not form_posts.is_well_formed(token[:-1] + "!")
    assert form_posts.claim(database, token) is None
    assert form_posts.claim(database, token) == EarlierPost(None)  # still being handled
    form_posts.record(database, token, "/match-requests/7")
    assert form_posts.claim(database, token) == EarlierPost("/match-requests/7")


def test_a_freed_token_may_be_claimed_again(app):
    database, token = get_database(app), form_posts.new_token()
    form_posts.claim(database, token)
    form_posts.release(database, token)
    assert form_posts.claim(database, token) is None


def test_claims_older_than_two_days_are_forgotten(app):
    database, old = get_database(app), form_posts.new_token()
    with database.transaction() as session:
        session.add(FormPost(token=old, claimed_at=utcnow() - form_posts.KEPT_FOR - timedelta(minutes=1)))
    form_posts.claim(database, form_posts.new_token())
    with database.transaction() as session:
        assert session.get(FormPost, old) is None
