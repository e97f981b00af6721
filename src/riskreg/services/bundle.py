"""The services of one open register, made together from its database and the clock: the app
builds one `Services` when the register opens and holds it; each CLI command builds its own from
the database it opened. No screen or command builds a service of its own from a database.

Each service is made the first time it is asked for: opening the register then loads only what
the first view needs (the register), and the breach workflow's and the calendar's modules load
when a screen or a command first uses them. Services hold no state beyond the database and the
clock, so two threads asking at once at worst make one twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from riskreg.storage.database import Database

if TYPE_CHECKING:
    from riskreg.services.annual_review import AnnualReviewService
    from riskreg.services.calendar import CalendarService
    from riskreg.services.changes import ChangeFeed
    from riskreg.services.incidents import IncidentService
    from riskreg.services.register import RegisterService
    from riskreg.services.risk_analysis import RiskAnalysisService
    from riskreg.services.settings import SettingsService


class Services:
    def __init__(self, db: Database, today: Callable[[], date] = date.today) -> None:
        self.db = db
        self.today = today
        """The clock every service reads (fixed by tests, screenshots and RISKREG_TODAY)."""

    @cached_property
    def register(self) -> RegisterService:
        from riskreg.services.register import RegisterService

        return RegisterService(self.db, today=self.today)

    @cached_property
    def incidents(self) -> IncidentService:
        from riskreg.services.incidents import IncidentService

        return IncidentService(self.db, today=self.today)

    @cached_property
    def settings(self) -> SettingsService:
        from riskreg.services.settings import SettingsService

        return SettingsService(self.db, today=self.today)

    @cached_property
    def risk_analysis(self) -> RiskAnalysisService:
        from riskreg.services.risk_analysis import RiskAnalysisService

        return RiskAnalysisService(self.db, today=self.today)

    @cached_property
    def annual_review(self) -> AnnualReviewService:
        from riskreg.services.annual_review import AnnualReviewService

        return AnnualReviewService(self.db, today=self.today)

    @cached_property
    def calendar(self) -> CalendarService:
        from riskreg.services.calendar import CalendarService

        return CalendarService(self.db, today=self.today)

    @cached_property
    def changes(self) -> ChangeFeed:
        from riskreg.services.changes import change_feed

        return change_feed(self.db)
