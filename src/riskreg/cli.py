"""Command-line entry point: `riskreg` starts the TUI; subcommands serve scripts and counsel.

Only argparse and the standard library are imported here. Each subcommand lives in
`riskreg.commands.<name>` and imports what it needs inside its `run`, so `--version`, `--help` and
the deadline calculator answer without loading Textual or SQLModel.
"""

import argparse
import atexit
import importlib
import sys
from collections.abc import Sequence

from riskreg import __version__, collector, core_dumps
from riskreg.errors import UserError, one_line

atexit.register(collector.freeze_at_exit)

# Subcommand modules, in the order `--help` lists them. Each defines `add_command(sub, common)`.
# (`import_` registers the `import` command: `import` is a Python keyword.)
COMMANDS: tuple[str, ...] = ("init", "demo", "list", "due", "audit", "deadlines", "encrypt", "incidents",
                             "export", "import_", "report", "notices", "risk_analysis", "settings", "backup",
                             "restore")


AREAS = ("dashboard", "tools", "hazards", "safeguards", "owners", "consents", "incidents")
"""The app's areas, for --area (the ids of `riskreg.ui.areas.AREAS`, which a test compares:
listed here so that the parser does not import Textual)."""


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors show what the user typed escaped (`errors.one_line`):
    "unrecognized arguments: ..." repeats it as it was, control characters included."""

    def error(self, message: str):  # type: ignore[override]
        super().error(one_line(message))


def _common_options(suppress_defaults: bool) -> argparse.ArgumentParser:
    """Options accepted before or after any subcommand (`riskreg --db X list` = `riskreg list --db X`).

    On subparsers the default is SUPPRESS, so a value given before the subcommand is not reset.
    """
    parent = Parser(add_help=False)
    default = argparse.SUPPRESS if suppress_defaults else None
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="database file, or a postgresql://user@host:port/dbname URL (default: $RISKREG_DB, "
        "else riskreg.db in your user data folder)",
    )
    parent.add_argument(
        "--encrypted",
        action="store_true",
        default=argparse.SUPPRESS if suppress_defaults else False,
        help="the database is encrypted (SQLCipher; needs riskreg[encrypted]); the passphrase is "
        "asked for, or read from $RISKREG_PASSPHRASE. Also on when $RISKREG_ENCRYPTED=1",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="riskreg",
        description="A living HIPAA risk register and breach-notification workflow for a solo "
        "practice. Without a subcommand, starts the full-screen app.",
        epilog="Not legal advice: riskreg supports the practitioner's decisions; it does not make them.",
        parents=[_common_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"riskreg {__version__}")
    parser.add_argument(
        "--area", choices=AREAS, metavar="AREA",
        help="the full-screen app opens on this area instead of the dashboard: "
        + ", ".join(AREAS),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common_options(suppress_defaults=True)
    for name in COMMANDS:
        importlib.import_module(f"riskreg.commands.{name}").add_command(sub, common)
    return parser


def _command_parser(parser: argparse.ArgumentParser,
                    args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the (sub)command `args` chose, e.g. `riskreg incidents show`'s."""
    while True:
        chosen = None
        for action in parser._actions:  # argparse keeps no public list of its subcommands
            if isinstance(action, argparse._SubParsersAction):
                chosen = action.choices.get(getattr(args, action.dest, None) or "")
        if chosen is None:
            return parser
        parser = chosen


class _QuietParser(argparse.ArgumentParser):
    """A parser whose every error is raised, never printed: `parse_args` then hands the command
    line to the full parser, which says what is wrong. (exit_on_error=False alone does not cover
    every error: "ambiguous option" still prints and exits.)"""

    def error(self, message: str):  # type: ignore[override]
        raise argparse.ArgumentError(None, message)


def _app_parser() -> argparse.ArgumentParser:
    """The options of `riskreg` without a command (the app), without the subcommands: see
    `parse_args`."""
    parser = _QuietParser(prog="riskreg", add_help=False, exit_on_error=False,
                          parents=[_common_options(suppress_defaults=False)])
    parser.add_argument("--area", choices=AREAS)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, read as `build_parser()` reads it.

    Starting the app (no command) is the common case, and the full parser imports every
    command's module to register its options (about 25 ms before the app's first frame): a
    command line the app's own options cover entirely is read with those alone. Anything else
    (a command, --help, --version, a mistake) goes to the full parser, which also words every
    error."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not any(arg.startswith(("-h", "--h", "--v")) for arg in args_list):
        try:
            args, rest = _app_parser().parse_known_args(args_list)
        except argparse.ArgumentError:
            rest = ["(an error: the full parser says which)"]
        if not rest:
            args.command = None
            return args
    parser = build_parser()
    args, rest = parser.parse_known_args(args_list)
    if rest:
        # argparse says "unrecognized arguments" with the top-level usage; the usage of the
        # command the user was typing is the one that helps (new-user run, finding 30).
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command is not None and args.area is not None:
        parser.error("--area is for the full-screen app (riskreg without a command)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    core_dumps.disable()  # before anything is read: the register, a passphrase
    args = parse_args(argv)
    try:
        if args.command is None:
            from riskreg.commands.tui import run_tui

            return run_tui(args)
        collector.pause()  # until the database is open (commands._db.open_db): see collector
        return int(args.run(args) or 0)
    except UserError as exc:
        print(f"riskreg: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("riskreg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `riskreg list --json | head` closing the pipe is not an error worth a traceback.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # A refusal by the operating system that no command turned into its own message (a
        # file name longer than the file system allows, ...): one line, never a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"riskreg: {UserError(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 1
    finally:
        collector.command_done()
