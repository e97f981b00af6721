"""The PostgreSQL backend: one register on a server a group practice runs.

Each clinician connects as their own login role; the password comes from the URL, PGPASSWORD,
~/.pgpass (libpq reads both itself) or, when the server asks for one and there is a terminal, a
prompt (never echoed, never logged, cut out of every message). Write transactions take one
transaction-scoped advisory lock first, so writers are serialized as SQLite's BEGIN IMMEDIATE
serializes them: the audit chain's head is read under it (storage/audit.py), and a revision check
is one `UPDATE ... WHERE revision = :expected` besides (storage/revisions.py). Migrations run in
one transaction under their own advisory lock, so two clinicians starting at once do not both
upgrade. There is no file here: no PRAGMAs, no first-page reader, no file modes; backup is the
lossless JSON export, encryption is the server's (TLS and its disk).
"""

import sys
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import make_url

from riskreg.errors import BadInput, DatabaseBusy, DatabaseError, UserError, one_line
from riskreg.storage.database import Database
from riskreg.storage.target import Target, strip_secret

WRITE_LOCK = 0x7269736B  # "risk": serializes write transactions (and so the audit chain)
MIGRATE_LOCK = 0x72656731  # "reg1": serializes schema upgrades
CONNECT_TIMEOUT_S = 10
INSTALL = "PostgreSQL support is not installed: pip install 'riskreg[postgres]'"


def driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(INSTALL) from None
    return psycopg


class PostgresBackend:
    name = "postgresql"
    is_server = True

    def __init__(self, target: Target) -> None:
        self.target = target
        try:
            url = make_url(target.text)
        except (ValueError, exc.ArgumentError) as error:
            raise BadInput(f"--db: {target.shown} is not a valid URL ({one_line(str(error))})"
                           ) from None
        self.url = url.set(drivername="postgresql+psycopg")
        self.where = f"{url.host or 'localhost'}:{url.port or 5432}"
        self.database = url.database or ""

    @property
    def shown(self) -> str:
        return self.target.shown

    # -- connections ---------------------------------------------------------------------------

    def make_engine(self, password: str | None = None) -> Engine:
        driver()
        url = self.url if password is None else self.url.set(password=password)
        engine = create_engine(
            url, hide_parameters=True, pool_pre_ping=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "riskreg"})
        self.configure(engine)
        return engine

    def configure(self, engine: Engine) -> None:
        @event.listens_for(engine, "begin")
        def _on_begin(connection) -> None:
            if connection.get_execution_options().get("riskreg_write"):
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    def connect_engine(self) -> Engine:
        """An engine whose first connection worked; a password is asked for at a terminal when
        the server wants one and none was given (PGPASSWORD, ~/.pgpass, the URL)."""
        engine = self.make_engine()
        try:
            with engine.connect():
                pass
            return engine
        except exc.DBAPIError as error:
            engine.dispose()
            if "no password supplied" not in str(error.orig) or not sys.stdin.isatty():
                raise self.explain(error) from None
        import getpass

        try:
            password = getpass.getpass(f"Password for {self.url.username or 'you'} on "
                                       f"{self.where}: ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            raise UserError("no password given; nothing was changed") from None
        engine = self.make_engine(password)
        del password
        try:
            with engine.connect():
                pass
        except exc.DBAPIError as error:
            engine.dispose()
            raise self.explain(error) from None
        return engine

    # -- what the server refused, in one line ---------------------------------------------------

    def is_refusal(self, error: Exception) -> bool:
        """What the server refused for a reason the user can act on (a lost connection, a
        missing privilege), as opposed to a constraint the services expect to meet."""
        if isinstance(error, exc.OperationalError | exc.InterfaceError):
            return True
        if isinstance(error, exc.ProgrammingError | exc.InternalError) and \
                "permission denied" in str(error).lower():
            return True
        return bool(getattr(error, "connection_invalidated", False))

    def explain(self, error: Exception) -> DatabaseError:
        orig = getattr(error, "orig", None) or error
        said = strip_secret(str(orig), self.target.text)
        low = said.lower()
        user = self.url.username or "(your login)"
        where = f"the PostgreSQL server at {self.where}"
        if "password authentication failed" in low:
            return DatabaseError(f"{where} refused the password for {user}; check PGPASSWORD "
                                 "or ~/.pgpass. Nothing was changed.")
        if "no password supplied" in low:
            return DatabaseError(f"{where} wants a password for {user}: set PGPASSWORD, add it "
                                 "to ~/.pgpass, or run in a terminal to be asked. Nothing was "
                                 "changed.")
        if "does not exist" in low and "database" in low:
            return DatabaseError(f"there is no database {self.database!r} on {where}; ask its "
                                 "administrator to create it (createdb). Nothing was changed.")
        if "role" in low and "does not exist" in low:
            return DatabaseError(f"{where} has no login role {user}. Nothing was changed.")
        if "connection refused" in low or "could not connect" in low \
                or "timeout expired" in low or "no such file" in low \
                or "could not translate host name" in low or "failed to resolve host" in low:
            return DatabaseError(f"cannot reach {where} (is it running?). Nothing was changed.")
        if ("terminating connection" in low or "server closed the connection" in low
                or "connection is closed" in low or "consuming input failed" in low
                or "shutting down" in low or "connection is lost" in low
                or "the connection is closed" in low):
            return DatabaseError(f"the connection to {where} was lost; what this command was "
                                 "writing was not saved (nothing was half-written). Try again.")
        if "deadlock" in low or "could not serialize" in low or "lock timeout" in low:
            return DatabaseBusy(f"{where} is busy with another clinician's change; try again")
        if "permission denied" in low:
            return DatabaseError(f"{where}: {user} may not do this ({one_line(said.splitlines()[0])}"
                                 "); ask the privacy officer to grant the practice's role. "
                                 "Nothing was changed.")
        first = said.strip().splitlines()[0] if said.strip() else type(orig).__name__
        return DatabaseError(f"cannot use the register on {where}: {first}")

    def first_write_problem(self, connection: Connection) -> str:  # noqa: ARG002 (the seam's)
        return ""

    def damaged(self, problem: str) -> DatabaseError:
        return DatabaseError(f"the register on {self.where} is damaged: {problem}")

    # -- the audit chain and ids ----------------------------------------------------------------

    def lock_chain(self, session: Any) -> None:
        """Hold the write lock until commit before the chain's head is read (reentrant: a write
        transaction took it at its start already)."""
        session.execute(text(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"))

    def server_user(self, session: Any) -> str | None:
        """The role this connection logged in as (each clinician connects as their own;
        45 CFR 164.312(a)(2)(i), unique user identification)."""
        return str(session.execute(text("SELECT session_user")).scalar_one())

    def reset_sequences(self, session: Any) -> None:
        """After rows were written with their ids (an import): each table's sequence continues
        after its largest id, so the next ordinary insert does not collide."""
        from sqlmodel import SQLModel

        for table in SQLModel.metadata.sorted_tables:
            if "id" not in table.c:
                continue
            session.execute(text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false) "
                "WHERE pg_get_serial_sequence(:table, 'id') IS NOT NULL"),
                {"table": table.name})

    # -- the file commands, on a server ------------------------------------------------------

    def encryption_words(self) -> str:
        return ("on PostgreSQL, encryption is the server's job: TLS for the connection "
                "(sslmode=verify-full in the URL) and an encrypted disk on the server; riskreg's "
                "own encryption (SQLCipher) is for an SQLite file. Nothing was changed.")

    def restore_words(self) -> str:
        return ("riskreg restore replaces an SQLite file; for a register on PostgreSQL, import "
                "a JSON export into a new, empty database (riskreg import json), or use the "
                "server's own backups (pg_dump). Nothing was changed.")

    # -- opening ----------------------------------------------------------------------------------

    def open(self, *, create: bool = False, now: datetime | None = None) -> Database:  # noqa: ARG002
        """Connect, check the schema and bring it up to date (creating it with `create`)."""
        engine = self.connect_engine()
        notices: list[str] = []
        try:
            existed = self._prepare(engine, create, notices)
        except exc.DBAPIError as error:
            engine.dispose()
            raise self.explain(error) from None
        except UserError:
            engine.dispose()
            raise
        return Database(None, engine, notices, existed=existed, backend=self)

    def _prepare(self, engine: Engine, create: bool, notices: list[str]) -> bool:
        from riskreg.storage import migrate
        from riskreg.storage.schema import HEAD

        with engine.connect() as conn, conn.begin():
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATE_LOCK})")
            tables = set(inspect(conn).get_table_names())
            versions = None
            if "alembic_version" in tables:
                versions = [row[0] for row in conn.exec_driver_sql(
                    "SELECT version_num FROM alembic_version")]
            if versions == [HEAD]:
                return True
            tables.discard("alembic_version")
            if not versions:
                if tables - migrate.our_tables():
                    raise DatabaseError(f"the database {self.database!r} on {self.where} holds "
                                        "other tables, not a riskreg register; nothing was "
                                        "changed")
                if not create:
                    raise UserError(f"there is no register yet in {self.shown}; `riskreg init "
                                    "--db URL` makes one there. Nothing was created.")
            elif not migrate.known_revision(versions):
                raise DatabaseError(
                    f"the register on {self.where} was written by a newer version of riskreg "
                    f"(schema {one_line(', '.join(versions))}); upgrade riskreg to open it. "
                    "Nothing was changed.")
            from alembic import command

            command.upgrade(migrate.alembic_config(conn), "head")
            if versions:
                notices.append(f"The register on {self.where} was upgraded to the newest "
                               "schema.")
            return bool(versions)
