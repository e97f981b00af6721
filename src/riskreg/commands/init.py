"""`riskreg init [--starter]`: create the database, optionally with the starter register."""

from argparse import Namespace

from riskreg.errors import one_line


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "init", parents=[common], help="create the database (and load the starter register)",
        description="Create the database if it does not exist and bring it up to date. With "
        "--starter, load the starter register (tools, hazards, safeguards for a solo therapy "
        "practice) into it; refused if the register already has records.",
    )
    p.add_argument("--starter", action="store_true", help="load the starter register")
    p.set_defaults(run=run)


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_db, resolve_db
    from riskreg.services.register import RegisterService
    from riskreg.storage.files import check_database_path

    check_database_path(resolve_db(args))  # before it is created: not a FIFO, a -wal, a copy
    db = open_db(args, create=True)
    try:
        if not args.starter:
            print(f"Database ready: {one_line(db.where)}")
            return 0
        from riskreg.services.starter import load_starter

        counts = load_starter(RegisterService(db))
    finally:
        db.close()
    print(f"Starter register loaded into {one_line(db.where)}: " + ", ".join(
        f"{n} {kind if n != 1 else kind.removesuffix('s')}" for kind, n in counts.items()) + ".")
    print("Archive what your practice does not use, and fill in your BAAs and owners.")
    return 0
