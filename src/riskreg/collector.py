"""Python's cyclic garbage collector around start-up: the CLI's commands and the full-screen app.

Opening the database first imports SQLAlchemy, SQLModel and the models: about 150,000 long-lived
objects and almost no cyclic garbage (the app adds its widgets and styles, and well under 1,000
objects of cyclic garbage). Measured on this project's machine, a plain `riskreg list owners`
spent about 1.3 s of CPU, of which about 0.1 s went on collections during those imports and
0.3-0.5 s on the collector's last pass over the same objects when the interpreter exits; in the
app, the collector's repeated passes cost about 15% of the CPU time to the first rows.

So start-up pauses the collector until the database is open (`StartUp.pause`, `StartUp.resume`)
and freezes what exists then (`gc.freeze`: later collections skip it); when the command returns
or the app closes (`StartUp.done`) the collector is as it was and those objects are unfrozen,
so that a process running many commands or apps, as the tests do, can still collect what they
left behind. Everything is frozen once more just before the interpreter finalizes
(`freeze_at_exit`, registered with atexit in `riskreg.cli`).

One `StartUp` per command or app: the app's start-up runs in a thread worker that can outlive
the app's closing, hence the lock, and a `resume` after `done` does not freeze again.
"""

from __future__ import annotations

import gc
import threading


class StartUp:
    """The collector's pause and freeze around one start-up (a command's or the app's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = False
        """This start-up switched the collector off (and is to switch it back on)."""
        self._frozen = False
        """This start-up froze the objects that existed when the database was open."""
        self._done = False
        """The command returned or the app closed: nothing is frozen from now on."""

    def pause(self) -> None:
        """Pause the collector for start-up (a collector someone else switched off stays off)."""
        with self._lock:
            if gc.isenabled():
                gc.disable()
                self._paused = True

    def resume(self) -> None:
        """End the pause once the database is open: what exists now lives as long as the command
        or the app, and is kept out of the collections their own work triggers."""
        with self._lock:
            if self._paused:
                self._paused = False
                if not self._done:
                    gc.freeze()
                    self._frozen = True
                gc.enable()

    def done(self) -> None:
        """The command has returned or the app has closed: the collector as it was before
        `pause`, and start-up's objects collectable again."""
        with self._lock:
            self._done = True
            if self._paused:
                self._paused = False
                gc.enable()
            if self._frozen:
                self._frozen = False
                gc.unfreeze()


_command = StartUp()
"""The CLI command being run (`riskreg.cli.main`, one at a time)."""


def pause() -> None:
    """A CLI command starts: pause the collector until its database is open."""
    global _command
    _command = StartUp()
    _command.pause()


def resume() -> None:
    """The command's database is open (`commands._db.open_db`): its own work begins."""
    _command.resume()


def command_done() -> None:
    """The command has returned (or failed): see `StartUp.done`."""
    _command.done()


def freeze_at_exit() -> None:
    """Called by atexit: interpreter finalization need not scan every object once more."""
    gc.freeze()
