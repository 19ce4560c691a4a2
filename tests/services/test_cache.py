"""The plain cache (services.cache): bounded stores, the Dataset kept per data state, and model
stamps that change with the file."""

from __future__ import annotations

import os

from matchmaker.db import Arrangement
from matchmaker.flask_database import get_database
from matchmaker.services.cache import AppCache, Store, file_stamp


def test_a_store_forgets_its_least_recently_used_entry_first():
    store = Store(max_entries=2)
    store.put("a", 1)
    store.put("b", 2)
    assert store.get("a", lambda: 0) == 1  # "a" used: "b" is now the oldest
    store.put("c", 3)
    assert (store.peek("a"), store.peek("b"), store.peek("c")) == (1, None, 3)
    assert len(store) == 2


def test_the_dataset_is_rebuilt_only_when_the_data_state_changes(app):
    cache = AppCache()
    with get_database(app).session() as session:
        first = cache.dataset(session)
        assert cache.dataset(session) is first
    with get_database(app).transaction() as session:
        arrangement = session.query(Arrangement).order_by(Arrangement.id).first()
        arrangement.version += 1
    with get_database(app).session() as session:
        second = cache.dataset(session, check_seconds=3600)  # the commit above makes it ask at once
    assert second is not first and second.fingerprint != first.fingerprint


def test_a_new_data_state_drops_the_answers_remembered_for_the_old_one(app):
    cache = AppCache()
    with get_database(app).session() as session:
        cache.dataset(session)
    cache.responses.put("answer", b"{}")
    cache.pages.put("page", ("<html>", ""))
    with get_database(app).transaction() as session:
        session.query(Arrangement).order_by(Arrangement.id).first().version += 1
    with get_database(app).session() as session:
        cache.dataset(session)
    assert len(cache.responses) == len(cache.pages) == 0


def test_a_models_stamp_changes_when_its_file_is_rewritten_or_removed(tmp_path):
    model = tmp_path / "model.json"
    assert file_stamp(str(model)) == (str(model), None, None)
    model.write_text("{}")
    written = file_stamp(str(model))
    os.utime(model, ns=(1, 1))
    assert file_stamp(str(model)) != written
    model.unlink()
    assert file_stamp(str(model)) == (str(model), None, None)
