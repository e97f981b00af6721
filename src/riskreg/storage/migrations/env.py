"""Alembic environment: runs on the connection riskreg hands it (see storage/migrate.py)."""

from alembic import context
from sqlmodel import SQLModel

import riskreg.storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

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
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
