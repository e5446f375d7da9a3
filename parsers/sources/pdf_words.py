"""Characters to words, straight from pdfminer's layout objects.

pdfplumber turns every layout object of a page into a dict of some twenty attributes (colours, font,
matrix…) before `extract_words` groups them; the profile showed that conversion at about a third of a
parse. We need five attributes of characters only, so we read them off pdfminer's LTChar objects and
group them the way pdfplumber's WordExtractor does with our tolerances: lines by `top`, then words split
at white space or at a gap wider than `x_tolerance`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTItem, LTLine, LTRect

from gongkai.parsers.layout import Word
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.text import normalize_text

Char = tuple[str, float, float, float, float]  # text, x0, x1, top, bottom


def page_chars(layout: LTContainer, height: float, mediabox: tuple[float, ...]) -> list[Char]:
    """Upright characters of a page in pdfplumber's coordinates (top-down, offset by the MediaBox)."""
    mb_x0, mb_top = mediabox[0], mediabox[1]
    return [
        (c.get_text(), c.x0 + mb_x0, c.x1 + mb_x0, height - c.y1 + mb_top, height - c.y0 + mb_top)
        for c in _iter(layout, LTChar)
    ]


def page_pictures(
    layout: LTContainer, height: float, mediabox: tuple[float, ...]
) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) of a page's images, in the same coordinates as its characters: read off
    the layout like them, since pdfplumber's `page.images` would turn every object of the page into a
    dict (half as much again as a parse)."""
    mb_x0, mb_top = mediabox[0], mediabox[1]
    return [
        (i.x0 + mb_x0, height - i.y1 + mb_top, i.x1 + mb_x0, height - i.y0 + mb_top) for i in _iter(layout, LTImage)
    ]


def page_drawings(
    layout: LTContainer, height: float, mediabox: tuple[float, ...], thin: float
) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) of what a page draws as lines, in the same coordinates as its
    characters: stroked lines, rects (a rect's four sides) and paths of straight strokes, and rects no
    thicker than `thin` filled in a colour (how browsers and WPS draw a border). A broad fill is a
    background or a cell's shading, not a border: WPS puts white rects behind every line of prose."""
    mb_x0, mb_top = mediabox[0], mediabox[1]
    return [
        (c.x0 + mb_x0, height - c.y1 + mb_top, c.x1 + mb_x0, height - c.y0 + mb_top)
        for c in _iter(layout, LTCurve)
        if (c.stroke or (c.fill and min(c.width, c.height) <= thin and not _white(c.non_stroking_color)))
        and _ruled(c, thin)
    ]


def _ruled(curve: LTCurve, thin: float) -> bool:
    """A line or rect, a path no thicker than a rule (a browser draws each border as a thin polygon
    whose corners are mitred: a diagonal step of a border's width), or a path of horizontal and
    vertical strokes: what rules a table. A seal's, a logo's or an underline's curve is none, and its
    box must not close a cell round the signature under it."""
    if isinstance(curve, LTLine | LTRect) or min(curve.width, curve.height) <= thin:
        return True
    pts = curve.pts
    return all(
        abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5 or max(abs(a[0] - b[0]), abs(a[1] - b[1])) <= thin
        for a, b in zip(pts, pts[1:], strict=False)
    )


def _white(color: object) -> bool:
    """A fill colour that leaves nothing to see on paper (gray, RGB or CMYK)."""
    values = color if isinstance(color, tuple | list) else (color,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False  # a pattern or a named colour: take it as drawn
    if len(numbers) == 4:
        return all(v <= 0.05 for v in numbers)
    return bool(numbers) and all(v >= 0.95 for v in numbers)


def _iter(item: LTItem, kind: type[LTItem]) -> Iterator:
    if isinstance(item, kind):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _iter(child, kind)


def group_words(chars: list[Char], page: int, settings: ParserSettings) -> list[Word]:
    words: list[Word] = []
    for line in _lines(chars, settings.y_tolerance):
        current: list[Char] = []
        for char in sorted(line, key=lambda c: c[1]):
            if char[0].isspace():
                _emit(current, page, words)
                current = []
                continue
            if current and char[1] - current[-1][2] > settings.x_tolerance:
                _emit(current, page, words)
                current = []
            current.append(char)
        _emit(current, page, words)
    return words


def _lines(chars: list[Char], tolerance: float) -> list[list[Char]]:
    """Cluster by `top` as pdfplumber's cluster_objects does: a new line where the gap exceeds tolerance."""
    lines: list[list[Char]] = []
    last_top = None
    for char in sorted(chars, key=lambda c: c[3]):
        if last_top is None or char[3] - last_top > tolerance:
            lines.append([])
        lines[-1].append(char)
        last_top = char[3]
    return lines


def _emit(chars: list[Char], page: int, out: list[Word]) -> None:
    text = normalize_text("".join(c[0] for c in chars))
    if text.strip():
        out.append(
            Word(text, page, chars[0][1], max(c[2] for c in chars), min(c[3] for c in chars), max(c[4] for c in chars))
        )
