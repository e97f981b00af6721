"""The notices beyond the individual letters (issue 21, item 5): the substitute notice
(45 CFR 164.404(d)(2)), the media notice per state (164.406) and the HHS portal checklist
(164.408), each a report Document (reports/doc.py) rendered as self-contained HTML or Markdown.

`gather` reads the incident once (its record, plan, the practice settings and the register's
safeguards against its hazards); `substitute.py`, `media.py` and `hhs.py` lay each document out;
the `write_*` functions check the output path first and write atomically, mode 0600. File names
are the user's; the documents never put the incident's description in a name they choose."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from riskreg.errors import BadInput
from riskreg.services.other_notices.content import NoticeFacts
from riskreg.services.other_notices.remember import remember
from riskreg.services.reports import FORMATS
from riskreg.services.reports.doc import Document
from riskreg.storage.database import Database
from riskreg.storage.files import check_output_path, write_text_atomic

KINDS = ("substitute", "media", "hhs")


def gather(db: Database, ref: str, today: date) -> NoticeFacts:
    """The facts the notices need, or a one-line refusal: unknown reference (NotFound), no
    breach requiring notification, or no scope yet (ValidationError)."""
    from sqlmodel import col, select

    from riskreg.domain.determination import Choice
    from riskreg.services.incidents import IncidentService
    from riskreg.services.incidents.record import settings_of
    from riskreg.storage.incident_models import Incident, IncidentHazard
    from riskreg.storage.models import HazardSafeguard, Safeguard

    service = IncidentService(db, today=lambda: today)
    record = service.get(ref)
    if record["determination"] != Choice.NOTIFICATION_REQUIRED.value:
        raise BadInput(f"{record['reference']}: these notices apply once "
                              "you determine that notification is required (step 6)")
    plan = service.plan(record["reference"])
    if plan is None:
        raise BadInput(f"{record['reference']}: record the scope first (step 7): "
                              "the notices need the plan")
    with db.reading() as session:
        settings = settings_of(session)
        found = session.exec(
            select(Safeguard).join(HazardSafeguard, HazardSafeguard.safeguard_id == Safeguard.id)
            .join(IncidentHazard, IncidentHazard.hazard_id == HazardSafeguard.hazard_id)
            .join(Incident, Incident.id == IncidentHazard.incident_id)
            .where(Incident.reference == record["reference"],
                   col(IncidentHazard.archived_at).is_(None),
                   col(HazardSafeguard.archived_at).is_(None),
                   col(Safeguard.archived_at).is_(None),
                   col(Safeguard.status).in_(("in_place", "verified")))
            .order_by(col(Safeguard.category), col(Safeguard.title))
        ).all()
        safeguards = list({s.id: {"title": s.title, "category": s.category,
                                  "citation": s.citation or ""} for s in found}.values())
    return NoticeFacts(record=record, plan=plan, settings=settings, today=today,
                       safeguards=safeguards)


def output_format(out: str | Path, fmt: str | None = None) -> str:
    """"html" or "md": `fmt` (--format) if given, else from the file's extension. A --format
    that contradicts a .html or .md extension is refused."""
    suffix = Path(out).suffix.lower()
    if fmt is not None:
        if fmt not in ("html", "md"):
            raise BadInput(f"--format {fmt!r}: choose html or md")
        if suffix in FORMATS and FORMATS[suffix] != fmt:
            raise BadInput(f"--format {fmt} but --out {Path(out).name} is a "
                           f"{FORMATS[suffix]} file name; give one or the other")
        return fmt
    if suffix not in FORMATS:
        raise BadInput(f"--out: {Path(out).name} has {suffix or 'no extension'}; choose a .html "
                       "or .md file, or give --format html|md")
    return FORMATS[suffix]


def check_out(out: str | Path, database: Path, fmt: str | None = None) -> tuple[Path, str]:
    """The checked target and its format, before anything is read or written."""
    if not str(out).strip():
        raise BadInput("--out FILE.html or FILE.md is required")
    # The path first: "--out d.db is the database itself" says more than "has .db".
    target = check_output_path(Path(out).expanduser(), database=database)
    return target, output_format(out, fmt)


def _render(doc: Document, kind: str) -> str:
    from riskreg.services.reports import html, md

    return html.render(doc) if kind == "html" else md.render(doc)


def write_substitute(db: Database, ref: str, out: str | Path, today: date,
                     fmt: str | None = None) -> tuple[Path, str]:
    """`riskreg notices substitute REF --out FILE`: returns the path and the reference."""
    from riskreg.services.other_notices import substitute

    target, kind = check_out(out, db.path, fmt)
    facts = gather(db, ref, today)
    write_text_atomic(target, _render(substitute.build(facts), kind))
    remember(db, facts.reference, [("substitute", target)], today)
    return Path(out).expanduser(), facts.reference


def write_hhs(db: Database, ref: str, out: str | Path, today: date,
              fmt: str | None = None) -> tuple[Path, str]:
    """`riskreg notices hhs REF --out FILE`: returns the path and the reference."""
    from riskreg.services.other_notices import hhs

    target, kind = check_out(out, db.path, fmt)
    facts = gather(db, ref, today)
    write_text_atomic(target, _render(hhs.build(facts), kind))
    remember(db, facts.reference, [("hhs", target)], today)
    return Path(out).expanduser(), facts.reference


def media_path(out: str | Path, state: str) -> Path:
    """A state's press release beside `out`: media.html -> media-FL.html."""
    path = Path(out).expanduser()
    return path.with_name(f"{path.stem}-{state}{path.suffix}")


def write_media(db: Database, ref: str, out: str | Path, today: date,
                state: str | None = None, fmt: str | None = None
                ) -> tuple[list[tuple[str, Path]], str]:
    """`riskreg notices media REF [--state XX] --out FILE`: one press release per state with more
    than 500 residents affected (164.406). One state (chosen, or the only one): FILE itself;
    several: FILE's name with -XX before its extension, one file each. Every path is checked
    before any is written."""
    from riskreg.services.other_notices import media

    check_out(out, db.path, fmt)
    facts = gather(db, ref, today)
    states = media.chosen_states(facts, state)
    paths = [(s, Path(out).expanduser() if len(states) == 1 else media_path(out, s))
             for s in states]
    checked = [(s, path, *check_out(path, db.path, fmt)) for s, path in paths]
    for s, _path, target, kind in checked:
        write_text_atomic(target, _render(media.build(facts, s), kind))
    remember(db, facts.reference, [(f"media:{s}", target) for s, _p, target, _k in checked],
             today)
    return paths, facts.reference


def offered(record: dict[str, Any]) -> list[str]:
    """Which of these notices an incident's plan asks for (its record's obligations): the
    substitute notice where anyone lacks current contact information (164.404(d)(2)), media
    notices where a state has more than 500 residents affected (164.406), the HHS checklist
    whenever HHS is owed (164.408)."""
    ids = [o["id"] for o in record.get("obligations") or ()]
    found = []
    if record.get("insufficient_contact") and "substitute_notice" in ids:
        found.append("substitute")
    if any(i.startswith("media:") for i in ids):
        found.append("media")
    if "hhs" in ids:
        found.append("hhs")
    return found


def write_all(db: Database, ref: str, folder: str | Path, today: date,
              fmt: str = "html", kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """The app's Notices step: those of `kinds` the incident needs, into `folder`, named by the
    reference only (REF-substitute-notice.html, REF-media-notice-FL.html,
    REF-hhs-portal-checklist.html). Every path is checked before the folder is made."""
    from riskreg.services.other_notices import hhs, media, substitute
    from riskreg.storage.files import ensure_private_dir

    folder = Path(folder).expanduser()
    facts = gather(db, ref, today)
    ref = facts.reference
    docs: list[tuple[str, str, Document]] = []  # (draft kind, file name, document)
    for what in [k for k in offered(facts.record) if k in kinds]:
        if what == "substitute":
            docs.append((what, f"{ref}-substitute-notice.{fmt}", substitute.build(facts)))
        elif what == "hhs":
            docs.append((what, f"{ref}-hhs-portal-checklist.{fmt}", hhs.build(facts)))
        else:
            docs += [(f"media:{s}", f"{ref}-media-notice-{s}.{fmt}", media.build(facts, s))
                     for s in media.media_states(facts)]
    targets = [check_output_path(folder / name, database=db.path, label=None)
               for _, name, _ in docs]
    ensure_private_dir(folder)
    for target, (_kind, _name, doc) in zip(targets, docs, strict=True):
        write_text_atomic(target, _render(doc, fmt))
    remember(db, ref, [(kind, folder / name) for kind, name, _ in docs], today)
    return [folder / name for _, name, _ in docs]
