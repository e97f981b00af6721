"""The breach workflow's use cases (see `service`); the import path `riskreg.services.incidents`
stays the one the CLI, the screens and the reports use."""

from riskreg.services.incidents.record import DEFAULT_TARGET_DAYS, RETENTION_YEARS, current_warnings
from riskreg.services.incidents.service import IncidentService

__all__ = ["DEFAULT_TARGET_DAYS", "RETENTION_YEARS", "IncidentService", "current_warnings"]
