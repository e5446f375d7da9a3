"""OCR'd text lines turned into the positioned words the reading algorithm consumes.

Pure functions over the recogniser's output. A page scanned a little askew is straightened here, on the
coordinates (rotated back by the median slope of the long text lines) rather than on the image: the
recogniser reads skewed lines well, and the table readers only need rows to share a y.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.layout import Word
from parsers.settings import ParserSettings
from parsers.sources.ocr_engine import TextLine
from parsers.text import normalize_text

# What the recogniser reads for a lone 0 in a table cell: a 0 with no digit beside it is round.
ROUND = frozenset("oO〇○。")


@dataclass(frozen=True)
class Straighten:
    """Rotation (radians, the slope of the text) about `center`, in image pixels, and pixels → points."""

    angle: float
    center: tuple[float, float]
    points_per_pixel: float

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """An image pixel's position on the straightened page, in points."""
        cx, cy = self.center
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        dx, dy = x - cx, y - cy
        k = self.points_per_pixel
        return (cx + dx * cos + dy * sin) * k, (cy - dx * sin + dy * cos) * k

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        """A straightened page position (points) back to its image pixel."""
        cx, cy = self.center
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        dx, dy = x / self.points_per_pixel - cx, y / self.points_per_pixel - cy
        return cx + dx * cos - dy * sin, cy + dx * sin + dy * cos


def skew_angle(lines: Sequence[TextLine], settings: ParserSettings) -> float:
    """The page's skew: the median slope of the top edges of lines long enough to show it (radians)."""
    slopes = []
    for line in lines:
        (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
        height = math.dist(line.quad[0], line.quad[3])
        if x1 - x0 >= settings.ocr_skew_min_ratio * max(height, 1.0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def page_words(lines: Sequence[TextLine], page: int, geometry: Straighten, settings: ParserSettings) -> list[Word]:
    """The words of one page. A line's characters split into words where they are further apart than
    `ocr_split_gap` of the line's height: a row's numbers in neighbouring cells that the detector saw
    as one line come apart."""
    words: list[Word] = []
    for line in lines:
        corners = [geometry.to_page(x, y) for x, y in line.quad]
        top, bottom = min(y for _, y in corners), max(y for _, y in corners)
        glyphs = sorted(
            (
                (min(xs), max(xs), g.text, g.confidence)
                for g in line.glyphs
                for xs in [[geometry.to_page(x, y)[0] for x, y in g.quad]]
            ),
            key=lambda g: g[0],
        )
        if not glyphs or "".join(g[2] for g in glyphs).replace(" ", "") != line.text.replace(" ", ""):
            # No usable character positions: the line as one word.
            glyphs = [(min(x for x, _ in corners), max(x for x, _ in corners), line.text, line.confidence)]
        runs: list[list[tuple[float, float, str, float]]] = []
        gap = settings.ocr_split_gap * (bottom - top)
        for glyph in glyphs:
            if not glyph[2].strip():
                runs.append([])
                continue
            if runs and runs[-1] and glyph[0] - runs[-1][-1][1] <= gap:
                runs[-1].append(glyph)
            else:
                runs.append([glyph])
        runs = [r for r in runs if r]
        for run in runs:
            text = normalize_text("".join(g[2] for g in run))
            confidence = min(g[3] for g in run)
            if len(runs) == 1 and text in ROUND:
                text, confidence = "0", confidence / 2  # read as 0, but in doubt until confirmed
            # A line of one word spans the detected box; the recogniser's character boxes are narrower.
            x0, x1 = (
                (min(x for x, _ in corners), max(x for x, _ in corners)) if len(runs) == 1 else (run[0][0], run[-1][1])
            )
            words.append(Word(text, page, x0, x1, top, bottom, confidence))
    return words
