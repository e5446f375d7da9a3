"""Positioned words grouped into visual lines, over all pages of a document.

Pure functions over positioned objects: the only pdfplumber call is in `parsers.sources`. Every line gets a
"virtual y" (page index × page_gap + y) so that one ordering and one distance work across page breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from gongkai.parsers.numbers import is_value_token
from gongkai.parsers.settings import ParserSettings

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
CellId = tuple[int, float, float, float, float]  # a table cell: the page and box of its (first) piece


@dataclass(frozen=True)
class Word:
    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float | None = None  # OCR's confidence in the text; None for a text layer, HTML or Word
    # The table cell the word is printed in, where the source knows it (the rules around it in a PDF, its
    # <td> or Word cell): its page and box. None for text outside a table, or in an unruled one.
    cell: CellId | None = None
    # The rest of a cell that the page's end cut in two: the cell's first piece, on a page before.
    cell_start: CellId | None = None

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property  # asked many times per word by every table's passes; a regex each time
    def is_value(self) -> bool:
        """What a value cell can hold: a number (with its unit, if any) or a nil mark."""
        return is_value_token(self.text)

    @property
    def line_y(self) -> float:
        """Where the word's line runs: the middle of its cell when it is printed in one (a row's label and
        values share their cells' middle, even where a browser prints them at different heights), else
        the word's own middle."""
        return (self.cell[2] + self.cell[4]) / 2 if self.cell is not None else self.yc

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]  # left to right
    page: int
    vy: float  # virtual y of the line's centre

    @property
    def text(self) -> str:
        """The line's text with all white space removed (labels are split by spaces at random)."""
        return "".join(w.text for w in self.words).replace(" ", "").replace("\u3000", "")


def virtual_y(page: int, y: float, settings: ParserSettings) -> float:
    return (page - 1) * settings.page_gap + y


def group_lines(words: Iterable[Word], settings: ParserSettings, *, in_cells: bool = True) -> list[Line]:
    """Cluster words into lines by vertical centre, page by page, in reading order. A word in a cell is
    placed at its cell's middle (`Word.line_y`), exactly where the rest of its row is, unless
    `in_cells` is off (the lines inside one cell)."""

    def y(w: Word) -> float:
        return w.line_y if in_cells else w.yc

    lines: list[Line] = []
    ordered = sorted(words, key=lambda w: (w.page, y(w), w.x0))
    current: list[Word] = []
    total = 0.0
    for word in ordered:
        if in_cells and word.cell is not None:
            tolerance = settings.line_tolerance  # a cell's middle is exact: its row's rules place it
        else:
            tolerance = max(settings.line_tolerance, settings.line_tolerance_ratio * (word.bottom - word.top))
        if current and (word.page != current[0].page or y(word) - total / len(current) > tolerance):
            lines.append(_make_line(current, total / len(current), settings))
            current, total = [], 0.0
        current.append(word)
        total += y(word)
    if current:
        lines.append(_make_line(current, total / len(current), settings))
    return lines


def _make_line(words: Sequence[Word], y: float, settings: ParserSettings) -> Line:
    return Line(tuple(sorted(words, key=lambda w: w.x0)), words[0].page, virtual_y(words[0].page, y, settings))


def split_at_gaps(values: Sequence[float], groups: int) -> list[list[float]]:
    """1-D clustering: sort and cut at the `groups - 1` widest gaps (column centres from positions)."""
    xs = sorted(values)
    if groups <= 1 or len(xs) < groups:
        return [xs] if xs else []
    gaps = sorted(range(1, len(xs)), key=lambda i: xs[i] - xs[i - 1], reverse=True)[: groups - 1]
    cuts = sorted(gaps)
    out, start = [], 0
    for cut in cuts:
        out.append(xs[start:cut])
        start = cut
    out.append(xs[start:])
    return out
