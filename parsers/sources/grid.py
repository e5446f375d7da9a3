"""Structured sources (HTML, Word) laid out as positioned words, so that one reading algorithm reads them.

A structured source knows its tables' cells but not where they would print. Each paragraph becomes a
line; each table row a line with every cell at its grid column's x. A cell spanning several rows is
placed on its first row, as a label printed at the top of a tall cell: the rows below it carry their
own labels. Empty cells produce no word, exactly as a blank printed cell does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from gongkai.parsers.document import Document
from gongkai.parsers.layout import Word
from gongkai.parsers.text import normalize_text

# Synthetic geometry, in points, near a printed A4 report's: a line every LINE_H, a grid column every
# COL_W (table 四's 15 columns print about 28 pt apart). Rows of one table are never further apart than
# the parser's max_label_distance, and lines never share a centre.
LINE_H = 20.0
COL_W = 30.0
_GLYPH_H = 12.0
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True)
class Table:
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph whose type size the source knows (a Word file's): titles are found by their size."""

    text: str
    size: float = _GLYPH_H


Block = str | Paragraph | Table  # a paragraph's text (of the body's size), or a table


def clean(text: str) -> str:
    """Text of a paragraph or a cell: normalised, white space runs folded to one space."""
    return _WS.sub(" ", normalize_text(text)).strip()


def grid_from_rows(rows: Iterable[Sequence[tuple[str, int, int]]]) -> Table:
    """A table from rows of (text, rowspan, colspan) as HTML writes them: each cell takes the first grid
    position its row has not had filled by a rowspan from above."""
    taken: set[tuple[int, int]] = set()
    cells = []
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            cells.append(GridCell(r, c, rowspan, colspan, clean(text)))
            c += colspan
    return Table(tuple(cells))


def lay_out(blocks: Iterable[Block], source_format: str, published_hint: date | None = None) -> Document:
    """One unpaged page holding every block, top to bottom."""
    words: list[Word] = []
    y = LINE_H
    for block in blocks:
        if isinstance(block, str | Paragraph):
            text, size = (block, _GLYPH_H) if isinstance(block, str) else (block.text, block.size)
            text = clean(text)
            if text:
                words.append(Word(text, 1, 0.0, len(text) * size, y, y + size))
                y += max(LINE_H, size + 8)
            continue
        rows = 0
        for cell in block.cells:
            rows = max(rows, cell.row + 1)
            if not cell.text:
                continue
            top = y + cell.row * LINE_H
            x0, x1 = cell.col * COL_W + 2, (cell.col + cell.colspan) * COL_W - 2
            box = (1, x0 - 2, top - 4, x1 + 2, top + (cell.rowspan - 1) * LINE_H + _GLYPH_H + 4)
            words.append(Word(cell.text, 1, x0, x1, top, top + _GLYPH_H, cell=box))
        y += (rows + 1) * LINE_H
    return Document(words, {1: y + LINE_H}, 1, source_format, paged=False, published_hint=published_hint)
