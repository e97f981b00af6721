"""Where riskreg keeps its files by default."""

from pathlib import Path


def default_db_path() -> Path:
    """riskreg.db in the platform's user data folder (platformdirs, no app author folder)."""
    from platformdirs import user_data_path

    return user_data_path("riskreg", appauthor=False) / "riskreg.db"


def preferences_path() -> Path:
    """preferences.json in the platform's user config folder: what the app remembers between
    runs that is not the register's (the theme). Never client data."""
    from platformdirs import user_config_path

    return user_config_path("riskreg", appauthor=False) / "preferences.json"
