"""Render a report (doc.py) as one self-contained HTML file.

No external fonts, scripts, images or styles: everything is inline, and a Content-Security-Policy
forbids the browser from loading anything else. Print CSS keeps table headers on every page,
rows and heat maps unbroken, and the level colours on paper. Every string is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from riskreg.domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS, level
from riskreg.domain.text import escaped
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
    level_tone,
)

CSS = """
:root {
  --ink: #1d2430; --muted: #5b6472; --rule: #cfd5dd; --band: #f3f5f8;
  --low: #cfe8d2; --moderate: #fbe7a6; --high: #f7c08a; --critical: #ef8f8f;
  --warn: #fde2c4; --ok: #dcefe0;
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); background: #fff; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 1.5rem 3rem; font-size: 0.92rem;
       line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 0.2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem;
     border-bottom: 2px solid var(--ink); }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.notice { border: 1px solid var(--ink); padding: 0.5rem 0.8rem; margin: 1rem 0; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem;
           margin: 0.5rem 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; white-space: pre-wrap; }
nav.toc ul { columns: 2; margin: 0.3rem 0 0; padding-left: 0; list-style: none; }
p { margin: 0.4rem 0; white-space: pre-wrap; }
table.data { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; }
table.data th, table.data td { border: 1px solid var(--rule); padding: 0.25rem 0.4rem;
                               vertical-align: top; text-align: left; white-space: pre-wrap; }
table.data thead th { background: var(--band); font-weight: 600; }
.pair { display: flex; flex-wrap: wrap; gap: 2rem; }
table.heat { border-collapse: collapse; margin: 0.4rem 0 0.6rem; }
table.heat th, table.heat td { border: 1px solid var(--rule); padding: 0.3rem; text-align: center;
                               min-width: 3.2rem; }
table.heat th { font-weight: normal; font-size: 0.8rem; color: var(--muted); }
table.heat td { font-weight: 700; }
table.heat caption { font-weight: 600; text-align: left; padding-bottom: 0.3rem; }
.low { background: var(--low); } .moderate { background: var(--moderate); }
.high { background: var(--high); } .critical { background: var(--critical); }
.warn { background: var(--warn); } .ok { background: var(--ok); }
.muted { color: var(--muted); }
p.warn, p.ok { padding: 0.3rem 0.5rem; }
footer { margin-top: 2.5rem; padding-top: 0.5rem; border-top: 1px solid var(--rule);
         color: var(--muted); font-size: 0.8rem; }
@page { margin: 14mm 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, table.heat, dl.facts, .notice { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def e(text: object) -> str:
    # A control character shown escaped (\x1b), not carried raw: a browser ignores most, but
    # the file read in a terminal (cat, less -r) would obey them.
    return escape(escaped(str(text), keep_lines=True), quote=True)


def render(doc: Document) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}</title>",
        *(f'<meta name="{e(k)}" content="{e(v)}">' for k, v in doc.meta.items()),
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(doc.title)}</h1>",
        f'<p class="subtitle">{e(doc.subtitle)}</p>',
        _facts(doc.header),
        f'<p class="notice">{e(doc.notice)}</p>' if doc.notice else "",
        "</header>",
        '<nav class="toc"><strong>Contents</strong><ul>',  # titles carry their numbers
        *(f'<li><a href="#{e(s.anchor)}">{e(s.title)}</a></li>' for s in doc.sections),
        "</ul></nav>",
        "<main>",
    ]
    for section in doc.sections:
        out.append(f'<section id="{e(section.anchor)}">')
        out.append(f"<h2>{e(section.title)}</h2>")
        out.extend(_block(block) for block in section.blocks)
        out.append("</section>")
    out.append("</main>")
    out.append("<footer>")
    if doc.notice:
        out.append(f"<p><strong>{e(doc.notice)}</strong></p>")
    if doc.footer:
        out.append(f"<p>{e(doc.footer)}</p>")
    out += ["</footer>", "</body>", "</html>", ""]
    return "\n".join(line for line in out if line)


def _block(block: Block) -> str:
    if isinstance(block, Para):
        cls = f' class="{e(block.tone)}"' if block.tone else ""
        return f"<p{cls}>{e(block.text)}</p>"
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_cell_content(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, HeatMap):
        return _heat(block)
    if isinstance(block, Pair):
        return '<div class="pair">' + "".join(_block(b) for b in block.blocks) + "</div>"
    raise TypeError(f"not a report block: {block!r}")


def _facts(facts: Facts) -> str:
    if not facts.items:
        return ""
    rows = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts.items)
    return f'<dl class="facts">{rows}</dl>'


def _cell_content(cell: str | Cell) -> str:
    if isinstance(cell, Cell):
        return f'<span class="{e(cell.tone)}">{e(cell.text)}</span>' if cell.tone else e(cell.text)
    return e(cell)


def _td(cell: str | Cell) -> str:
    if isinstance(cell, Cell) and cell.tone:
        return f'<td class="{e(cell.tone)}">{e(cell.text)}</td>'
    return f"<td>{e(cell.text if isinstance(cell, Cell) else cell)}</td>"


def _table(table: Table) -> str:
    if not table.rows:
        return f'<p class="muted">{e(table.empty)}</p>'
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in table.headers)
    body = "".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in table.rows)
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _heat(heat: HeatMap) -> str:
    """Likelihood down the side (5 at the top), impact across, as the app's heat map."""
    rows = [f"<caption>{e(heat.title)}</caption>",
            '<tr><th scope="col">Likelihood \\ Impact</th>'
            + "".join(f'<th scope="col">{i}<br>{e(IMPACT_LABELS[i])}</th>' for i in range(1, 6))
            + "</tr>"]
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            n = heat.counts.get((likelihood, impact), 0)
            tone = level_tone(level(likelihood * impact).value)
            label = f"likelihood {likelihood}, impact {impact}: {n} hazard{'s' if n != 1 else ''}"
            cells.append(f'<td class="{tone}" title="{e(label)}">{n if n else ""}</td>')
        rows.append(f'<tr><th scope="row">{likelihood} {e(LIKELIHOOD_LABELS[likelihood])}</th>'
                    + "".join(cells) + "</tr>")
    return '<table class="heat">' + "".join(rows) + "</table>"
