"""Alembic environment: runs on the connection riskreg hands it (see storage/migrate.py)."""

from alembic import context
from sqlmodel import SQLModel

import riskreg.storage.tables  # noqa: F401  (registers every table on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("riskreg migrations run through riskreg.storage.migrate, not the CLI")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
        compare_type=True,
        # One transaction for every pending migration (reliability review D4): riskreg hands in
        # a connection already inside a transaction, which Alembic then never commits; these
        # say the same should the connection ever come without one. (Alembic's SQLite default
        # is a commit after each migration.)
        transactional_ddl=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
