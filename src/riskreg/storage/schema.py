"""The schema revision this riskreg writes and reads, in a module of its own so that readers that
must not load SQLAlchemy or Alembic (`storage.first_page`) can check a database against it."""

HEAD = "0007_naming"
"""The newest revision in migrations/versions (a test checks it against Alembic's own answer):
update it with every new migration."""
