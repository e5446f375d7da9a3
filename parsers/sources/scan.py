"""The scan source: PDF pages with no text layer, rendered (pypdfium2) and read by OCR.

The words it hands the reading algorithm carry the recogniser's confidence. The rendered pages stay
with the document (`ScanImages`) so that a cell in doubt can be read a second time from its own crop
(rules wiped, trimmed to its ink), and shown to the analyst as the crop of the scan it was read from.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2

from gongkai.parsers.document import Document
from gongkai.parsers.layout import Word
from gongkai.parsers.report import ReportError
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.sources import ocr_engine
from gongkai.parsers.sources.ocr_words import LONE_DIGIT, LONE_MARK, ROUND, STROKE, Straighten, page_words, skew_angle

Box = tuple[float, float, float, float]

# Called with the number of pages about to be OCR'd, before the first: a caller that limits a parse's
# time and memory (`parsers.isolation`'s parse child) gives OCR the time and memory it needs.
before_ocr: Callable[[int], None] | None = None


@dataclass
class ScanImages:
    """The pages of one scanned PDF as the OCR saw them, for second readings and crops of cells."""

    path: Path
    settings: ParserSettings
    geometry: dict[int, Straighten] = field(default_factory=dict)  # page → how its words were placed
    images: dict[int, np.ndarray] = field(default_factory=dict)  # page → RGB image at settings.ocr_dpi

    def _pixel_box(self, page: int, box: Box, pad_x: float, pad_y: float, scale: float = 1.0) -> Box:
        x0, top, x1, bottom = box
        h = bottom - top
        corners = [(x0 - pad_x * h, top - pad_y * h), (x1 + pad_x * h, bottom + pad_y * h)]
        corners += [(corners[0][0], corners[1][1]), (corners[1][0], corners[0][1])]
        pixels = [self.geometry[page].to_image(x, y) for x, y in corners]
        xs, ys = [p[0] * scale for p in pixels], [p[1] * scale for p in pixels]
        return min(xs), min(ys), max(xs), max(ys)

    def covers(self, page: int) -> bool:
        return page in self.geometry

    def skews(self) -> dict[int, float]:
        """Each OCR'd page's skew (radians), taken out of its words' coordinates."""
        return {page: g.angle for page, g in self.geometry.items()}

    def reread(self, cells: Iterable[tuple[int, Box]]) -> list[tuple[str, float]]:
        """Each cell's text read again by the recogniser alone, from its own crop of the page (rendered
        `ocr_reread_scale` × as sharp as for the first reading), the seal's red taken out."""
        scale = self.settings.ocr_reread_scale
        rendered: dict[int, np.ndarray] = {}
        crops = []
        for page, box in cells:
            if page not in rendered:
                rendered[page] = self.images[page] if scale == 1.0 else self._render(page, scale)
            # The box with a margin above and below, so that no digit reaches from edge to edge, and
            # the table's rules in it wiped: a rule beside a lone 0 makes it read as 。 or ., and a rule
            # alone as 1.
            x0, y0, x1, y1 = (round(v) for v in self._pixel_box(page, box, 0.0, self.settings.ocr_blank_margin, scale))
            crop = without_red(rendered[page][max(y0, 0) : y1, max(x0, 0) : x1])
            crops.append(_to_ink(clear_rules(crop)))
        readings = ocr_engine.reread(crops, self.settings.ocr_threads)
        return [(_lone_glyph(text, crop), confidence) for (text, confidence), crop in zip(readings, crops, strict=True)]

    def _render(self, page: int, scale: float) -> np.ndarray:
        with _open(self.path) as pdf:
            return _render(pdf[page - 1], self.settings.ocr_dpi * scale)

    def crop_png(self, page: int, box: Box) -> bytes:
        """A PNG of the cell and a little of what surrounds it, as the scan shows it."""
        from PIL import Image

        x0, y0, x1, y1 = (round(v) for v in self._pixel_box(page, box, 1.5, 0.5))
        image = self.images[page]
        buffer = io.BytesIO()
        Image.fromarray(image[max(y0, 0) : y1, max(x0, 0) : x1]).save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


def clear_rules(crop: np.ndarray, band: float = 0.25, length: float = 0.5) -> np.ndarray:
    """The crop of a cell with the table's rules whitened: in its outer `band` on each side (the cell's
    own rules; its digits are in the middle), pixel columns with a dark run of at least `length` of
    the crop's height, and pixel rows with one of at least `length` of its width."""
    if crop.size == 0:
        return crop
    dark = _dark(crop)
    height, width = dark.shape
    columns = np.array([_longest_run(dark[:, x]) >= length * height for x in range(width)])
    rows = np.array([_longest_run(dark[y, :]) >= length * width for y in range(height)])
    columns[round(band * width) : width - round(band * width)] = False
    rows[round(band * height) : height - round(band * height)] = False
    # A rule is a few pixels thick and antialiased: its neighbours go with it.
    columns |= np.roll(columns, 1) | np.roll(columns, -1)
    rows |= np.roll(rows, 1) | np.roll(rows, -1)
    out = crop.copy()
    paper = np.percentile(crop.reshape(-1, 3), 90, axis=0).astype(crop.dtype)
    out[:, columns] = paper
    out[rows, :] = paper
    return out


def _dark(crop: np.ndarray) -> np.ndarray:
    """The crop's ink: pixels darker than halfway between its lightest and its darkest."""
    gray = crop.mean(axis=2)
    return gray < (gray.max() + gray.min()) / 2


def _longest_run(line: np.ndarray) -> int:
    """The longest run of True in a 1-D boolean array."""
    if not line.any():
        return 0
    edges = np.diff(np.concatenate(([0], line.astype(np.int8), [0])))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return int((ends - starts).max())


def _lone_glyph(text: str, crop: np.ndarray) -> str:
    """A cell's crop read as one mark that a number cell prints as a digit or a dash, told by the shape of
    its ink: a round mark is a 0 (the recogniser's 。, o or 〇, or a . when the 0 is faint) if it stands as
    tall as a digit; a stroke is a 1 when it stands upright and a dash when it lies flat (the recogniser
    reads a serif 1 as 一 as readily as a dash)."""
    round_mark = text in ROUND or text == "."
    if not round_mark and text not in STROKE and text not in LONE_MARK and text not in ("—", "-", "1"):
        return text
    ink = _ink_box(crop)
    if ink is None:
        return LONE_DIGIT.get(text, text)
    height, width, share = ink
    if round_mark:
        return "0" if height >= 1.2 * width and share >= 0.35 else LONE_DIGIT.get(text, text)
    return "1" if height >= 1.5 * width else "—" if width >= 1.5 * height else text


def _to_ink(crop: np.ndarray, margin: float = 0.2) -> np.ndarray:
    """The crop trimmed to its ink and a margin: the recogniser reads a glyph small in a large crop as a
    dot (a detected box grown by its unclip ratio, a blank cell's wide box)."""
    ink = _ink(crop)
    if ink is None:
        return crop
    top, bottom, left, right = ink
    pad = max(2, round(margin * (bottom - top)))
    return crop[max(top - pad, 0) : bottom + pad, max(left - pad, 0) : right + pad]


def _ink_box(crop: np.ndarray) -> tuple[int, int, float] | None:
    """Height and width (pixels) of the ink in a crop, and its height as a share of the crop's."""
    ink = _ink(crop)
    if ink is None:
        return None
    top, bottom, left, right = ink
    return bottom - top, right - left, (bottom - top) / crop.shape[0]


def _ink(crop: np.ndarray) -> tuple[int, int, int, int] | None:
    """Top, bottom, left, right (exclusive) of the crop's ink: rows and columns with two dark pixels or
    more (a speck of noise has fewer)."""
    if crop.size == 0:
        return None
    dark = _dark(crop)
    rows, columns = np.nonzero(dark.sum(axis=1) >= 2)[0], np.nonzero(dark.sum(axis=0) >= 2)[0]
    if not len(rows) or not len(columns):
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(columns[0]), int(columns[-1]) + 1


class _open:
    """pypdfium2's document as a context manager that closes it."""

    def __init__(self, path: Path) -> None:
        self.pdf = pypdfium2.PdfDocument(str(path))

    def __enter__(self) -> pypdfium2.PdfDocument:
        return self.pdf

    def __exit__(self, *exc: object) -> None:
        self.pdf.close()


def without_red(image: np.ndarray) -> np.ndarray:
    """The page as its red channel, in grey: red ink (the township's seal, stamped over the signature and
    the date) turns as light as the paper, black text stays black, even where the seal covers it."""
    return np.ascontiguousarray(np.repeat(image[:, :, :1], 3, axis=2))


def _in_red(image: np.ndarray, line: ocr_engine.TextLine) -> bool:
    """Whether a line is printed in red: what is left of a dark seal's name round its rim, not the
    report's text. Black ink absorbs red light too, so black text, even under the seal, has pixels dark
    in all three channels; red ink stays bright in the red one."""
    xs, ys = [round(x) for x, _ in line.quad], [round(y) for _, y in line.quad]
    region = image[max(min(ys), 0) : max(ys), max(min(xs), 0) : max(xs)].astype(np.int16)
    if region.size == 0:
        return False
    black = (region.max(axis=2) < 120).sum()
    red = ((region[:, :, 0] - np.maximum(region[:, :, 1], region[:, :, 2]) > 35) & (region.min(axis=2) < 200)).sum()
    return bool(red > 0 and black < 0.1 * red)


def _render(page: pypdfium2.PdfPage, dpi: float) -> np.ndarray:
    return np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))


def ocr_pages(path: str | Path, pages: Iterable[int], settings: ParserSettings) -> tuple[list[Word], ScanImages]:
    """The words OCR reads on `pages` of a PDF, and the page images kept for second readings."""
    pages = list(pages)
    if before_ocr is not None:
        before_ocr(len(pages))
    images = ScanImages(Path(path), settings)
    words: list[Word] = []
    with _open(Path(path)) as pdf:
        for number in pages:
            image = _render(pdf[number - 1], settings.ocr_dpi)
            read = ocr_engine.recognize(without_red(image), settings.ocr_threads)
            lines = [line for line in read if not _in_red(image, line)]
            height, width = image.shape[:2]
            geometry = Straighten(skew_angle(lines, settings), (width / 2, height / 2), 72 / settings.ocr_dpi)
            images.geometry[number], images.images[number] = geometry, image
            words += page_words(lines, number, geometry, settings)
    return words, images


def read_scan(path: str | Path, settings: ParserSettings) -> Document:
    """A PDF whose pages are images (a scan): every page read by OCR."""
    with _open(Path(path)) as pdf:
        heights = {i + 1: float(pdf[i].get_size()[1]) for i in range(len(pdf))}
    words, images = ocr_pages(path, sorted(heights), settings)
    if not any(w.text.strip() for w in words):
        raise ReportError(
            "NO_TEXT_LAYER", f"PDF 共 {len(heights)} 页，没有文字层，文字识别也没有读到文字（空白页或照片）。"
        )
    return Document(words, heights, len(heights), "scan", images=images)
