"""What the app remembers between runs that belongs to the person, not the register: the theme
chosen in the command palette (new-user run, finding 12: it was back to the default at the next
start). A small JSON file in the user config folder, private (0600), written whole or not at all.
A missing, unreadable or damaged file is the defaults: a preference is never worth a refusal."""

from __future__ import annotations

import json
from typing import Any

from riskreg.paths import preferences_path


def load() -> dict[str, Any]:
    try:
        data = json.loads(preferences_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def theme() -> str | None:
    name = load().get("theme")
    return name if isinstance(name, str) else None


def remember_theme(name: str) -> str | None:
    """Save the theme; a problem (a read-only folder, a full disk) as one sentence, else None."""
    from riskreg.storage.files import ensure_private_dir, write_atomic

    path = preferences_path()
    data = {**load(), "theme": name}
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, json.dumps(data, indent=2).encode("utf-8"))
    except Exception as error:  # noqa: BLE001 (said, never raised: the theme is already shown)
        return f"The theme could not be remembered for next time: {error}"
    return None
