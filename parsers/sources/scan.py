"""The scan source: PDF pages with no text layer, rendered (pypdfium2) and read by OCR.

The words it hands the reading algorithm carry the recogniser's confidence. The rendered pages stay
with the document (`ScanImages`) so that a cell in doubt can be read a second time from a sharper
crop, and shown to the analyst as the crop of the scan it was read from.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2

from parsers.document import Document
from parsers.layout import Word
from parsers.report import ReportError
from parsers.settings import ParserSettings
from parsers.sources import ocr_engine
from parsers.sources.ocr_words import ROUND, Straighten, page_words, skew_angle

Box = tuple[float, float, float, float]


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

    def reread(self, cells: Iterable[tuple[int, Box]]) -> list[tuple[str, float]]:
        """Each cell's text read again by the recogniser alone, from the page rendered at a higher
        resolution (`ocr_reread_scale` × the first) and cropped to the cell."""
        scale = self.settings.ocr_reread_scale
        crops = []
        with _open(self.path) as pdf:
            rendered: dict[int, np.ndarray] = {}
            for page, box in cells:
                if page not in rendered:
                    same = scale == 1.0
                    rendered[page] = (
                        self.images[page] if same else _render(pdf[page - 1], self.settings.ocr_dpi * scale)
                    )
                # The box as detected, no margin: a table's rule beside a lone 0 makes it read as 。 or .
                x0, y0, x1, y1 = (round(v) for v in self._pixel_box(page, box, 0.0, 0.0, scale))
                image = rendered[page]
                crops.append(image[max(y0, 0) : y1, max(x0, 0) : x1])
        return [(_zero(text), confidence) for text, confidence in ocr_engine.reread(crops, self.settings.ocr_threads)]

    def crop_png(self, page: int, box: Box) -> bytes:
        """A PNG of the cell and a little of what surrounds it, as the scan shows it."""
        from PIL import Image

        x0, y0, x1, y1 = (round(v) for v in self._pixel_box(page, box, 1.5, 0.5))
        image = self.images[page]
        buffer = io.BytesIO()
        Image.fromarray(image[max(y0, 0) : y1, max(x0, 0) : x1]).save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


def _zero(text: str) -> str:
    """A cell's crop read as a lone round mark is a 0: the recogniser's 。, o or 〇 in a number cell."""
    return "0" if text in ROUND else text


class _open:
    """pypdfium2's document as a context manager that closes it."""

    def __init__(self, path: Path) -> None:
        self.pdf = pypdfium2.PdfDocument(str(path))

    def __enter__(self) -> pypdfium2.PdfDocument:
        return self.pdf

    def __exit__(self, *exc: object) -> None:
        self.pdf.close()


def _render(page: pypdfium2.PdfPage, dpi: float) -> np.ndarray:
    return np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))


def ocr_page_count(path: str | Path, settings: ParserSettings) -> int:
    """How many pages of a PDF OCR will read: all of a scan, or those mostly covered by pictures.
    Cheap (pdfium, no layout analysis): the caller sizes the time and memory it allows by it."""
    import pypdfium2.raw as pdfium_c

    with _open(Path(path)) as pdf:
        if all(pdf[i].get_textpage().count_chars() == 0 for i in range(len(pdf))):
            return len(pdf)
        count = 0
        for i in range(len(pdf)):
            width, height = pdf[i].get_size()
            area = 0.0
            for image in pdf[i].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
                left, bottom, right, top = image.get_bounds()
                area += (right - left) * (top - bottom)
            count += area >= settings.ocr_image_share * width * height
        return count


def ocr_pages(path: str | Path, pages: Iterable[int], settings: ParserSettings) -> tuple[list[Word], ScanImages]:
    """The words OCR reads on `pages` of a PDF, and the page images kept for second readings."""
    images = ScanImages(Path(path), settings)
    words: list[Word] = []
    with _open(Path(path)) as pdf:
        for number in pages:
            image = _render(pdf[number - 1], settings.ocr_dpi)
            lines = ocr_engine.recognize(image, settings.ocr_threads)
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
