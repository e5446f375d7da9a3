"""The PDF source, the one place that opens PDFs: the words of every page; unreadable files are ReportErrors."""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from gongkai.parsers.cells import Rules, cells_from_rules, rules_from_boxes
from gongkai.parsers.document import Document
from gongkai.parsers.layout import Word
from gongkai.parsers.report import ReportError
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.sources import pdf_words as words_from

# pdfminer logs a warning for every glyph of a font it finds odd (Chromium's embedded fonts lack a
# FontBBox): noise on the analyst's terminal, never a reason to reject a file.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# CMaps of the standard Chinese fonts that a PDF may name without embedding them (STSong-Light and the
# like). pdfminer loads each on first use and caches it in the process; a process that forks parsing
# children loads them once (`preload_cmaps`) so that no child pays about 0.1 s to load them again.
CHINESE_CMAPS = ("UniGB-UCS2-H", "UniGB-UTF16-H", "GBK-EUC-H")


def preload_cmaps() -> None:
    from pdfminer.cmapdb import CMapDB

    for name in CHINESE_CMAPS:
        CMapDB.get_cmap(name)
    CMapDB.get_unicode_map("Adobe-GB1", vertical=False)


def read_pdf(path: str | Path, settings: ParserSettings) -> Document:
    """The words of every page of a PDF's text layer."""
    path = Path(path)  # that it exists, `read_document` has checked
    if path.stat().st_size == 0:
        raise ReportError("CORRUPT_PDF", "文件为空（0 字节），不是 PDF。")
    with path.open("rb") as fh:
        if b"%PDF" not in fh.read(1024):
            raise ReportError("CORRUPT_PDF", "文件不是 PDF（开头没有 %PDF 标记）。")
    heights: dict[int, float] = {}
    chars = 0
    ruled: list[tuple[int, list[Word], Rules]] = []  # each page's words and its rules
    pictured: dict[int, list[tuple[float, float, float, float]]] = {}  # page → its pictures' boxes
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                heights[number] = float(page.height)
                page_chars = words_from.page_chars(page.layout, float(page.height), page.mediabox)
                chars += len(page_chars)
                pictures = words_from.page_pictures(page.layout, float(page.height), page.mediabox)
                area = sum((x1 - x0) * (bottom - top) for x0, top, x1, bottom in pictures)
                if area >= settings.ocr_image_share * float(page.width) * float(page.height):
                    pictured[number] = pictures
                page_words = words_from.group_words(page_chars, number, settings)
                rules = Rules((), ())
                if settings.read_cells:  # the drawings matter to cells only
                    drawn = words_from.page_drawings(
                        page.layout, float(page.height), page.mediabox, settings.rule_max_width
                    )
                    rules = rules_from_boxes(drawn, settings)
                ruled.append((number, page_words, rules))
                page.flush_cache()
            pages = len(pdf.pages)
    except MemoryError:
        raise  # a limit of the caller's, not a property of the file
    except Exception as exc:  # pdfminer raises many kinds on broken files; sort them into two reasons
        if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], MemoryError):
            raise exc.args[0] from None
        raise _classify(exc) from exc
    if chars == 0 or pictured:
        # The OCR stack (numpy, pdfium, the recogniser) loads only for a PDF that needs it: a text PDF's
        # parse, one process a file, does not pay for it.
        from gongkai.parsers.sources import scan
    if chars == 0:
        return scan.read_scan(path, settings)  # a scan: every page read by OCR
    if settings.read_cells:
        words = cells_from_rules(ruled, settings)
    else:
        words = [w for _, page_words, _ in ruled for w in page_words]
    if pictured:
        # A table pasted as a picture: OCR the page, keep what it reads inside the pictures.
        read, images = scan.ocr_pages(path, sorted(pictured), settings)
        # Only where the text layer has nothing (a scanner's invisible text layer is read, not doubled).
        printed = [w for w in words if w.page in pictured]
        words += [
            w
            for w in read
            if any(_inside(w, box) for box in pictured[w.page]) and not any(_overlap(w, p) for p in printed)
        ]
        return Document(words, heights, pages, "pdf", images=images)
    return Document(words, heights, pages, "pdf")


def _overlap(a: Word, b: Word) -> bool:
    return a.page == b.page and a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def _inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= word.xc <= box[2] and box[1] <= word.yc <= box[3]


def _classify(exc: Exception) -> ReportError:
    # pdfplumber wraps pdfminer's exception as the first argument of its own.
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(inner).lower():
        return ReportError("ENCRYPTED_PDF", "PDF 已加密，需要密码才能打开。")
    detail = f"{type(inner).__name__}: {inner}".strip().rstrip(":")
    return ReportError("CORRUPT_PDF", f"PDF 已损坏或不完整，无法读取（{detail}）。")
