"""Others' changes appear (issue 22 item 6): the app asks the register's change feed
(services/changes.py) every few seconds, in a thread, and reloads what it shows when another
window or connection changed the register. The app's own saves move the feed too: that costs
one more reload of what is already shown, never a lost change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskreg.services.changes import ChangeFeed, Token

DEFAULT_SECONDS = 3.0


class ChangePoll:
    def __init__(self, app: Any, feed: ChangeFeed, seconds: float = DEFAULT_SECONDS) -> None:
        self.app = app
        self.feed = feed
        self.seconds = seconds
        self.token: Token | None = None
        self._timer: Any = None

    def start(self, token: Token | None) -> None:
        """Poll from `token` (taken when the register opened, in the opening thread)."""
        self.token = token
        if self._timer is None:
            self._timer = self.app.set_interval(self.seconds, self._tick, name="change-poll")

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self.app.run_worker(self._check, thread=True, exclusive=True, group="change-poll",
                            exit_on_error=False)

    def _check(self) -> None:
        from riskreg.errors import UserError

        try:
            new = self.feed.changes_since(self.token)
        except UserError:  # the file is busy or gone for a moment: ask again next time
            return
        if new is None:
            return
        self.token = new
        self.app.call_from_thread(self.app.register_changed, "all")
