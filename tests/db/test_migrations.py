from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from matchmaker.db import Base, migrate
from matchmaker.flask_database import get_database


def test_migrations_match_models(empty_app):
    engine = get_database(empty_app).engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_head_after_upgrade(empty_app):
    url = empty_app.config["DATABASE_URL"]
    assert migrate.current_revision(get_database(empty_app).engine) == migrate.head_revision(url)


def test_downgrade_to_base_and_up_again(empty_app):
    url = empty_app.config["DATABASE_URL"]
    engine = get_database(empty_app).engine
    engine.dispose()
    migrate.downgrade(url, "base")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(url)
    assert migrate.current_revision(engine) == migrate.head_revision(url)
