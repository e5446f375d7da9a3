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

from gongkai.parsers.layout import Word
from gongkai.parsers.numbers import is_value_token
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.sources.ocr_engine import TextLine
from gongkai.parsers.text import normalize_text

# What the recogniser reads for a lone digit in a table cell, alone on its line: a round mark is a 0,
# an upright stroke a 1 (serif digits).
ROUND = frozenset("oO〇○。")
STROKE = frozenset("Il|丨")
LONE_DIGIT = {**dict.fromkeys(ROUND, "0"), **dict.fromkeys(STROKE, "1")}
# A dash printed in a cell (a nil mark, never 0) reads as the character 一; alone on its line it is the
# dash, and the second reading says whether it was a 1.
LONE_MARK = {"一": "—", "_": "—"}


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


def _stray(text: str) -> bool:
    """One character that no report prints alone: not a digit, not a Chinese character, not a nil mark."""
    return len(text) == 1 and not text.isdigit() and not ("\u2e80" <= text <= "\u9fff") and not is_value_token(text)


def _spread(before: tuple[float, float, str, float], glyph: tuple[float, float, str, float], spacing: float) -> bool:
    """Two digits further apart than one number's digits ever are: the recogniser places the characters
    of a line evenly, with no gaps, so a row of lone digits the detector took as one line ("201030000"
    across nine cells) shows itself only by the spacing of its characters' centres."""
    far = (glyph[0] + glyph[1] - before[0] - before[1]) / 2 > spacing
    return far and _numeric(before[2]) and _numeric(glyph[2])


def _numeric(text: str) -> bool:
    """A digit, or a mark the recogniser reads for one (。 o 〇 for 0, I l | for 1), or a dash."""
    return text.isdigit() or text in LONE_DIGIT or text in LONE_MARK or text in ("—", "-")


def page_words(lines: Sequence[TextLine], page: int, geometry: Straighten, settings: ParserSettings) -> list[Word]:
    """The words of one page. A line's characters split into words where they are further apart than
    `ocr_split_gap` of the line's height: a row's numbers in neighbouring cells that the detector saw
    as one line come apart."""
    words: list[Word] = []
    for line in lines:
        corners = [geometry.to_page(x, y) for x, y in line.quad]
        top, bottom = min(y for _, y in corners), max(y for _, y in corners)
        left, right = min(x for x, _ in corners), max(x for x, _ in corners)
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
            glyphs = [(left, right, line.text, line.confidence)]
        runs: list[list[tuple[float, float, str, float]]] = []
        gap = settings.ocr_split_gap * (bottom - top)
        spacing = settings.ocr_split_spacing * (bottom - top)
        for glyph in glyphs:
            if not glyph[2].strip():
                runs.append([])
                continue
            if runs and runs[-1] and glyph[0] - runs[-1][-1][1] <= gap and not _spread(runs[-1][-1], glyph, spacing):
                runs[-1].append(glyph)
            else:
                runs.append([glyph])
        runs = [r for r in runs if r]
        # A line of one word, or of cells' marks only (a row of digits read as one line): each word
        # stands alone in its cell, where a round mark is a 0 and a stray mark is a cell's to read again.
        alone = len(runs) == 1 or all(_numeric(g[2]) for g in glyphs)
        for run in runs:
            text = normalize_text("".join(g[2] for g in run))
            confidence = min(g[3] for g in run)
            if alone and (text in LONE_DIGIT or text in LONE_MARK):
                # A digit or a dash, in doubt until confirmed.
                text, confidence = LONE_DIGIT.get(text) or LONE_MARK[text], confidence / 2
            elif alone and _stray(text):
                # A lone mark that is neither a digit nor a character of the report (® for a faint 0):
                # a cell's mark, to be read again, rather than a word that breaks its row of numbers.
                text, confidence = "—", confidence / 2
            # A line of one word spans the detected box; the recogniser's character boxes are narrower.
            x0, x1 = (left, right) if len(runs) == 1 else (run[0][0], run[-1][1])
            words.append(Word(text, page, x0, x1, top, bottom, confidence))
    return words
