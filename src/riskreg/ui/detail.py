"""A record in full, as text: its fields, links, reviews and audit history.

Shared by the detail pane beside each table and the full record screen. Every value a user
typed goes through `literal`, so it is shown exactly as typed.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from riskreg.domain.current_risk import current_basis, review_change
from riskreg.domain.register import VENDOR_CHECKLIST
from riskreg.domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS
from riskreg.ui.kinds import KINDS
from riskreg.ui.render import FLAG, Palette, label, literal, plain, plural, status_text

LABEL_WIDTH = 14


def render_detail(
    kind: str, record: dict[str, Any], linked: dict[str, list[dict[str, Any]]],
    reviews: list[dict[str, Any]], history: list[dict[str, Any]], palette: Palette,
) -> Group:
    """The record in full: heading, flags, a grid of fields (wrapping under their value), long
    texts, then links, reviews and history."""
    parts, out = _head_parts(kind, record, palette)
    for other, records in linked.items():
        out.append_text(link_heading(other, records, palette))
        for rec in records:
            out.append("  ")
            out.append_text(link_line(other, rec, palette))
            out.append("\n")
    out.append_text(render_tail(kind, reviews, history, palette))
    return Group(*parts, out)  # one Text after the grid: no blank line between its parts


def render_head(kind: str, record: dict[str, Any], palette: Palette) -> list[Any]:
    """What comes before the links, in parts: heading, flags, fields, then the vendor checklist
    and long texts. Apart, not one Group: Textual measures a Group's height a line short for
    each Text in it that ends in a new line (the record screen lost a description's last line)."""
    parts, out = _head_parts(kind, record, palette)
    out.rstrip()
    return [*parts, out] if out.plain else parts


def _head_parts(kind: str, record: dict[str, Any], palette: Palette) -> tuple[list[Any], Text]:
    spec = KINDS[kind]
    head = Text(end="\n")
    head.append_text(literal(record.get(spec.title_field), "bold", palette))
    if record.get("archived_at"):
        head.append("  (archived)", palette["warning"])
    parts: list[Any] = [head, *(Text.assemble((f"{FLAG} {f}", palette["error"]), end="\n")
                                for f in spec.flags(record))]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=LABEL_WIDTH, style=palette["muted"], no_wrap=True)
    grid.add_column(ratio=1)
    if spec.names.reviewed:  # scored and reviewed: its three scores and its review dates
        _hazard_scores(grid, record, palette)
    for name, field in spec.fields:
        value = record.get(field)
        if value in (None, "", "not_recorded") and field not in ("owner",):
            continue
        if field == "verification_cadence_months":
            shown = Text(plural(value, "month"))
        elif field in ("status", "decision"):
            shown = status_text(kind, value, palette, field)
        elif field in ("category", "treatment", "requirement", "baa_status", "ai_use",
                       "consent_method"):
            shown = literal(label(field, value, kind))
        else:
            shown = literal(value if value not in (None, "") else "—")
        _row(grid, name, shown)
    parts.append(grid)
    out = Text(end="")
    if spec.vendor_checklist(record):
        _checklist(out, record, palette)
    for field in spec.long_text:
        if record.get(field):
            out.append("\n")
            out.append(Text(plain(record[field]), end=""))
            out.append("\n")
    return parts, out


def render_tail(kind: str, reviews: list[dict[str, Any]], history: list[dict[str, Any]],
                palette: Palette) -> Text:
    """What comes after the links: a hazard's reviews, then the history."""
    out = Text(end="")
    if KINDS[kind].names.reviewed:
        _reviews(out, reviews, palette)
    _history(out, history, palette)
    return out


def plain_text(renderable: Any, width: int = 100) -> str:
    """What a renderable shows, as plain text (for tests and copy-paste)."""
    console = Console(width=width, no_color=True, record=True, file=io.StringIO(),
                      legacy_windows=False)
    console.print(renderable)
    return console.export_text()


def _row(grid: Table, name: str, value: Text) -> None:
    value = value.copy()
    value.no_wrap = False
    value.overflow = "fold"
    grid.add_row(name, value)


def _hazard_scores(grid: Table, r: dict[str, Any], palette: Palette) -> None:
    from riskreg.ui.render import LEVEL_TONE

    for name, prefix in (("Inherent", ""), ("Current", "current_"), ("Target", "target_")):
        lvl, lk, im = r[f"{prefix}level"], r[f"{prefix}likelihood"], r[f"{prefix}impact"]
        value = Text.assemble(
            (f"{lvl} {r[f'{prefix}score']}", palette[LEVEL_TONE.get(lvl, "")]),
            f"  likelihood {lk} {LIKELIHOOD_LABELS[lk]} × impact {im} {IMPACT_LABELS[im]}",
            end="",
        )
        _row(grid, name, value)
        if prefix == "current_":
            _row(grid, "", Text(current_basis(r), style=palette["muted"], end=""))
    review = Text(f"every {plural(r['review_cadence_months'], 'month')}", end="")
    if r.get("last_reviewed_on"):
        review.append(f" · last {plain(r['last_reviewed_on'])}")
    if r.get("next_review_on"):
        review.append(" · next ")
        review.append(plain(r["next_review_on"]), palette["error"] if r.get("overdue") else "")
    _row(grid, "Review", review)
    if r.get("treatment") == "accept" or r.get("status") == "accepted":
        _row(grid, "Accepted as", literal(r.get("acceptance_rationale") or "—"))
        _row(grid, "Accepted until", literal(r.get("acceptance_expires_on") or "—"))


def _checklist(out: Text, r: dict[str, Any], palette: Palette) -> None:
    out.append("\nVendor checklist\n", palette["bold"])
    for field, question in VENDOR_CHECKLIST.items():
        value = r.get(field)
        mark, tone = {True: ("✓", "success"), False: ("✗", "error")}.get(value, ("?", "muted"))
        out.append(f"  {mark} ", palette[tone])
        out.append(question + "\n")


LINK_TITLES = {"tool": "Tools", "safeguard": "Safeguards", "hazard": "Hazards"}


def link_heading(other: str, records: list[dict[str, Any]], palette: Palette) -> Text:
    """"Tools (1)" over a record's links of one kind ("none linked" under it when empty)."""
    text = Text(end="")
    text.append(f"\n{LINK_TITLES[other]} ({len(records)})\n", palette["bold"])
    if not records:
        text.append("  none linked\n", palette["muted"])
    return text


def link_line(other: str, rec: dict[str, Any], palette: Palette) -> Text:
    """One linked record: its name and what matters about it (a BAA gap, a status, a level)."""
    line = Text(end="")
    if other == "tool":
        line.append_text(literal(rec.get("name")))
        if rec.get("baa_gap"):
            line.append(f"  {FLAG} {rec['baa_gap']}", palette["error"])
    elif other == "safeguard":
        line.append_text(literal(rec.get("title")))
        line.append("  ")
        line.append_text(status_text("safeguard", rec.get("status", ""), palette))
    else:
        line.append_text(literal(rec.get("title")))
        line.append(f"  {rec.get('level')} {rec.get('score')}", palette["muted"])
    return line


def _reviews(out: Text, reviews: list[dict[str, Any]], palette: Palette) -> None:
    """Each review: its day (and when it was recorded), the scores before → after, its notes on
    their own line (finding 23: they were cut off after the scores)."""
    out.append(f"\nReviews ({len(reviews)})\n", palette["bold"])
    if not reviews:
        out.append("  not reviewed yet\n", palette["muted"])
    for rv in reviews:
        out.append(f"  Reviewed {plain(rv['reviewed_on'])}")
        if rv.get("recorded_at"):
            out.append(f"  (recorded {plain(rv['recorded_at'])})", palette["muted"])
        out.append("\n    Scores: ")
        out.append(review_change(rv), palette["muted"])
        out.append("\n")
        if rv.get("notes"):
            out.append("    Notes: ")
            out.append_text(literal(rv["notes"]))
            out.append("\n")


def _history(out: Text, history: list[dict[str, Any]], palette: Palette) -> None:
    """Each change in words ("Last reviewed: 2026-10-01 → 2026-11-26"), never field names."""
    from riskreg.services.change_words import action_words, change_lines, link_words

    out.append("\nHistory (latest first)\n", palette["bold"])
    for event in history:
        out.append(f"  {plain(event['at'])}  ", palette["muted"])
        if event.get("linked"):
            out.append(plain(link_words(event["action"], *event["linked"])))
        else:
            out.append(plain(action_words(event["action"]).capitalize()))  # an imported log's own
        if event.get("actor"):
            out.append(f"  by {plain(event['actor'])}", palette["muted"])
        out.append("\n")
        if event["action"] in ("update", "review"):
            for line in change_lines(event.get("changes") or "{}"):
                out.append(f"    {plain(line)}\n", palette["muted"])
