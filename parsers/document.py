"""What every source hands the reading algorithm: positioned words, as if printed on pages.

A PDF's words carry the positions printed; an HTML or Word table is laid out on a grid
(`parsers.sources.grid`) so that rows share a line and columns share an x. From here on the
algorithm (layout → sections → labels → align → columns → tables) does not know the source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from gongkai.parsers.layout import Word

# How a report was read, as the warehouse records it (reports.source_format), and as the analyst reads it.
FORMAT_LABELS = {
    "pdf": "PDF",
    "html": "网页",
    "docx": "Word 文档",
    "scan": "扫描件",
    "doc": "旧版 Word 文档",
    "wps": "WPS 文字文档",
    "rtf": "RTF 文档",
    "odt": "OpenDocument 文档",
}
# The forms LibreOffice converts into a .docx the Word source reads: each is its own file suffix.
CONVERTED = ("doc", "wps", "rtf", "odt")
# What each cell was read from (facts.read_by): a PDF's text layer, an HTML table, a Word table, OCR.
# A cell that carries an OCR confidence was read by OCR whatever the file (a pasted image in a text PDF).
# A converted office file is read as its Word tables.
READ_BY = {"pdf": "text", "html": "html", "docx": "docx", "scan": "ocr", **dict.fromkeys(CONVERTED, "docx")}


class CellImages(Protocol):
    """The page images behind OCR'd words: a second reading of a cell, and its picture for the analyst."""

    def reread(self, cells: Iterable[tuple[int, tuple[float, float, float, float]]]) -> list[tuple[str, float]]: ...

    def covers(self, page: int) -> bool: ...

    def skews(self) -> dict[int, float]: ...

    def crop_png(self, page: int, box: tuple[float, float, float, float]) -> bytes: ...


@dataclass(frozen=True)
class Document:
    words: list[Word]
    page_heights: dict[int, float]
    pages: int
    source_format: str  # pdf | html | docx | scan | doc | wps | rtf | odt (a key of FORMAT_LABELS)
    # Printed pages have page numbers in their margins; a web page or a Word file's body has none.
    paged: bool = True
    # A date the page itself gives as its publication date (a CMS's 发布时间, its PubDate meta):
    # used when the report prints no date at its end.
    published_hint: date | None = None
    # Where words were read by OCR: the images they were read from (None for text, HTML and Word).
    images: CellImages | None = None
