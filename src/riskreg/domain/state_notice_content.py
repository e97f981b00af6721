"""What a state requires a breach letter to its residents to look like or to offer
(data/state_notice_content.json): a required title and headings (California, Cal. Civ. Code
1798.82(d)), an offer of credit monitoring when Social Security numbers were involved
(Connecticut, Delaware, Massachusetts). Each entry is cited, dated and flagged "verify with
counsel"; `parse_content` refuses a malformed table with a ValueError naming the state and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from riskreg.datafiles import load_json

PARTS = ("what_happened", "what_involved", "what_we_do", "what_you_can_do", "more_info")
"""The five parts of a letter, for 45 CFR 164.404(c)(1)(A)-(E)."""

DEFAULT_HEADINGS = {
    "what_happened": "What happened",
    "what_involved": "What information was involved",
    "what_you_can_do": "What you can do",
    "what_we_do": "What we are doing",
    "more_info": "For more information",
}
DEFAULT_ORDER = ("what_happened", "what_involved", "what_you_can_do", "what_we_do", "more_info")
"""The order of the practice's drafts (data/templates/individual-notice.md)."""


@dataclass(frozen=True)
class StateContent:
    code: str
    name: str
    citation: str
    reviewed_on: date
    verify: bool
    title: str = ""
    headings: Mapping[str, str] | None = None
    order: tuple[str, ...] = DEFAULT_ORDER
    min_font_pt: int | None = None
    monitoring_months: int = 0
    monitoring_when: frozenset[str] = frozenset()
    note: str = ""

    def heading(self, part: str) -> str:
        return (self.headings or {}).get(part) or DEFAULT_HEADINGS[part]

    def monitoring_for(self, phi_types: list[str] | tuple[str, ...]) -> int:
        """The months of credit monitoring the letter must offer for these data types (0: none)."""
        return self.monitoring_months if self.monitoring_when & set(phi_types) else 0


def _field(code: str, name: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"state_notice_content.json: {code}: {name} is malformed")
    return value


def _entry(code: str, raw: Mapping[str, Any]) -> StateContent:
    _field(code, "the entry", raw, dict)
    headings = raw.get("headings")
    if headings is not None:
        _field(code, "headings", headings, dict)
        if set(headings) - set(PARTS):
            raise ValueError(f"state_notice_content.json: {code}: headings names an unknown part")
    order = tuple(raw.get("order") or DEFAULT_ORDER)
    if sorted(order) != sorted(PARTS):
        raise ValueError(f"state_notice_content.json: {code}: order must list the five parts")
    monitoring = raw.get("credit_monitoring") or {}
    _field(code, "credit_monitoring", monitoring, dict)
    try:
        reviewed = date.fromisoformat(_field(code, "reviewed_on", raw.get("reviewed_on"), str))
    except ValueError:
        raise ValueError(f"state_notice_content.json: {code}: reviewed_on is not a date") from None
    return StateContent(
        code=code,
        name=_field(code, "name", raw.get("name"), str),
        citation=_field(code, "citation", raw.get("citation"), str),
        reviewed_on=reviewed,
        verify=bool(raw.get("verify", True)),
        title=_field(code, "title", raw.get("title", ""), str),
        headings=headings,
        order=order,
        min_font_pt=raw.get("min_font_pt"),
        monitoring_months=int(_field(code, "credit_monitoring.months",
                                     monitoring.get("months", 0), int)),
        monitoring_when=frozenset(_field(code, "credit_monitoring.when",
                                         monitoring.get("when", []), list)),
        note=_field(code, "note", raw.get("note", ""), str),
    )


def parse_content(raw: Mapping[str, Any]) -> dict[str, StateContent]:
    states = _field("table", "states", raw.get("states"), dict)
    return {code: _entry(code, entry) for code, entry in states.items()}


@cache
def state_notice_content() -> dict[str, StateContent]:
    """Every state with letter content on file, by its 2-letter code."""
    return parse_content(load_json("state_notice_content.json"))
