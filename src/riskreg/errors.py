"""Errors a user can cause. Each carries a message they can act on; the CLI prints it as one line
and the TUI shows it as a notification. Never a traceback for these."""


class UserError(Exception):
    """A problem with what the user asked for or gave us. `exit_code` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
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


class WrongPassphrase(DatabaseError):
    """The passphrase does not open the encrypted database (the app asks again)."""
