"""Positioned words grouped into visual lines, over all pages of a document.

Pure functions over positioned objects: the only pdfplumber call is in `parsers.sources`. Every line gets a
"virtual y" (page index × page_gap + y) so that one ordering and one distance work across page breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from parsers.numbers import is_cell_token
from parsers.settings import ParserSettings


@dataclass(frozen=True)
class Word:
    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float | None = None  # OCR's confidence in the text; None for a text layer, HTML or Word

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property  # asked many times per word by every table's passes; a regex each time
    def is_cell(self) -> bool:
        return is_cell_token(self.text)

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


def group_lines(words: Iterable[Word], settings: ParserSettings) -> list[Line]:
    """Cluster words into lines by vertical centre, page by page, in reading order."""
    lines: list[Line] = []
    ordered = sorted(words, key=lambda w: (w.page, w.yc, w.x0))
    current: list[Word] = []
    for word in ordered:
        tolerance = max(settings.line_tolerance, settings.line_tolerance_ratio * (word.bottom - word.top))
        if current and (
            word.page != current[0].page or word.yc - sum(w.yc for w in current) / len(current) > tolerance
        ):
            lines.append(_make_line(current, settings))
            current = []
        current.append(word)
    if current:
        lines.append(_make_line(current, settings))
    return lines


def _make_line(words: Sequence[Word], settings: ParserSettings) -> Line:
    yc = sum(w.yc for w in words) / len(words)
    return Line(tuple(sorted(words, key=lambda w: w.x0)), words[0].page, virtual_y(words[0].page, yc, settings))


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
