"""Scanned reports, read by OCR: reports written by the project's generator, printed, stamped with the
township's red seal and scanned by demo.scan (image-only PDFs, skewed, noisy, JPEG-compressed).

The rule under test is the issue's: every cell is read exactly, or is listed as uncertain or
unreadable; a wrong number is never presented as read.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2
import pytest

from gongkai.demo.corpus import write_corpus
from gongkai.parsers import ReportError, parse_report
from gongkai.parsers.document import Document
from gongkai.parsers.isolation import Limits, parse_many
from gongkai.parsers.parse import read_report
from gongkai.parsers.report import Report
from gongkai.parsers.settings import DEFAULT_SETTINGS
from gongkai.parsers.sources import read_document
from gongkai.parsers.sources.scan import clear_rules

pytestmark = pytest.mark.slow  # OCR: about 30 s a report on one core


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, Any]]]:
    """Four generated township-years, two of them scanned: (file, truth)."""
    out = tmp_path_factory.mktemp("scans")
    write_corpus(out, 4, (2023, 2023), 5, workers=1, scans=2)
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "reports").glob("*.json"))]
    return [(out / "reports" / t["file"], t) for t in truths]


def _scans(reports: list[tuple[Path, dict[str, Any]]]) -> list[tuple[Path, dict[str, Any]]]:
    found = [(path, truth) for path, truth in reports if truth.get("scan")]
    assert len(found) == 2
    return found


@pytest.fixture(scope="module")
def scanned(reports) -> list[tuple[Document, Report, dict[str, Any]]]:
    """Each scan OCR'd once: its words, its report and its truth."""
    out = []
    for path, truth in _scans(reports):
        document = read_document(path, DEFAULT_SETTINGS)
        out.append((document, read_report(document), truth))
    return out


def test_every_cell_of_a_scan_is_read_exactly_or_listed_in_doubt(scanned):
    exact = total = 0
    for _, report, truth in scanned:
        assert (report.source_format, report.ocr, report.body, report.year) == (
            "scan",
            True,
            truth["body"],
            truth["year"],
        )
        assert str(report.published_on) == str(truth["published_on"])
        doubtful = {c.code for c in report.uncertain} | {c.code for c in report.unreadable}
        for code in set(truth["cells"]) | set(report.cells):
            total += 1
            read = report.cells[code].value if code in report.cells else None
            if read == truth["cells"].get(code):
                exact += 1
            else:  # never a wrong number presented as read
                assert code in doubtful, (truth["file"], code, truth["cells"].get(code), read)
        # Every OCR'd cell carries its confidence; a cell in doubt carries the crop of its image.
        assert all(0 <= c.confidence <= 1 for c in report.cells.values() if c.raw)
        assert all(c.crop and c.crop[:4] == b"\x89PNG" for c in report.uncertain)
    assert exact / total >= 0.99, (exact, total)


def test_parse_json_says_ocr_and_lists_the_cells_in_doubt(reports, scanned):
    _, report, _ = scanned[0]
    out = report.to_json()
    assert out["ocr"] is True and out["source_format"] == "scan"
    assert [u["code"] for u in out["uncertain"]] == [c.code for c in report.uncertain]
    text_pdf = next(p for p, t in reports if t["layout"]["medium"] == "pdf")
    assert parse_report(text_pdf).to_json()["ocr"] is False


def test_a_table_pasted_as_a_picture_into_a_text_pdf_is_read_from_the_picture(reports, tmp_path):
    """Table 四 replaced by its picture, its heading still text: the page is OCR'd for the picture."""
    path, truth = next((p, t) for p, t in reports if t["layout"]["medium"] == "pdf")
    pasted = tmp_path / "pasted.pdf"
    page_index = _picture_table_four(path, pasted)
    report = parse_report(pasted)
    assert report.source_format == "pdf"
    t4 = {code: cell for code, cell in report.cells.items() if code.startswith("t4.")}
    assert len(t4) == 15 and all(c.ocr and c.page == page_index + 1 for c in t4.values())
    for code, cell in report.cells.items():
        assert cell.value == truth["cells"].get(code) or cell.uncertain, code
    assert not any(c.ocr for code, c in report.cells.items() if code.startswith("t3."))


def _picture_table_four(source: Path, target: Path) -> int:
    """Copy `source` with table 四's rules and text (below its heading) replaced by a JPEG picture of them.
    Returns the 0-based page index."""
    import io

    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(str(source))
    for index in range(len(pdf)):
        page = pdf[index]
        text = page.get_textpage()
        found = text.search("四、政府信息公开行政复议").get_next()
        if found:
            break
    else:
        raise AssertionError("no table 四 heading")
    (_, _, _, heading_bottom) = text.get_charbox(found[0])
    width, height = page.get_size()
    cut = heading_bottom - 6  # PDF y grows upwards: everything below the heading's baseline
    image = page.render(scale=200 / 72, crop=(0, 0, 0, height - cut)).to_pil().convert("RGB")
    for obj in list(page.get_objects()):
        if obj.type in (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH) and obj.get_bounds()[3] < cut:
            page.remove_obj(obj)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    picture = pypdfium2.PdfImage.new(pdf)
    picture.load_jpeg(buffer)
    picture.set_matrix(pypdfium2.PdfMatrix().scale(width, cut))
    page.insert_obj(picture)
    page.gen_content()
    pdf.save(str(target))
    return index


def test_a_blank_page_scanned_is_no_text_layer(tmp_path):
    from PIL import Image

    blank = tmp_path / "blank.pdf"
    noise = np.random.default_rng(1).normal(235, 6, (1169, 827)).clip(0, 255).astype(np.uint8)
    Image.fromarray(noise).convert("RGB").save(blank, resolution=100)
    with pytest.raises(ReportError) as err:
        parse_report(blank)
    assert err.value.reason == "NO_TEXT_LAYER" and "文字识别" in err.value.message


def test_a_scan_gets_the_time_and_memory_its_pages_need_in_the_parse_child(reports):
    path, truth = _scans(reports)[0]
    pages = truth["pages"]
    # Five seconds and 1 GB would end any OCR; a scan's pages bring their own allowance.
    limits = Limits(seconds=5, memory_mb=1024, ocr_seconds_per_page=60, ocr_memory_mb=3072)
    start = time.monotonic()
    [(done, result)] = list(parse_many([str(path)], limits))
    assert time.monotonic() - start > 5  # it did run longer than the text-layer limit
    assert done == str(path) and not isinstance(result, ReportError), result
    assert result.source_format == "scan" and result.pages == pages
    # Without the OCR allowance, the same file is stopped, with the reason.
    [(_, stopped)] = list(parse_many([str(path)], Limits(seconds=5, ocr_seconds_per_page=0)))
    assert isinstance(stopped, ReportError) and stopped.reason == "PARSE_TIMEOUT"


def test_clear_rules_wipes_a_table_rule_and_keeps_the_digit():
    crop = np.full((40, 30, 3), 240, np.uint8)
    crop[:, 2:4] = 20  # a vertical rule, edge to edge
    crop[10:30, 14:17] = 30  # a 1
    cleared = clear_rules(crop)
    assert cleared[:, 2:4].min() > 200
    assert cleared[10:30, 14:17].max() < 60


def test_the_seal_is_not_read_as_text_and_the_signature_under_it_is(scanned):
    for document, report, truth in scanned:
        seal = truth["scan"]["seal"]
        x, y = seal["center"]
        radius = seal["diameter"] / 2
        under = [
            w.text
            for w in document.words
            if w.page == seal["page"] and (w.xc - x) ** 2 + (w.yc - y) ** 2 < (radius * 0.9) ** 2
        ]
        # Only the signature and the date are printed where the seal is; the seal's red ring of characters
        # (the township's name, curved) is not read as text: no fragment of it, every word whole.
        assert under, "the seal is stamped over the signature"
        for word in under:
            assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", word) or word.endswith(
                ("人民政府", "办事处", truth["body"])
            ), (truth["file"], word)
        assert str(report.published_on) == str(truth["published_on"])


def test_each_page_is_straightened_by_the_skew_it_was_scanned_with(scanned):
    for _, report, truth in scanned:
        # The generator's angles are counter-clockwise on the image; a text line rising to the right slopes
        # negatively in image coordinates (y downwards).
        measured = [-math.degrees(report.skew[page]) for page in sorted(report.skew)]
        assert len(measured) == truth["pages"]
        # Within a quarter of a degree: 4 px across a 200 dpi page, well inside a line.
        assert measured == pytest.approx(truth["scan"]["page_angles"], abs=0.25), truth["file"]
