"""The starter catalog: tool, hazard and safeguard templates shipped in `data/catalog/`.

Pure Python (stdlib, `riskreg.datafiles` and `riskreg.domain.vocabulary` only). `load_catalog()`
reads the three JSON files and checks them before anything uses them; a broken file raises
`ValueError` naming the file, the key and the problem. The catalog's vocabulary (the value ->
label dictionaries) lives in `riskreg.domain.vocabulary`.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from riskreg.datafiles import load_json
from riskreg.domain.vocabulary import (
    AI_TOOL_CATEGORIES,
    BAA_STATUSES,
    REQUIREMENTS,
    REVIEW_CADENCES_MONTHS,
    SAFEGUARD_CATEGORIES,
    TOOL_CATEGORIES,
    TREATMENTS,
)

# "45 CFR 164.308(a)(1)(ii)(A)", "45 CFR 164.312(b)", "45 CFR 164.502(b)"; "" when no HIPAA
# provision applies (the description then says why).
CITATION_PATTERN = re.compile(r"45 CFR 164\.\d{3}(\([a-zA-Z0-9]+\))+")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,79}")
SCORE_RANGE = range(1, 6)
VERIFICATION_CADENCE_RANGE = range(1, 121)

TOOLS_FILE = "tools.json"
HAZARDS_FILE = "hazards.json"
SAFEGUARDS_FILE = "safeguards.json"


@dataclass(frozen=True)
class ToolTemplate:
    """A kind of tool or system a solo practice is likely to use."""

    key: str
    name: str
    vendor: str
    category: str
    handles_phi: bool
    baa_status: str
    notes: str

    @property
    def is_ai(self) -> bool:
        return self.category in AI_TOOL_CATEGORIES


PROPOSED_RULE_TAG = "proposed rule"
"""The tag of a safeguard the January 2025 Security Rule NPRM (90 FR 898, RIN 0945-AA22) would
make required. A proposal is not law: the safeguard stays addressable, and is shown as
"proposed rule", never as required (findings/rules-2026.md section 1.1)."""

APPLIES_WHEN = {
    "": "always (in the starter register)",
    "part2_records": "when the practice holds 42 CFR Part 2 records (a setting)",
    "federal_assistance": "when the practice receives federal financial assistance (a setting)",
    "optional": "offered among a hazard's suggestions, never added on its own",
}
"""When a catalog safeguard belongs in a practice's register. Any but "" is left out of the
starter register and the demo and offered among its hazards' suggestions when it applies."""


@dataclass(frozen=True)
class SafeguardTemplate:
    """A measure that answers one or more hazards, with the Security Rule citation it serves."""

    key: str
    title: str
    description: str
    category: str
    citation: str
    requirement: str
    verification_cadence_months: int
    proposed_rule: str = ""
    """What the Security Rule NPRM would change ("" if nothing): tagged PROPOSED_RULE_TAG."""
    applies_when: str = ""
    """A key of APPLIES_WHEN."""

    @property
    def tags(self) -> tuple[str, ...]:
        return (PROPOSED_RULE_TAG,) if self.proposed_rule else ()

    def applies(self, settings: dict[str, Any]) -> bool:
        """Whether it is offered to a practice with these settings (optional ones always are)."""
        if self.applies_when in ("", "optional"):
            return True
        return bool(settings.get(self.applies_when))


@dataclass(frozen=True)
class HazardTemplate:
    """Something that could go wrong, with inherent and target scores (likelihood x impact)."""

    key: str
    title: str
    description: str
    threat_source: str
    vulnerability: str
    likelihood: int
    impact: int
    target_likelihood: int
    target_impact: int
    treatment: str
    review_cadence_months: int
    tools: tuple[str, ...]
    safeguards: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def target_score(self) -> int:
        return self.target_likelihood * self.target_impact


@dataclass(frozen=True)
class Catalog:
    """The whole starter catalog; every key a hazard names resolves (checked by `load_catalog`)."""

    tools: tuple[ToolTemplate, ...]
    hazards: tuple[HazardTemplate, ...]
    safeguards: tuple[SafeguardTemplate, ...]

    def tool(self, key: str) -> ToolTemplate:
        return _find(self.tools, key, TOOLS_FILE)

    def hazard(self, key: str) -> HazardTemplate:
        return _find(self.hazards, key, HAZARDS_FILE)

    def safeguard(self, key: str) -> SafeguardTemplate:
        return _find(self.safeguards, key, SAFEGUARDS_FILE)

    @property
    def starter_safeguards(self) -> tuple[SafeguardTemplate, ...]:
        """The safeguards of the starter register and the demo (not the conditional ones)."""
        return tuple(s for s in self.safeguards if not s.applies_when)

    def starter_links(self, hazard: "HazardTemplate") -> tuple[str, ...]:
        """The keys of a hazard's safeguards that the starter register and the demo link."""
        starter = {s.key for s in self.starter_safeguards}
        return tuple(key for key in hazard.safeguards if key in starter)

    def safeguards_for(self, hazard_key: str) -> tuple[SafeguardTemplate, ...]:
        """The safeguards suggested for a hazard, in the order the hazard lists them."""
        return tuple(self.safeguard(key) for key in self.hazard(hazard_key).safeguards)

    def hazards_answered_by(self, safeguard_key: str) -> tuple[HazardTemplate, ...]:
        """The hazards that list this safeguard."""
        self.safeguard(safeguard_key)
        return tuple(h for h in self.hazards if safeguard_key in h.safeguards)

    def hazards_concerning(self, tool_key: str) -> tuple[HazardTemplate, ...]:
        """The hazards that list this tool."""
        self.tool(tool_key)
        return tuple(h for h in self.hazards if tool_key in h.tools)


@cache
def _proposed_rules() -> dict[str, str]:
    try:
        return {s.key: s.proposed_rule for s in load_catalog().safeguards if s.proposed_rule}
    except (ValueError, OSError):  # a broken catalog file: shown where the catalog is used
        return {}


def proposed_rule_of(catalog_key: str | None) -> str:
    """What the Security Rule NPRM would change for the catalog safeguard `catalog_key` ("" for
    none, or for a safeguard not from the catalog): a proposal, never shown as required."""
    return _proposed_rules().get(catalog_key or "", "")


def _find(items: tuple[Any, ...], key: str, filename: str) -> Any:
    for item in items:
        if item.key == key:
            return item
    raise KeyError(f"{filename} has no entry {key!r}")


def load_catalog(folder: Path | None = None) -> Catalog:
    """Read and check the starter catalog: the shipped one, or the three files in `folder`.

    Checks: unique keys, every tool and safeguard a hazard names exists, scores 1-5 with target
    no higher than inherent, values from the vocabularies above, citation format.
    Raises ValueError("<file>: <key>: <problem>") on the first problem found.
    """
    tools = tuple(_tool(entry) for entry in _entries(folder, TOOLS_FILE))
    safeguards = tuple(_safeguard(entry) for entry in _entries(folder, SAFEGUARDS_FILE))
    hazards = tuple(_hazard(entry) for entry in _entries(folder, HAZARDS_FILE))
    _check_unique(tools, TOOLS_FILE)
    _check_unique(safeguards, SAFEGUARDS_FILE)
    _check_unique(hazards, HAZARDS_FILE)
    tool_keys = {t.key for t in tools}
    safeguard_keys = {s.key for s in safeguards}
    for hazard in hazards:
        for key in hazard.tools:
            if key not in tool_keys:
                _fail(HAZARDS_FILE, hazard.key, f"tool {key!r} is not in {TOOLS_FILE}")
        for key in hazard.safeguards:
            if key not in safeguard_keys:
                _fail(HAZARDS_FILE, hazard.key, f"safeguard {key!r} is not in {SAFEGUARDS_FILE}")
    return Catalog(tools=tools, hazards=hazards, safeguards=safeguards)


class _Entry:
    """One JSON object being read, so each problem names its file and key."""

    def __init__(self, filename: str, index: int, raw: Any) -> None:
        self.filename = filename
        if not isinstance(raw, dict):
            _fail(filename, f"entry #{index + 1}", "is not a JSON object")
        self.raw: dict[str, Any] = raw
        key = raw.get("key")
        self.key = key if isinstance(key, str) and key else f"entry #{index + 1}"

    def fail(self, problem: str) -> NoReturn:
        _fail(self.filename, self.key, problem)

    def expect_fields(self, fields: tuple[str, ...]) -> None:
        missing = [f for f in fields if f not in self.raw]
        if missing:
            self.fail(f"missing field(s): {', '.join(missing)}")
        unknown = sorted(set(self.raw) - set(fields))
        if unknown:
            self.fail(f"unknown field(s): {', '.join(unknown)}")

    def text(self, field: str, *, allow_empty: bool = False) -> str:
        value = self.raw[field]
        if not isinstance(value, str):
            self.fail(f"{field} must be text, not {type(value).__name__}")
        if not allow_empty and not value.strip():
            self.fail(f"{field} is empty")
        return value

    def key_field(self) -> str:
        value = self.text("key")
        if not KEY_PATTERN.fullmatch(value):
            self.fail("key must be lower_snake_case (a-z, 0-9, _), at most 80 characters")
        return value

    def choice(self, field: str, options: Any) -> str:
        value = self.raw[field]
        if not isinstance(value, str) or value not in options:
            self.fail(f"{field} {value!r} is not one of: {', '.join(options)}")
        return value

    def boolean(self, field: str) -> bool:
        value = self.raw[field]
        if not isinstance(value, bool):
            self.fail(f"{field} must be true or false, not {value!r}")
        return value

    def integer(self, field: str, allowed: range | tuple[int, ...]) -> int:
        value = self.raw[field]
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            if isinstance(allowed, range):
                wanted = f"a whole number from {allowed.start} to {allowed.stop - 1}"
            else:
                wanted = "one of " + ", ".join(str(a) for a in allowed)
            self.fail(f"{field} must be {wanted}, not {value!r}")
        return value

    def keys(self, field: str, *, at_least_one: bool) -> tuple[str, ...]:
        value = self.raw[field]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{field} must be a list of keys")
        if at_least_one and not value:
            self.fail(f"{field} is empty: list at least one")
        if len(set(value)) != len(value):
            self.fail(f"{field} lists a key twice")
        return tuple(value)


def _fail(filename: str, key: str, problem: str) -> NoReturn:
    raise ValueError(f"{filename}: {key}: {problem}")


def _entries(folder: Path | None, filename: str) -> list[_Entry]:
    try:
        if folder is None:
            data = load_json(f"catalog/{filename}")
        else:
            with (folder / filename).open(encoding="utf-8") as fh:
                data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{filename}: not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        # ValueError, not TypeError: callers catch one exception for any broken catalog file.
        raise ValueError(f"{filename}: must be a JSON list of entries")  # noqa: TRY004
    return [_Entry(filename, index, raw) for index, raw in enumerate(data)]


def _check_unique(items: tuple[Any, ...], filename: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            _fail(filename, item.key, "key is used more than once")
        seen.add(item.key)


_TOOL_FIELDS = ("key", "name", "vendor", "category", "handles_phi", "baa_status", "notes")


def _tool(entry: _Entry) -> ToolTemplate:
    entry.expect_fields(_TOOL_FIELDS)
    tool = ToolTemplate(
        key=entry.key_field(),
        name=entry.text("name"),
        vendor=entry.text("vendor", allow_empty=True),
        category=entry.choice("category", TOOL_CATEGORIES),
        handles_phi=entry.boolean("handles_phi"),
        baa_status=entry.choice("baa_status", BAA_STATUSES),
        notes=entry.text("notes", allow_empty=True),
    )
    if not tool.handles_phi and tool.baa_status != "not_needed":
        entry.fail(f"baa_status {tool.baa_status!r} for a tool that does not handle PHI")
    return tool


_SAFEGUARD_FIELDS = (
    "key",
    "title",
    "description",
    "category",
    "citation",
    "requirement",
    "verification_cadence_months",
)
_SAFEGUARD_OPTIONAL = ("proposed_rule", "applies_when")


def _safeguard(entry: _Entry) -> SafeguardTemplate:
    entry.expect_fields(_SAFEGUARD_FIELDS + tuple(f for f in _SAFEGUARD_OPTIONAL
                                                  if f in entry.raw))
    citation = entry.text("citation", allow_empty=True)
    if citation and not CITATION_PATTERN.fullmatch(citation):
        entry.fail(f"citation {citation!r} is not like '45 CFR 164.308(a)(1)(ii)(A)'")
    proposed = entry.text("proposed_rule") if "proposed_rule" in entry.raw else ""
    if proposed and entry.raw["requirement"] != "addressable":
        # A proposal is not law: only what is addressable today can carry the tag.
        entry.fail("proposed_rule on a safeguard that is not addressable today")
    applies = (entry.choice("applies_when", APPLIES_WHEN) if "applies_when" in entry.raw
               else "")
    return SafeguardTemplate(
        proposed_rule=proposed,
        applies_when=applies,
        key=entry.key_field(),
        title=entry.text("title"),
        description=entry.text("description"),
        category=entry.choice("category", SAFEGUARD_CATEGORIES),
        citation=citation,
        requirement=entry.choice("requirement", REQUIREMENTS),
        verification_cadence_months=entry.integer(
            "verification_cadence_months", VERIFICATION_CADENCE_RANGE
        ),
    )


_HAZARD_FIELDS = (
    "key",
    "title",
    "description",
    "threat_source",
    "vulnerability",
    "likelihood",
    "impact",
    "target_likelihood",
    "target_impact",
    "treatment",
    "review_cadence_months",
    "tools",
    "safeguards",
)


def _hazard(entry: _Entry) -> HazardTemplate:
    entry.expect_fields(_HAZARD_FIELDS)
    hazard = HazardTemplate(
        key=entry.key_field(),
        title=entry.text("title"),
        description=entry.text("description"),
        threat_source=entry.text("threat_source"),
        vulnerability=entry.text("vulnerability"),
        likelihood=entry.integer("likelihood", SCORE_RANGE),
        impact=entry.integer("impact", SCORE_RANGE),
        target_likelihood=entry.integer("target_likelihood", SCORE_RANGE),
        target_impact=entry.integer("target_impact", SCORE_RANGE),
        treatment=entry.choice("treatment", TREATMENTS),
        review_cadence_months=entry.integer("review_cadence_months", REVIEW_CADENCES_MONTHS),
        tools=entry.keys("tools", at_least_one=False),
        safeguards=entry.keys("safeguards", at_least_one=True),
    )
    if hazard.target_likelihood > hazard.likelihood:
        entry.fail(
            f"target_likelihood {hazard.target_likelihood} is higher than "
            f"likelihood {hazard.likelihood}"
        )
    if hazard.target_impact > hazard.impact:
        entry.fail(
            f"target_impact {hazard.target_impact} is higher than impact {hazard.impact}"
        )
    return hazard
