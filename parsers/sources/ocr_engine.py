"""The OCR engine: RapidOCR (PP-OCRv4 models shipped inside the rapidocr-onnxruntime wheel) on onnxruntime.

Loaded once per process, on first use, with onnxruntime's thread pools pinned to `threads` so that N
parsing workers use N cores rather than N × all of them. Nothing here is downloaded: the models are
files of the installed package.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from gongkai.parsers.report import ReportError


@dataclass(frozen=True)
class Glyph:
    """A character (or a run of Latin letters) the recogniser placed, in image pixels."""

    text: str
    quad: tuple[tuple[float, float], ...]  # four corners, clockwise from top left
    confidence: float


@dataclass(frozen=True)
class TextLine:
    """One detected text line: its quadrilateral, its text and the recogniser's confidence."""

    quad: tuple[tuple[float, float], ...]
    text: str
    confidence: float
    glyphs: tuple[Glyph, ...]


# Readings below this are noise (a speck read as 丶), not a missed digit.
MIN_SCORE = 0.2
# How the engine is made: max_side_len lets the detector keep a 300 dpi A4 page whole instead of
# shrinking it to 2000 px.
ENGINE_OPTIONS: dict[str, Any] = {"max_side_len": 4000}
# RapidOCR drops what it reads below text_score (0.5 by default), and a lone 0 in a table cell often
# reads at 0.3-0.6: keep it, the reader weighs confidence itself. A lone digit boxed by a table's
# rules is a faint, small region for the detector: a lower box threshold and a larger unclip ratio
# find more of them (measured on stamped scans). Every keyword is given: passing any resets the rest.
# No angle classifier: a page is upright once straightened, and the classifier turns a lone 9 it
# takes for upside down into a 6 (seen on a scan).
PAGE_OPTIONS: dict[str, Any] = {
    "use_cls": False,
    "return_word_box": True,
    "text_score": MIN_SCORE,
    "box_thresh": 0.3,
    "unclip_ratio": 2.0,
}


@cache
def _engine(threads: int) -> Any:
    # Imported here: onnxruntime and OpenCV cost half a second to import, and only scans need them.
    try:
        import cv2
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as err:  # opencv-python needs the system's libGL and glib (Debian: libgl1, libglib2.0-0)
        raise ReportError(
            "NO_TEXT_LAYER",
            f"PDF 没有文字层，需要文字识别，但文字识别组件无法加载（{err}）：请安装 libgl1 和 libglib2.0-0。",
        ) from err

    cv2.setNumThreads(threads)  # OpenCV's resizing and warping, which RapidOCR uses, pinned as well
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, **ENGINE_OPTIONS)


def recognize(image: np.ndarray, threads: int = 1) -> list[TextLine]:
    """Every text line of a page image (H × W × 3, RGB), with each character's position."""
    bgr = np.ascontiguousarray(image[:, :, ::-1])
    result, _ = _engine(threads)(bgr, **PAGE_OPTIONS)
    lines = []
    for quad, text, score, glyph_quads, glyph_texts, glyph_scores in result or []:
        glyphs = tuple(
            Glyph(t, _quad(q), float(s)) for q, t, s in zip(glyph_quads or [], glyph_texts, glyph_scores, strict=False)
        )
        lines.append(TextLine(_quad(quad), str(text), float(score), glyphs))
    return lines


def reread(images: list[np.ndarray], threads: int = 1) -> list[tuple[str, float]]:
    """The recogniser alone on images that each hold one line of text (a cell's crop): text, confidence."""
    engine = _engine(threads)
    out = []
    for image in images:
        if min(image.shape[:2]) < 4:  # a box off the page, or with no height: nothing to read
            out.append(("", 0.0))
            continue
        result, _ = engine(np.ascontiguousarray(image[:, :, ::-1]), use_det=False, use_cls=False)
        text, score = result[0] if result else ("", 0.0)
        out.append((str(text).strip(), float(score)))
    return out


def _quad(points: Any) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in points)
