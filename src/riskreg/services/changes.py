"""Has another window or another connection changed the register? (issue 22 item 6)

A `ChangeFeed` answers `changes_since(token)`: a new token when the register changed since
`token` was taken, else None. The app keeps the last token and asks every few seconds (a Textual
interval); when the answer is a token, it reloads what it shows. An open form is not reloaded:
its save is still refused as "changed elsewhere" by the revision check.

On SQLite the token is the audit chain's head (its last event's sequence number and hash): every
change to the register appends an event in the same transaction, so the head moves with every
commit from any connection, and a restored or replaced register has another head. Reading it is
one indexed row. PostgreSQL can plug in LISTEN/NOTIFY behind the same interface (a feed whose
`changes_since` drains the notifications instead of reading the head).
"""

from __future__ import annotations

from typing import Protocol

from riskreg.storage import audit
from riskreg.storage.database import Database

Token = tuple[int, str]


class ChangeFeed(Protocol):
    def token(self) -> Token:
        """Where the register stands now."""
        ...

    def changes_since(self, token: Token | None) -> Token | None:
        """The new token if the register changed since `token` (None: never taken), else None."""
        ...


class AuditHeadFeed:
    """The register's changes seen through its audit chain's head (polled; any backend)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def token(self) -> Token:
        with self.db.reading() as session:
            return audit.head(session)

    def changes_since(self, token: Token | None) -> Token | None:
        now = self.token()
        return None if now == token else now


def change_feed(db: Database) -> ChangeFeed:
    """The feed for this database (the polled audit head; PostgreSQL's LISTEN/NOTIFY later)."""
    return AuditHeadFeed(db)
