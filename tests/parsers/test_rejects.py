"""Files that are not readable reports raise ReportError with the format doc's reason."""

from __future__ import annotations

import pytest
from reportlab.pdfgen import canvas

from gongkai.parsers import ReportError, parse_report
from tests.parsers.builder import FONT, Spec, build


def _reason(path) -> ReportError:
    with pytest.raises(ReportError) as info:
        parse_report(path)
    return info.value


def test_empty_and_truncated_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert _reason(empty).reason == "CORRUPT_PDF"
    whole = build(tmp_path / "whole.pdf", Spec()).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    assert _reason(cut).reason == "CORRUPT_PDF"


def test_encrypted(tmp_path):
    err = _reason(build(tmp_path / "locked.pdf", Spec(encrypt="secret")))
    assert err.reason == "ENCRYPTED_PDF" and "密码" in err.message


def test_no_text_layer_names_page_count(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(3):
        c.rect(50, 50, 400, 600, fill=1)  # an image-like page: marks, no text
        c.showPage()
    c.save()
    err = _reason(path)
    assert err.reason == "NO_TEXT_LAYER" and "共 3 页" in err.message


def test_a_pdf_that_is_not_an_annual_report(tmp_path):
    path = tmp_path / "budget.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 14)
    c.drawString(72, 760, "汤旺河镇2023年部门预算公开说明")
    c.drawString(72, 730, "一、部门职责 二、收支预算总表 3 5 7")
    c.save()
    err = _reason(path)
    assert err.reason == "NOT_A_REPORT" and "三" in err.message
