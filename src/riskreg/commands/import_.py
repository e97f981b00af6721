"""`riskreg import json FILE [--merge] [--check]`: bring a JSON export back in.

(The module is `import_` because `import` is a Python keyword; the command is `import`.)
"""

from __future__ import annotations

import argparse
import sys
from argparse import Namespace

from riskreg.domain.text import plural
from riskreg.errors import UserError, one_line

DESCRIPTION = """\
Import a JSON export (riskreg export json). The whole file is checked first: the format version,
every field's type, every reference to another record, the register's own rules and the audit
log's hash chain. A bad file is refused naming what is wrong and where (e.g.
"tables.hazard[3].likelihood (hazard <public id>): 7 is not 1-5"); nothing is written unless everything is valid, and
everything is written in one transaction.

Into an empty database, the file is copied as it is, audit log included, so the chain still
verifies and ends at the same hash as the original.

A database that already holds records is refused unless --merge is given. Merge never duplicates
a record with the same public id: the higher revision wins (the file's record replaces this
database's only if its revision is higher; otherwise this database's is kept and reported). The
file's audit log is not copied into this database's; instead one "import" event is added per
record added or replaced, and one summary event naming the file and the last hash of its chain.
"""

EPILOG = """\
examples:
  riskreg import json riskreg-export.json --db new.db
  riskreg import json laptop-export.json --merge
  riskreg import json riskreg-export.json --check      # check only: list every problem
"""


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "import", parents=[common],
        help="import a JSON export (into an empty database, or --merge)",
        description="Import data exported by riskreg.",
    )
    actions = p.add_subparsers(dest="import_action", metavar="FORMAT")
    j = actions.add_parser(
        "json", parents=[common], help="a riskreg JSON export", description=DESCRIPTION,
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    j.add_argument("file", metavar="FILE", help="the export to import")
    j.add_argument("--merge", action="store_true",
                   help="merge into a database that already holds records")
    j.add_argument("--check", action="store_true",
                   help="only check the file and list every problem; change nothing")
    j.set_defaults(run_action=_run_json)
    p.set_defaults(run=run, import_parser=p)


def run(args: Namespace) -> int:
    if getattr(args, "import_action", None) is None:
        args.import_parser.print_usage(sys.stderr)
        print("riskreg import: choose a format: json", file=sys.stderr)
        return 2
    return args.run_action(args)


def _run_json(args: Namespace) -> int:
    if args.check:
        return _check(args)
    from riskreg.commands._db import open_db
    from riskreg.services.transfer import import_json

    db = open_db(args, create=True)
    try:
        result = import_json(db, args.file, merge=args.merge)
    except (UserError, OSError):
        db.close()
        if not db.existed and db.path is not None:  # a file this command made
            _remove_new_database(db.path)
        raise
    finally:
        db.close()
    print(describe(result, one_line(args.file), one_line(db.where)))
    return 0 if result.audit is None or result.audit.ok else 1


def _remove_new_database(path) -> None:
    """A refused import into a database this command created leaves no empty database behind
    ("nothing was changed" stays true). Only files this very command made are removed."""
    from pathlib import Path

    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check(args: Namespace) -> int:
    from riskreg.services.transfer import check_file
    from riskreg.services.transfer_check import FileProblems

    try:
        checked = check_file(args.file)
    except FileProblems as problems:
        for line in problems.problems:
            print(one_line(line))  # a problem may quote the file's own text
        print(f"riskreg: {one_line(args.file)} cannot be imported: "
              f"{plural(len(problems.problems), 'problem')} listed above", file=sys.stderr)
        return 2
    records = sum(len(rows) for rows in checked.tables.values())
    print(f"{one_line(args.file)} is a valid riskreg export: {plural(records, 'record')}, "
          f"{plural(len(checked.audit_log), 'audit event')} (exported {checked.exported_at}). "
          f"Its audit log verifies.")
    return 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def describe(result, source: str, target: str) -> str:
    """What an import did, in one paragraph."""
    check = result.audit
    chain = (f"Audit log intact: {plural(check.checked, 'event')}, last hash {check.last_hash[:16]}."
             if check.ok else f"Audit log BROKEN: {check.problem}.")
    if not result.merged:
        return (f"Imported {_plural(result.records_added, 'record')} and "
                f"{_plural(result.events_copied, 'audit event')} from {source} into {target}. "
                + chain)
    text = (f"Merged {source} into {target}: {result.records_added} added, "
            f"{result.records_replaced} replaced (higher revision in the file), "
            f"{result.unchanged} unchanged, {len(result.kept)} kept as in this database")
    if result.kept:
        shown = ", ".join(f"{table} {public_id[:8]}" for table, public_id in result.kept[:5])
        more = f" and {len(result.kept) - 5} more" if len(result.kept) > 5 else ""
        text += f" ({shown}{more})"
    return text + ". " + chain
