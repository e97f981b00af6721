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
from riskreg.storage.target import Target, parse_target


class Backend(Protocol):
    name: str
    is_server: bool
    """A database server (no file: no backup copies, no SQLCipher, no file modes)."""
    reads_first_page: bool
    json_comparable: bool
    """Whether SQL may compare or group JSON columns (never on PostgreSQL's `json`)."""

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
    def reset_sequences(self, session: Any) -> None: ...


def target_of(text: str, label: str = "--db") -> Target:
    return parse_target(text, label)


def is_server(text: str) -> bool:
    """`text` names a database server (a URL), not a file: BadInput for an unsupported URL."""
    return parse_target(text).kind != "sqlite"


def backend_for(text: str, *, encrypted: bool = False) -> Backend:
    """The backend for what --db / $RISKREG_DB names."""
    target = parse_target(text)
    if target.kind == "postgresql":
        from riskreg.storage.postgres import PostgresBackend

        return PostgresBackend(target)
    from riskreg.storage.sqlite import SQLiteBackend

    return SQLiteBackend(Path(text).expanduser().absolute(), encrypted)
