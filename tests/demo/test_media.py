"""The demo county's reports in every form a county office receives, each carrying what makes that form
hard, and each read back exactly (the parser side is tests/parsers/test_generated_corpus.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pdfplumber

from gongkai.parsers import parse_report


def _of(truths: list[dict[str, Any]], medium: str) -> list[dict[str, Any]]:
    found = [t for t in truths if t["layout"]["medium"] == medium]
    assert found, f"no {medium} report in the demo county"
    return found


def _lines(path: Path) -> list[str]:
    with pdfplumber.open(path) as doc:
        return [ln for page in doc.pages for ln in (page.extract_text() or "").splitlines()]


def test_browser_print_names_radicals_and_carries_web_furniture(county: Path, truths: list[dict[str, Any]]) -> None:
    for t in _of(truths, "browser_pdf"):
        path = county / "reports" / t["file"]
        lines = _lines(path)
        text = "\n".join(lines)
        # Radical code points in the text layer: ⾏ (U+2F8F) for 行, ⼈ for 人, ⺠ (U+2EA0) for 民.
        assert "\u2f8f" in text and "\u2f08" in text and "\u2ea0" in text
        assert "行" not in text.replace("\u2f8f", "")
        assert any(ln.startswith("当前位置：") for ln in lines) and any("浏览次数" in ln for ln in lines)
        assert any("网站标识码" in ln for ln in lines)
        assert lines[0].split()[0].count("/") == 2  # the print header's date, then the page title
        assert "告" in lines  # the title wrapped, leaving 告 alone on its line
        report = parse_report(path)
        assert report.values == t["cells"] and report.body == t["body"]
        assert report.published_on.isoformat() == t["published_on"]


def test_browser_print_repeats_table_headers_after_a_page_break(county: Path, truths: list[dict[str, Any]]) -> None:
    broken = [t for t in _of(truths, "browser_pdf") if "t3" in t["layout"]["page_split"]]
    assert broken
    for t in broken:
        text = "\n".join(_lines(county / "reports" / t["file"]))
        assert text.count("申请\u2f08情况") == 2  # 申请人情况, its 人 printed as ⼈
        assert parse_report(county / "reports" / t["file"]).values == t["cells"]


def test_undated_web_report_is_dated_by_its_page(county: Path, truths: list[dict[str, Any]]) -> None:
    # (A late report always prints its date: that is how the demo makes it late.)
    undated = [
        t
        for t in truths
        if t["layout"]["medium"] in ("browser_pdf", "html", "html_gb2312")
        and not t["layout"]["dated"]
        and "LATE_PUBLICATION" not in t["injected_faults"]
    ]
    assert undated
    for t in undated:
        path = county / "reports" / t["file"]
        if path.suffix == ".pdf":
            text = "\n".join(_lines(path))
        else:
            codec = "gb18030" if t["layout"]["medium"] == "html_gb2312" else "utf-8"
            text = path.read_bytes().decode(codec)
        assert f"发布时间：{t['published_on']}" in text
        assert parse_report(county / "reports" / t["file"]).published_on.isoformat() == t["published_on"]


def test_web_pages_in_utf8_and_gb2312(county: Path, truths: list[dict[str, Any]]) -> None:
    for medium, declared in (("html", "utf-8"), ("html_gb2312", "gb2312")):
        for t in _of(truths, medium):
            data = (county / "reports" / t["file"]).read_bytes()
            head = data[:600].decode("ascii", "ignore").lower()
            assert declared in head or (declared == "utf-8" and "charset" not in head)
            if declared == "gb2312":
                assert t["file"].endswith(".htm")
                assert data.decode("gb18030").count("<td") > 100
            assert "rowspan" in data.decode("utf-8" if declared == "utf-8" else "gb18030")
            report = parse_report(county / "reports" / t["file"])
            assert report.source_format == "html" and report.values == t["cells"]


def test_word_files_have_merged_cells(county: Path, truths: list[dict[str, Any]]) -> None:
    for t in _of(truths, "docx"):
        path = county / "reports" / t["file"]
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        assert "<w:vMerge" in xml and "<w:gridSpan" in xml
        report = parse_report(path)
        assert report.source_format == "docx" and report.values == t["cells"]
