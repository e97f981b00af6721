"""Where riskreg keeps its files by default."""

from pathlib import Path


def default_db_path() -> Path:
    """riskreg.db in the platform's user data folder (platformdirs, no app author folder)."""
    from platformdirs import user_data_path

    return user_data_path("riskreg", appauthor=False) / "riskreg.db"
