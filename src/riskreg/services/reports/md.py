"""Render a report (doc.py) as Markdown (CommonMark with pipe tables).

User text is escaped: Markdown punctuation gets a backslash, so a hazard titled `<script>` or
`[link](x)` shows as typed and never becomes markup, a link or HTML.
"""

from __future__ import annotations

import re

from riskreg.domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS, level
from riskreg.domain.text import escaped as visible
from riskreg.services.reports.doc import (
    Block,
    Bullets,
    Cell,
    Document,
    Facts,
    HeatMap,
    Pair,
    Para,
    Table,
)

_SPECIAL = re.compile(r"([\\`*\[\]<>|~&])")
# An underscore only starts or ends emphasis at the edge of a word (CommonMark).
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What starts a heading, quote, list or rule at the start of a line.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)
MARKS = {"low": "", "moderate": "", "high": "", "critical": "", "ok": "", "muted": "",
         "warn": "⚠ "}


def md(text: object, *, inline: bool = False, join: str = " ", block: bool = True) -> str:
    """Escape text for Markdown; `inline` (table cells, list items) joins lines with `join`.
    `block=False` where the text cannot start a block (headings, table cells, after a label)."""
    # A control character shown escaped (\x1b), as everywhere: the file is read in terminals.
    escaped = _UNDERSCORE.sub(r"\\_", _SPECIAL.sub(r"\\\1", visible(str(text), keep_lines=True)))
    if block:
        escaped = _NUMBERED.sub(r"\1\2\\\3", _BLOCK_START.sub(r"\1\\\2", escaped))
    if inline:
        return join.join(part.strip() for part in escaped.splitlines() if part.strip())
    # A hard line break keeps the user's own line breaks inside a paragraph.
    return "  \n".join(escaped.splitlines())


def render(doc: Document) -> str:
    out = [f"# {md(doc.title, inline=True, block=False)}", "", md(doc.subtitle), ""]
    out += _facts(doc.header)
    if doc.notice:
        out += [f"> **{md(doc.notice, inline=True, block=False)}**", ""]
    out += ["## Contents", ""]
    # A bullet list: the section titles carry their own numbers ("1. Timeline"), and a
    # numbered list would print them twice ("1. 1. Timeline").
    out += [f"- [{md(s.title, inline=True, block=False)}](#{s.anchor})" for s in doc.sections]
    out.append("")
    for section in doc.sections:
        out += [f'<a id="{section.anchor}"></a>', "",
                f"## {md(section.title, inline=True, block=False)}", ""]
        for block in section.blocks:
            out += _block(block)
    out += ["---", ""]
    if doc.notice:
        out += [f"**{md(doc.notice, inline=True, block=False)}**", ""]
    if doc.footer:
        out += [md(doc.footer), ""]
    return "\n".join(out)


def _block(block: Block) -> list[str]:
    if isinstance(block, Para):
        if block.tone == "warn":
            return ["**⚠** " + md(block.text, block=False), ""]
        return [md(block.text), ""]
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Bullets):
        return [f"- {_cell(item)}" for item in block.items] + [""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, HeatMap):
        return _heat(block)
    if isinstance(block, Pair):
        return [line for b in block.blocks for line in _block(b)]
    raise TypeError(f"not a report block: {block!r}")


def _facts(facts: Facts) -> list[str]:
    if not facts.items:
        return []
    return [f"- **{md(k, inline=True, block=False)}:** {md(v, inline=True, block=False)}"
            for k, v in facts.items] + [""]


def _cell(cell: str | Cell, join: str = " ", block: bool = True) -> str:
    text = cell.text if isinstance(cell, Cell) else cell
    mark = MARKS.get(cell.tone or "", "") if isinstance(cell, Cell) else ""
    return mark + md(text, inline=True, join=join, block=block)


def _table(table: Table) -> list[str]:
    if not table.rows:
        return [f"_{md(table.empty, inline=True)}_", ""]
    lines = ["| " + " | ".join(md(h, inline=True, block=False) for h in table.headers) + " |",
             "|" + "---|" * len(table.headers)]
    # Line breaks inside a cell as <br> (GitHub, GitLab, pandoc); user text never carries markup.
    lines += ["| " + " | ".join(_cell(c, "<br>", block=False) for c in row) + " |"
              for row in table.rows]
    return lines + [""]


def _heat(heat: HeatMap) -> list[str]:
    """Counts per cell with the level's initial (L, M, H, C): likelihood down, impact across."""
    lines = [f"**{md(heat.title, inline=True, block=False)}** (count, level)", "",
             "| Likelihood \\\\ Impact | " + " | ".join(
                 f"{i} {IMPACT_LABELS[i]}" for i in range(1, 6)) + " |",
             "|---|" + "---|" * 5]
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            n = heat.counts.get((likelihood, impact), 0)
            cells.append(f"{n or '·'} {level(likelihood * impact).value[0]}")
        lines.append(f"| {likelihood} {LIKELIHOOD_LABELS[likelihood]} | "
                     + " | ".join(cells) + " |")
    return lines + [""]
