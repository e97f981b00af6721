"""Locate the shipped content (`data/`) from a source checkout or an installed wheel.

Kept free of heavy imports: the deadline calculator uses it and must answer fast.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir() -> Path:
    """The folder holding the starter catalog and the rules tables.

    A wheel carries it as `riskreg/_data` (see pyproject.toml); a source checkout or an editable
    install finds the top-level `data/` two levels above the package.
    """
    for candidate in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent / "data"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "riskreg's data folder is missing: reinstall the package (pip install riskreg)."
    )


def load_json(relative: str) -> Any:
    """Parse one shipped JSON file, e.g. `load_json("catalog/hazards.json")`."""
    with (data_dir() / relative).open(encoding="utf-8") as fh:
        return json.load(fh)
