"""`riskreg audit verify`: check the audit log's hash chain."""

from argparse import Namespace


def register(sub, common) -> None:
    p = sub.add_parser("audit", parents=[common], help="check the audit log",
                       description="The audit log records every change, chained by hashes.")
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", parents=[common], help="verify the hash chain (exit 1 naming the first bad event)"
    )
    verify.set_defaults(run=run)


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_db
    from riskreg.storage import audit

    db = open_db(args)
    try:
        with db.reading() as session:
            result = audit.verify(session)
    finally:
        db.close()
    if result.ok:
        print(f"Audit log intact: {result.checked} events checked; last hash {result.last_hash[:16]}.")
        return 0
    print(f"Audit log BROKEN: {result.problem}. {result.checked} events before it verified.")
    return 1
