"""Migration 0002: experts registered before it start at version 1."""

from sqlalchemy import text

from matchmaker.db import migrate
from matchmaker.flask_database import get_database


def test_existing_experts_start_at_version_one(empty_app):
    url = empty_app.config["DATABASE_URL"]
    engine = get_database(empty_app).engine
    engine.dispose()
    migrate.downgrade(url, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO experts (name, service_slugs, help_kinds, regions, capacity, available, demo, "
                "created_at, updated_at) VALUES ('Old Entry', '[]', '[]', '[]', 2, :yes, :no, :now, :now)"
            ),
            {"yes": True, "no": False, "now": "2026-01-01 00:00:00+00:00"},
        )
    migrate.upgrade(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name, version FROM experts")).all() == [("Old Entry", 1)]
