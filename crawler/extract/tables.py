"""The tables of a page's body as JSON grids: what an annual report's statistics are read from.

The stored main text runs a table's cells together (`行政规范性文件77132470` is 77 | 13 | 2470), so the
cells are kept apart here. Each table is a list of rows, each row a list of cell texts, with colspan and
rowspan expanded (a spanned cell's text repeats in every grid position it covers), so a column index
means the same column in every row. Only innermost tables outside headers, footers and menus are kept:
layout tables of old templates hold other tables, and their cells hold whole pages.
"""

from __future__ import annotations

import json

from lxml import etree

from crawler.items import Page
from crawler.platforms.generic import chrome_elements, squash

MAX_TABLES = 40
MAX_ROWS = 400
MAX_COLUMNS = 60
MAX_CELL_CHARS = 500
MAX_SPAN = 60


def _span(cell, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int((cell.get(name) or "1").strip() or 1)))
    except ValueError:
        return 1


def _rows(table) -> list:
    """The table's own rows (not those of a nested table), thead/tbody/tfoot included, in order."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def read_grid(table) -> list[list[str]]:
    """One `<table>` as a grid of cell texts, spans expanded; positions no cell covers are ''."""
    placed: dict[tuple[int, int], str] = {}
    rows = _rows(table)[:MAX_ROWS]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in placed:
                c += 1
            text = squash("".join(cell.itertext()))[:MAX_CELL_CHARS]
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    if c + dc < MAX_COLUMNS:
                        placed[(r + dr, c + dc)] = text
            c += colspan
    widths = [0] * len(rows)
    for r, c in placed:
        widths[r] = max(widths[r], c + 1)
    return [[placed.get((r, c), "") for c in range(width)] for r, width in enumerate(widths) if width]


def read_tables(page: Page) -> str | None:
    """The body's innermost tables as a JSON list of grids; None when the page has none worth keeping."""
    root = page.selector.root
    if not isinstance(root, etree._Element):
        return None
    chrome = set(chrome_elements(root))
    tables = []
    for table in root.iter("table"):
        if any(True for _ in table.iterdescendants("table")):
            continue  # holds another table: layout, not data
        if table in chrome or any(anc in chrome for anc in table.iterancestors()):
            continue
        grid = read_grid(table)
        if len(grid) >= 2 and any(any(cell for cell in row) for row in grid):
            tables.append(grid)
        if len(tables) >= MAX_TABLES:
            break
    return json.dumps(tables, ensure_ascii=False) if tables else None


def tables_of(stored: str | None) -> list[list[list[str]]]:
    """The grids of a page's stored `tables` column (the JSON written by `read_tables`)."""
    if not stored:
        return []
    try:
        value = json.loads(stored)
    except ValueError:
        return []
    return value if isinstance(value, list) else []
