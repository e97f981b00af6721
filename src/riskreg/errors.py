"""Errors a user can cause. Each carries a message they can act on; the CLI prints it as one line
and the TUI shows it as a notification. Never a traceback for these."""

from riskreg.domain.text import escaped


def one_line(text: str) -> str:
    """`text` with control characters, reordering characters and line breaks escaped (a newline
    shows as \\n): what the user gave (a path, a reference) or the register holds would otherwise
    split the CLI's one-line message or drive the terminal."""
    return escaped(text)


def sentence(text: str) -> str:
    """A message as a sentence: capitalised, ending with a full stop. Some rules word theirs as
    a fragment ("a review cannot be dated in the future"), to follow a field name."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?)" else text + "."


class UserError(Exception):
    """A problem with what the user asked for or gave us. `exit_code` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(one_line(message))
        if exit_code is not None:
            self.exit_code = exit_code


class BadInput(UserError):
    """A flag, field or file the user gave is invalid (exit status 2, as for argparse errors)."""

    exit_code = 2


class ValidationError(BadInput):
    """A record field failed validation. `field` names it so a form can show the error beside it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class NotFound(UserError):
    """No record with that public id or reference."""


class ConflictError(UserError):
    """The record changed elsewhere since it was read (its revision moved): no silent overwrite."""


class DatabaseError(UserError):
    """The database file cannot be used: not SQLite, damaged, newer than this app, not writable."""


class DatabaseDamaged(DatabaseError):
    """SQLite finds the file damaged (a malformed page, not a database after its header): the
    message names the newest good backup copy and how to put it back."""


class DatabaseBusy(DatabaseError):
    """Another connection held the write lock for the whole busy timeout: nothing was written."""


class WrongPassphrase(DatabaseError):
    """The passphrase does not open the encrypted database (the app asks again)."""
