"""Printing what the register holds: nothing from the data reaches the terminal raw.

A register may hold terminal escape sequences (written by an older version, or by editing the
file): a title could set the window's title or clear the screen. Text is printed through
`errors.one_line` (escaped) and JSON through `domain.text.json_escaped`.
"""

import json
from typing import Any

from riskreg.domain.text import json_escaped


def print_json(value: Any) -> None:
    """`value` as indented JSON on stdout (non-ASCII letters as they are, controls escaped)."""
    print(json_escaped(json.dumps(value, indent=2, ensure_ascii=False)))
