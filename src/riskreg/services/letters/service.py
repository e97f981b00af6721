"""Printable letters to the people a breach affected (`riskreg notices letters`, the Notices
step's "Print letters…"; issue 21).

Never stored: the recipients' names and addresses go from the input file, through memory, to
the output file, and nowhere else: not the database, not the audit log, not a log, not a
temporary file left behind (the letters stream into the atomic writer's temporary file in the
output's folder, which is renamed over the target or removed). The audit log records that
letters were produced: the count, the count per state, the output file's name and SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from riskreg.errors import BadInput, one_line
from riskreg.services.letters import render
from riskreg.services.letters.recipients import Recipients, read_recipients
from riskreg.storage import audit
from riskreg.storage.database import Database
from riskreg.storage.files import check_output_path, write_atomic_chunks

FORMATS = ("html", "md")
LONG_LETTER = 1_500
"""Characters of the incident's own text above which a letter may not fit its page."""


@dataclass
class Checked:
    """What a run would print, and what to say first (one line each, rows by number)."""

    reference: str
    recipients: Recipients
    facts: render.LetterFacts
    warnings: list[str] = field(default_factory=list)
    source: Path | None = None
    """The recipients file (the letters may never be written over it)."""

    @property
    def count(self) -> int:
        return len(self.recipients.letters)

    def summary(self) -> str:
        per_state = ", ".join(f"{s} {n:,}" for s, n in self.recipients.per_state().items())
        return (f"{self.count:,} letter{'s' if self.count != 1 else ''} for {self.reference} "
                f"({per_state})")


@dataclass(frozen=True)
class Written:
    path: Path
    count: int
    per_state: dict[str, int]
    sha256: str
    warnings: list[str]


def letters_format(out: str | Path, wanted: str | None) -> str:
    if wanted:
        if wanted not in FORMATS:
            raise BadInput(f"--format {one_line(wanted)}: choose html or md")
        return wanted
    return "md" if str(out).lower().endswith((".md", ".markdown")) else "html"


@dataclass
class LettersService:
    db: Database
    today: Callable[[], date] = field(default=date.today)

    def check(self, ref: str, recipients: str | Path, *, mapping: Mapping[str, str] | None = None,
              keep_incomplete: bool = False) -> Checked:
        """Read and check the recipients file against the incident; nothing is written."""
        from riskreg.services.incidents import IncidentService
        from riskreg.services.incidents.editing import find_incident, require_notification
        from riskreg.services.incidents.record import settings_of

        with self.db.reading() as session:
            require_notification(find_incident(session, ref))
            settings = settings_of(session)
        record = IncidentService(self.db, today=self.today).get(ref)
        people = read_recipients(recipients, mapping=mapping, keep_incomplete=keep_incomplete)
        facts = render.letter_facts(record, settings, self.today())
        checked = Checked(record["reference"], people, facts, list(people.warnings),
                          Path(recipients).expanduser())
        checked.warnings += scope_warnings(people.per_state(), record)
        checked.warnings += missing_facts(record, settings, facts)
        return checked

    def write(self, checked: Checked, out: str | Path, fmt: str = "html") -> Written:
        """Write the letters checked by `check` to `out` (atomic, 0600) and audit the run."""
        target = check_output_path(out, database=self.db.path)
        if checked.source is not None and _same(target, checked.source):
            raise BadInput(f"--out {one_line(str(out))} is the recipients file itself; choose "
                           "another file name")
        digest = hashlib.sha256()

        def chunks() -> Iterator[bytes]:
            for text in _document(checked, fmt):
                data = text.encode("utf-8")
                digest.update(data)
                yield data

        write_atomic_chunks(target, chunks())
        per_state = checked.recipients.per_state()
        self._audit(checked, target, digest.hexdigest(), per_state, fmt)
        return Written(target, checked.count, per_state, digest.hexdigest(), checked.warnings)

    def _audit(self, checked: Checked, target: Path, sha: str, per_state: dict[str, int],
               fmt: str) -> None:
        from riskreg.services.incidents.editing import find_incident

        with self.db.writing() as session:
            inc = find_incident(session, checked.reference)
            audit.record(session, audit.LETTERS_ENTITY, inc.public_id, "create", {
                "incident": [None, inc.reference],
                "count": [None, checked.count],
                "per_state": [None, per_state],
                "left_out": [None, checked.recipients.left_out],
                "file": [None, target.name],
                "sha256": [None, sha],
                "format": [None, fmt],
                "made_on": [None, self.today().isoformat()],
            })

    def runs(self, ref: str) -> list[dict[str, Any]]:
        """Each letters run of the incident, oldest first: at, count, per_state, file, sha256."""
        from riskreg.services.incidents import IncidentService

        return letter_runs(IncidentService(self.db, today=self.today).history(ref))


def _same(one: Path, other: Path) -> bool:
    try:
        return one.exists() and one.samefile(other)
    except OSError:
        return False


def letter_runs(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The letters runs among an incident's audit events (`IncidentService.history`)."""
    runs = []
    for event in history:
        if event["entity"] != audit.LETTERS_ENTITY:
            continue
        fields = audit.parse_changes(event["changes"]) or {}
        runs.append({"at": event["at"], **{k: pair[1] for k, pair in fields.items()}})
    return runs


def last_count(history: list[dict[str, Any]]) -> int | None:
    """The count of the incident's last letters run, or None when none was made."""
    runs = letter_runs(history)
    return runs[-1].get("count") if runs else None


def missing_facts(record: dict[str, Any], settings: dict[str, Any],
                  facts: render.LetterFacts) -> list[str]:
    """What the letters will say [TO DO] for: an element of 164.404(c)(1) the incident does not
    supply yet, the practice's name or the practitioner's."""
    warnings = []
    for item in facts.todo:
        if item.startswith("(E)"):
            warnings.append("no contact for questions (toll-free number, email, website or "
                            "postal address, 164.404(c)(1)(E)): the letters say [TO DO]; fill "
                            "it in on the Notices step")
        else:
            warnings.append(f"not recorded yet: {item}: the letters say [TO DO] there")
    for name, words in (("practice_name", "practice name"),
                        ("practitioner", "practitioner's name")):
        if not (settings.get(name) or "").strip():
            warnings.append(f"the practice settings have no {words}: the letters say [TO DO] "
                            "(riskreg settings)")
    body = sum(len(facts.values[k]) for k in ("what_happened", "phi_types", "steps", "actions",
                                              "contact"))
    if body > LONG_LETTER:
        warnings.append(f"the letter's text is long ({body:,} characters): a letter may run onto "
                        "a second page; print one and check, or shorten what happened")
    if not (record.get("contact_postal") or "").strip():
        warnings.append("no postal address on the Notices step: the letters' return address "
                        "says [TO DO]")
    return warnings


def scope_warnings(per_state: dict[str, int], record: dict[str, Any]) -> list[str]:
    """Letters per state against the incident's scope (the residents recorded at step 7)."""
    recorded: dict[str, int] = dict(record.get("residents") or {})
    warnings = []
    for state in sorted(set(per_state) | set(recorded)):
        letters, residents = per_state.get(state, 0), recorded.get(state, 0)
        if state == "unknown":
            warnings.append(f"{letters:,} letter{'s' if letters != 1 else ''} with no known "
                            "state (no state column, or a value that is not a state)")
        elif letters != residents:
            warnings.append(f"{state}: {letters:,} letter{'s' if letters != 1 else ''}, the "
                            f"scope records {residents:,} resident{'s' if residents != 1 else ''}")
    total = sum(per_state.values())
    affected = record.get("affected") or 0
    if total != affected:
        warnings.append(f"{total:,} letter{'s' if total != 1 else ''} in all, the scope records "
                        f"{affected:,} {'person' if affected == 1 else 'people'} affected: "
                        "check the file or the scope (step 7)")
    return warnings


def _document(checked: Checked, fmt: str) -> Iterator[str]:
    states = set(checked.recipients.per_state())
    cover = render.cover_lines(checked.facts, checked.warnings, states)
    letter = render.md_letter if fmt == "md" else render.html_letter
    letters = (letter(r, checked.facts) for r in checked.recipients.letters)
    if fmt == "md":
        return render.md_document(letters, cover)
    return render.html_document(letters, cover, checked.reference)
