"""Alembic environment: runs against the URL given in code by matchmaker.db.migrate."""

from alembic import context

from matchmaker.db import Base
from matchmaker.db.session import DatabaseTimeouts, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # A migration may rewrite a big table: no statement bound.
    engine = make_engine(config.get_main_option("sqlalchemy.url"), DatabaseTimeouts(statement=None))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
