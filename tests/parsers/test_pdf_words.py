"""Our word grouping, read straight off pdfminer's characters for speed, against pdfplumber's own
`extract_words` with the same tolerances: the same words, in the same places."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from gongkai.parsers.settings import DEFAULT_SETTINGS
from gongkai.parsers.sources.pdf import read_pdf
from gongkai.parsers.text import normalize_text
from tests.parsers.builder import Spec, build


def _ours(path: Path) -> dict[int, list[tuple]]:
    by_page: dict[int, list[tuple]] = {}
    for w in read_pdf(path, DEFAULT_SETTINGS).words:
        by_page.setdefault(w.page, []).append((w.text, *(round(v, 1) for v in (w.x0, w.x1, w.top, w.bottom))))
    return {page: sorted(words) for page, words in by_page.items()}


def _pdfplumbers(path: Path) -> dict[int, list[tuple]]:
    out = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(
                x_tolerance=DEFAULT_SETTINGS.x_tolerance, y_tolerance=DEFAULT_SETTINGS.y_tolerance
            )
            out[number] = sorted(
                (normalize_text(w["text"]), *(round(w[k], 1) for k in ("x0", "x1", "top", "bottom"))) for w in words
            )
    return out


def test_words_as_pdfplumber_groups_them_on_a_generated_report(tmp_path: Path):
    path = build(tmp_path / "r.pdf", Spec(number_style="thousands", values={"t2.licensing.decisions": 12345}))
    ours, theirs = _ours(path), _pdfplumbers(path)
    assert ours == theirs
    assert sum(len(words) for words in ours.values()) > 300


def test_words_as_pdfplumber_groups_them_on_a_real_report(real_reports):
    path = real_reports / "hongze-2023.pdf"
    ours, theirs = _ours(path), _pdfplumbers(path)
    assert ours.keys() == theirs.keys()
    for page in ours:
        assert ours[page] == theirs[page], page


@pytest.mark.parametrize("name", ["hongze-2024.pdf", "huaian-2024.pdf"])
def test_words_as_pdfplumber_groups_them_on_other_real_reports(real_reports, name):
    assert _ours(real_reports / name) == _pdfplumbers(real_reports / name)


def test_picture_boxes_are_pdfplumbers_image_boxes(tmp_path):
    """Pictures read off the layout, as characters are, where pdfplumber's page.images stands: the same
    boxes, in the same coordinates (two pages of different sizes, each one picture)."""
    from PIL import Image, ImageDraw

    from gongkai.parsers.sources.pdf_words import page_pictures

    sheet = Image.new("RGB", (300, 200), "white")
    ImageDraw.Draw(sheet).rectangle((20, 30, 120, 90), fill="black")
    path = tmp_path / "pictures.pdf"
    sheet.save(path, save_all=True, append_images=[sheet.crop((0, 0, 150, 100))], resolution=72)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            theirs = [tuple(round(i[k], 2) for k in ("x0", "top", "x1", "bottom")) for i in page.images]
            ours = [
                tuple(round(v, 2) for v in box) for box in page_pictures(page.layout, float(page.height), page.mediabox)
            ]
            assert ours == theirs and len(ours) == 1


def test_drawings_are_the_straight_strokes_not_a_seals_circle(tmp_path):
    """A table's rules (a line, a rect, a path of straight strokes, a browser's thin mitred polygon)
    are drawings; a seal's circle drawn as a path is not: its box would close a cell round the
    signature under it."""
    from reportlab.pdfgen import canvas

    from gongkai.parsers.sources.pdf_words import page_drawings

    path = tmp_path / "drawings.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 400))
    c.line(50, 350, 250, 350)  # a rule
    c.rect(50, 250, 100, 60)  # a cell's border
    p = c.beginPath()  # a border drawn as one path of straight strokes
    p.moveTo(200, 200), p.lineTo(300, 200), p.lineTo(300, 150)
    c.drawPath(p)
    p = c.beginPath()  # a browser's border: a filled polygon 0.75 wide, its corner mitred
    p.moveTo(100, 140), p.lineTo(100, 40), p.lineTo(100.75, 40.75), p.lineTo(100.75, 140), p.close()
    c.drawPath(p, stroke=0, fill=1)
    p = c.beginPath()  # a box of straight strokes with a corner cut by a rule's width
    p.moveTo(160, 140), p.lineTo(220, 140), p.lineTo(220.75, 139.25), p.lineTo(220.75, 100), p.lineTo(160, 100)
    c.drawPath(p)
    c.setStrokeColorRGB(1, 0, 0)
    c.circle(320, 80, 40)  # the seal
    c.save()
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        boxes = page_drawings(page.layout, float(page.height), page.mediabox, DEFAULT_SETTINGS.rule_max_width)
    assert sorted(tuple(round(v) for v in box) for box in boxes) == [
        (50, 50, 250, 50),
        (50, 90, 150, 150),
        (100, 260, 101, 360),
        (160, 260, 221, 300),
        (200, 200, 300, 250),
    ]
