"""Shared by the subcommands that open the database."""

import os
import sys
from argparse import Namespace
from datetime import date
from pathlib import Path

from riskreg.errors import BadInput, UserError, one_line


def today_from_env() -> date:
    """Today's date, or $RISKREG_TODAY (YYYY-MM-DD) for reproducible runs (every command's
    clock)."""
    text = os.environ.get("RISKREG_TODAY")
    if not text:
        return date.today()
    from riskreg.domain.dates import parse_date

    try:
        return parse_date(text, "RISKREG_TODAY")
    except ValueError as exc:
        raise BadInput(str(exc)) from None

def resolve_db(args: Namespace) -> str:
    """The database: --db, else $RISKREG_DB, else the platform's user data folder. A path is an
    SQLite file, a postgresql:// URL a server; any other URL is refused (BadInput, one line)."""
    from riskreg.storage.target import parse_target

    if getattr(args, "db", None):
        return parse_target(args.db).text
    if os.environ.get("RISKREG_DB"):
        return parse_target(os.environ["RISKREG_DB"], "RISKREG_DB").text
    from riskreg.paths import default_db_path

    return str(default_db_path())


def server_backend(args: Namespace):
    """The backend when the register is on a server (PostgreSQL), else None (an SQLite file)."""
    from riskreg.storage.backend import server_backend_for

    return server_backend_for(resolve_db(args))


def passphrase_wanted(args: Namespace) -> bool:
    """Whether the database is to be opened encrypted: --encrypted, or the setting
    RISKREG_ENCRYPTED=1 (the setting cannot live in the encrypted file itself)."""
    return bool(getattr(args, "encrypted", False)) or os.environ.get("RISKREG_ENCRYPTED") == "1"


def ask_passphrase(prompt: str = "Passphrase: ", confirm: bool = False) -> str:
    """The passphrase from $RISKREG_PASSPHRASE (scripts) or typed at the terminal, never echoed.
    `confirm` (a new encrypted database) asks twice: a typo would lock the register for good."""
    from riskreg import core_dumps

    core_dumps.hold_passphrase()
    from_env = os.environ.get("RISKREG_PASSPHRASE")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise UserError("the database is encrypted (--encrypted): set RISKREG_PASSPHRASE or "
                        "run in a terminal")
    first = _typed(prompt)
    if not first:
        raise UserError("the passphrase is empty; nothing was changed")
    if confirm and _typed("Repeat the passphrase: ") != first:
        raise UserError("the two passphrases differ; nothing was changed")
    return first


def _typed(prompt: str) -> str:
    """One answer typed without echo; Ctrl-D or Ctrl-C stops the command in one line, before
    anything is opened or created (reliability review D14: Ctrl-D gave a traceback)."""
    import getpass

    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # getpass leaves the cursor after the prompt
        raise UserError("no passphrase given; nothing was changed") from None


def ask_yes_no(question: str) -> bool:
    """Ask on the terminal (the caller knows there is one); only "y" or "yes" is a yes, and
    Ctrl-D or Ctrl-C is a no."""
    try:
        answer = input(f"{question} [y/N] ")
    except (EOFError, KeyboardInterrupt):
        print()  # the cursor is still after the question
        return False
    return answer.strip().lower() in ("y", "yes")


def refuse_plain(path: str | Path, *, what: str = "register") -> None:
    """With --encrypted, a UserError when `path` is a plain (unencrypted) SQLite file, said before
    any passphrase is asked: without a terminal the old answer was "the database is encrypted:
    set RISKREG_PASSPHRASE", about a file that is not encrypted (new-user run, finding 30)."""
    from riskreg.storage.database import SQLITE_HEADER

    where = Path(path).expanduser()
    try:
        with where.open("rb") as fh:
            plain = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return  # missing or unreadable: the caller's own checks say so
    if plain:
        raise UserError(f"the {what} at {where.absolute()} is not encrypted: leave out --encrypted "
                        "(and unset RISKREG_ENCRYPTED); `riskreg encrypt` makes an encrypted "
                        "copy. Nothing was changed.")


def refuse_missing(path: str, *, named: bool) -> None:
    """A UserError naming `riskreg init` when there is nothing at `path` (a dangling symbolic
    link is something: open_database refuses it naming where it points)."""
    from shlex import quote

    where = Path(path).expanduser().absolute()
    if os.path.lexists(where):
        return
    if named:
        raise UserError(f"there is no register at {where} (check the path); "
                        f"`riskreg init --db {quote(str(where))}` makes a new one there. "
                        "Nothing was created.")
    raise UserError(f"there is no register yet at {where}; `riskreg init` (or starting the "
                    "app, `riskreg`) makes one. Nothing was created.")


def open_services(args: Namespace, *, create: bool = False):
    """The register's services (`services.bundle`) on the database `open_db` opens, with the
    command's clock ($RISKREG_TODAY or today); the caller closes `services.db`."""
    from riskreg.services.bundle import Services

    today = today_from_env()
    return Services(open_db(args, create=create), today=lambda: today)


def open_db(args: Namespace, *, create: bool = False):
    """Open the database named by --db / $RISKREG_DB / the default, printing its notices.

    Only the commands that make a register (`create`: init, demo, import) may create the file:
    a mistyped --db given to any other command once made an empty register and answered
    "0 tools", which reads as a register with nothing in it."""
    from riskreg.storage.database import open_database

    path = resolve_db(args)
    server = server_backend(args)
    if server is not None:
        if passphrase_wanted(args):
            raise UserError(server.encryption_words())
        return _opened(server.open(create=create))
    if not create:
        refuse_missing(path, named=bool(getattr(args, "db", None) or os.environ.get("RISKREG_DB")))
    passphrase = None
    if passphrase_wanted(args):
        refuse_plain(path)
        new = not os.path.lexists(Path(path).expanduser())
        passphrase = ask_passphrase("New passphrase: " if new else "Passphrase: ", confirm=new)
    # daily_backup: the first command of the day also takes the day's rolling copy (backups/).
    return _opened(open_database(path, passphrase=passphrase, daily_backup=True))


def _opened(db):
    """The open database, its notices printed, the command's own work begun."""
    for notice in db.notices:
        print(f"riskreg: {one_line(notice)}", file=sys.stderr)  # notices may name a path
    from riskreg import collector

    collector.resume()  # the imports are done; the command's own work begins
    return db
