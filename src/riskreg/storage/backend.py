"""The storage seam: what differs between a register in an SQLite file and one on PostgreSQL.

A `Backend` owns the schema check, the connection settings and how write transactions start
(PRAGMAs and BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL), how the audit chain's
appends are serialized, what the first-page reader may do, file modes, backup / restore /
encrypt, and its words for what the database refused. Callers ask the backend (`backend_for`),
never the URL's spelling.
"""

from pathlib import Path
from typing import Any, Protocol

from riskreg.errors import DatabaseError
from riskreg.storage.target import parse_target


class Backend(Protocol):
    name: str
    is_server: bool
    """A database server (no file: no backup copies, no SQLCipher, no file modes)."""

    @property
    def shown(self) -> str:
        """Where the register is, for messages (a path, or the URL without its password)."""
        ...

    def configure(self, engine: Any) -> None: ...
    def is_refusal(self, error: Exception) -> bool: ...
    def explain(self, error: Exception) -> DatabaseError: ...
    def first_write_problem(self, connection: Any) -> str: ...
    def damaged(self, problem: str) -> DatabaseError: ...
    def lock_chain(self, session: Any) -> None: ...
    def server_user(self, session: Any) -> str | None: ...
    def reset_sequences(self, session: Any) -> None: ...


def server_backend_for(text: str) -> "Backend | None":
    """The backend when `text` names a database server, else None (a file: nothing heavy is
    imported, so the app's first frame still comes before SQLAlchemy). BadInput for a URL
    riskreg cannot use."""
    target = parse_target(text)
    if not target.is_server:
        return None
    from riskreg.storage.postgres import PostgresBackend

    return PostgresBackend(target)


def backend_for(text: str, *, encrypted: bool = False) -> Backend:
    """The backend for what --db / $RISKREG_DB names."""
    server = server_backend_for(text)
    if server is not None:
        return server
    from riskreg.storage.sqlite import SQLiteBackend

    return SQLiteBackend(Path(text).expanduser().absolute(), encrypted)
