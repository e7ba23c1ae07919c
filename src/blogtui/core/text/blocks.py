"""Tables and headings of an article as plain text (what html.py's converter marks, laid out).

The converter wraps each heading and each outermost table in private-use markers instead of
Markdown (`## Title`, `a| b` / `---|---`); `lay_out` turns them into text that reads as such in
any terminal and encoding: a heading underlined with `=` (levels 1 and 2) or `-`, a table with
its columns aligned by terminal cells (two spaces apart, the header row underlined). Columns are
at most MAX_COLUMN cells wide (a longer cell overflows its row rather than widening every row),
so the work and the padding stay bounded by the text.
"""

from __future__ import annotations

import re

from blogtui.core.text.clip import cell_width

CELL = "\ue000"
"""Between two cells of a row."""
ROW = "\ue001"
"""After each row."""
HEADER_ROW = "\ue002"
"""After a row of header cells (`<th>`)."""
TABLE_START, TABLE_END = "\ue003", "\ue004"
HEADING_END = "\ue005"
HEADING_STARTS = "\ue006\ue007\ue008\ue009\ue00a\ue00b"
"""The start marker of a heading of level 1 to 6."""
STARTS = TABLE_START + HEADING_STARTS
"""The markers that open a block."""
MARKERS = CELL + ROW + HEADER_ROW + TABLE_START + TABLE_END + HEADING_END + HEADING_STARTS
"""Every marker: dropped from the source's own text, and from what `lay_out` leaves."""

MAX_COLUMN = 40
"""The widest a table column is padded to, in terminal cells."""
MAX_RULE = 60
"""The longest heading underline, in terminal cells."""

_UNMARK = str.maketrans("", "", MARKERS)
_TABLE = re.compile(f"{TABLE_START}([^{TABLE_START}{TABLE_END}]*){TABLE_END}")
_HEADING = re.compile(f"([{HEADING_STARTS}])([^{HEADING_END}\n]*){HEADING_END}")
_SPACES = re.compile(r"\s+")


def unmarked(text: str) -> str:
    """`text` without any marker (for the source's own text)."""
    return text.translate(_UNMARK) if any(marker in text for marker in MARKERS) else text


def lay_out(text: str, budget: int = 2_000_000) -> str:
    """`text` with its marked tables and headings laid out, and no marker left. Once the
    tables laid out have taken `budget` characters, the rest are left unpadded."""
    if TABLE_START in text:
        used = 0

        def table(match: re.Match[str]) -> str:
            nonlocal used
            laid_out = _table(match.group(1), pad=used < budget)
            used += len(laid_out)
            return laid_out

        text = _TABLE.sub(table, text)
    if HEADING_END in text:
        text = _HEADING.sub(_heading, text)
    return unmarked(text)


def _heading(match: re.Match[str]) -> str:
    level = HEADING_STARTS.index(match.group(1)) + 1
    title = _SPACES.sub(" ", unmarked(match.group(2))).strip()
    if not title:
        return ""
    rule = ("=" if level <= 2 else "-") * min(cell_width(title), MAX_RULE)
    return f"{title}\n{rule}"


def _rows(body: str) -> list[tuple[list[str], bool]]:
    """(cells, is a header row) of each row of a marked table body that has some text."""
    parts = re.split(f"({ROW}|{HEADER_ROW})", body)
    rows = []
    for index in range(0, len(parts), 2):
        end = parts[index + 1] if index + 1 < len(parts) else ROW
        cells = [_SPACES.sub(" ", cell).strip() for cell in parts[index].split(CELL)]
        if any(cells):
            rows.append((cells, end == HEADER_ROW))
    return rows


def _table(body: str, pad: bool = True) -> str:
    """A marked table body as aligned text (unpadded unless `pad`), set apart by blank lines."""
    rows = _rows(body)
    columns = max((len(cells) for cells, _ in rows), default=0)
    widths = [0] * columns
    for cells, _ in rows:
        for index, cell in enumerate(cells):
            width = min(cell_width(cell), MAX_COLUMN) if pad else int(bool(cell))
            widths[index] = max(widths[index], width)
    shown = [index for index in range(columns) if widths[index]]  # no empty columns
    if not shown:
        return ""
    lines = []
    for number, (cells, header) in enumerate(rows):
        cells += [""] * (columns - len(cells))
        padded = [cells[i] + " " * max(widths[i] - cell_width(cells[i]), 0) for i in shown]
        lines.append("  ".join(padded).rstrip())
        if header and number == 0:
            lines.append("  ".join("-" * widths[i] for i in shown))
    return "\n\n" + "\n".join(lines) + "\n\n"
