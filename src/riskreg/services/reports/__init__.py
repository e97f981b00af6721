"""The documentation riskreg produces on demand (issue 7): the risk analysis and the incident
dossier, as self-contained HTML or as Markdown.

The risk analysis is the documented analysis 45 CFR 164.308(a)(1)(ii)(A) requires, kept six
years (164.316(b)(2)(i), 164.530(j)): scope, method, the inventory of tools with their BAAs and
vendor checklists, every current hazard scored at three levels (inherent, current, target),
every safeguard with its citation and evidence, the review history, what is open or overdue, and the heat maps.
`facts.py` gathers the facts (one read of the register); `risk_analysis.py` and `dossier.py`
build each document (`doc.py`'s shape), and `html.py` and `md.py` render it. The output format is chosen by the file's extension.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from riskreg import __version__
from riskreg.errors import BadInput
from riskreg.services.reports.facts import gather
from riskreg.storage.database import Database
from riskreg.storage.files import check_output_path, write_text_atomic

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}

def report_format(out: str | Path) -> str:
    """'html' or 'md', from the output file's extension (BadInput, exit 2, for anything else)."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "no extension"
        raise BadInput(f"--out: {Path(out).name} has {shown}; choose a .html or .md file")
    return FORMATS[suffix]


def write_report(out: str | Path, html: Callable[[], str], md: Callable[[], str], *,
                 database: Path) -> Path:
    """Render in the format the extension asks for and write it atomically, mode 0600; never over
    the register's own files or through an odd one (`check_output_path`)."""
    out = Path(out).expanduser()
    kind = report_format(out)
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name")
    target = check_output_path(out, database=database, label=None)
    write_text_atomic(target, html() if kind == "html" else md())
    return out


# -- the risk analysis ---------------------------------------------------------------------------


def write_risk_analysis(
    db: Database, out: str | Path, today: date, now: datetime | None = None
) -> Path:
    """`riskreg report risk-analysis --out FILE.html|FILE.md`."""
    from riskreg.services.reports import html as report_html
    from riskreg.services.reports import md as report_md
    from riskreg.services.reports import risk_analysis as report_risk

    report_format(out)  # refuse a wrong extension or target before reading anything
    check_output_path(out, database=db.path, label=None)
    doc = report_risk.build(gather(db, today, now))
    return write_report(out, lambda: report_html.render(doc), lambda: report_md.render(doc),
                        database=db.path)


def write_incident_report(
    db: Database, ref: str, out: str | Path, today: date, now: datetime | None = None
) -> tuple[Path, str]:
    """`riskreg report dossier REF --out FILE.html|FILE.md`; returns the path and reference."""
    from riskreg.services.incidents import IncidentService
    from riskreg.services.reports import dossier as report_incident
    from riskreg.services.reports import html as report_html
    from riskreg.services.reports import md as report_md
    from riskreg.storage import audit

    report_format(out)
    check_output_path(out, database=db.path, label=None)
    service = IncidentService(db, today=lambda: today)
    record = service.get(ref)
    plan = service.plan(record["reference"]) if record["obligations"] else None
    with db.reading() as session:
        chain = audit.verify(session)
    dossier = report_incident.IncidentDossier(
        record=record,
        history=service.history(record["reference"]),
        holds=list(plan.holds) if plan else [],
        warnings=record["warnings"],
        chain=chain,
        today=today,
        generated_at=(now or datetime.now(UTC)).astimezone(UTC),
        version=__version__,
    )
    doc = report_incident.build(dossier)
    path = write_report(out, lambda: report_html.render(doc), lambda: report_md.render(doc),
                        database=db.path)
    return path, record["reference"]
