"""`riskreg notices ...`: the notices an incident needs. (Minimal group on the notices branch:
the letters branch brings the full module; its `add_command` calls
`notices_other.add_other_notice_commands(kinds, common)`.)"""

from __future__ import annotations

import sys
from argparse import Namespace


def add_command(sub, common) -> None:
    from riskreg.commands.notices_other import add_other_notice_commands

    p = sub.add_parser("notices", parents=[common], help="write an incident's notices",
                       description="Write the notices an incident needs, from its facts.")
    kinds = p.add_subparsers(dest="notices_kind", metavar="WHAT")
    add_other_notice_commands(kinds, common)
    p.set_defaults(run=run, notices_parser=p)


def run(args: Namespace) -> int:
    args.notices_parser.print_usage(sys.stderr)
    print("riskreg notices: choose a notice: substitute, media, hhs", file=sys.stderr)
    return 2
