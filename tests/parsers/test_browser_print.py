"""Web pages printed to PDF by a real browser (Debian's chromium, headless): a toolchain the project does
not write with, as townships' offices print their portal's page. Its text layer names radicals for some
ideographs, carries the print header and footer and the page's menus, and repeats table headers."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from gongkai.parsers import parse_report
from tests.parsers.builder import Spec
from tests.parsers.structured import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _has_chinese_font() -> bool:
    fc = shutil.which("fc-list")
    return bool(fc and subprocess.run([fc, ":lang=zh"], capture_output=True, text=True).stdout.strip())


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(
        not _has_chinese_font(), reason="no Chinese font for chromium to print with (apt-get install fonts-wqy-zenhei)"
    ),
]


def print_pdf(page: Path, out: Path, profile: Path) -> Path:
    """`page` printed by headless chromium, from disk. Nothing leaves the machine: a real page names its
    site's scripts and styles, so every host resolves to nothing and any request goes to a closed
    loopback port (the page prints unstyled, as a saved page opened offline does)."""
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=127.0.0.1:9",
         f"--user-data-dir={profile}", f"--print-to-pdf={out}", page.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert out.exists() and out.stat().st_size > 1000
    return out


def test_a_printed_hand_written_page(tmp_path: Path):
    spec = Spec(values={"t3.new_received.natural_person": 12, "t3.new_received.total": 12, "t4.review.upheld": 3})
    page = write_html(spec, tmp_path / "page.html", encoding="gb2312", declare="http-equiv")
    report = parse_report(print_pdf(page, tmp_path / "page.pdf", tmp_path / "profile"))
    assert report.values == spec.expected()
    assert (report.body, report.year, report.source_format) == ("汤旺河镇", 2022, "pdf")


@pytest.mark.parametrize("width", [28, 56])
def test_a_page_with_narrow_columns_printed(tmp_path: Path, width: int):
    """A Word-pasted table fixes its columns' widths: the browser wraps every label inside its cell (at 28
    px a character a line, table 四's heads too), and cuts rows at the page's end. Read cell by cell."""
    spec = Spec(
        values={
            "t3.new_received.natural_person": 12,
            "t3.new_received.total": 12,
            "t3.unavailable_not_held.natural_person": 7,
            "t3.unavailable_not_held.total": 7,
            "t4.review.upheld": 3,
            "t4.review.total": 3,
            "t2.licensing.decisions": 2418,
        },
        other_split=True,
    )
    page = write_html(spec, tmp_path / "page.html", td_width=width)
    report = parse_report(print_pdf(page, tmp_path / "page.pdf", tmp_path / "profile"))
    assert report.values == spec.expected()
    assert report.unreadable == [] and report.missing_rows == [] and report.warnings == []


def test_printed_demo_pages_read_as_their_truth(tmp_path: Path):
    from gongkai.demo.corpus import write_corpus

    write_corpus(tmp_path / "county", 5, (2022, 2023), seed=11, workers=1)
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "county/reports").glob("*.json"))]
    pages = [t for t in truths if t["layout"]["medium"] in ("html", "html_gb2312")]
    assert {t["layout"]["medium"] for t in pages} == {"html", "html_gb2312"}
    for t in pages:
        pdf = print_pdf(tmp_path / "county/reports" / t["file"], tmp_path / f"{t['file']}.pdf", tmp_path / "profile")
        with pdfplumber.open(pdf) as doc:
            assert "Skia" in doc.metadata["Producer"]  # Chromium's PDF engine
        report = parse_report(pdf)
        assert report.values == t["cells"], t["file"]
        assert sorted(c.code for c in report.unreadable) == sorted(t["unreadable"])
        assert (report.body, report.year, report.template) == (t["body"], t["year"], t["template"])
        assert report.published_on.isoformat() == t["published_on"]


def test_printed_pages_of_townships_writing_as_real_ones_do(tmp_path: Path):
    """demo.untidy's pages printed by a real browser: Word-pasted narrow columns wrapped by chromium itself,
    headings and labels that drift, units, stale templates, cover letters, pasted styles and sharing tools."""
    from gongkai.demo.corpus import write_corpus

    write_corpus(tmp_path / "county", 8, (2020, 2022), seed=27, workers=1, untidy=1.0)
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "county/reports").glob("*.json"))]
    pages = [t for t in truths if t["layout"]["medium"] in ("html", "html_gb2312")]
    kinds = {k for t in pages for k in t["layout"]["quirks"]}
    assert kinds >= {"narrow", "units", "unit_missing", "label_drift", "stale_template", "heading_drift", "extra_table"}
    for t in pages:
        pdf = print_pdf(tmp_path / "county/reports" / t["file"], tmp_path / f"{t['file']}.pdf", tmp_path / "profile")
        report = parse_report(pdf)
        assert report.values == t["cells"], t["file"]
        assert sorted(c.code for c in report.unreadable) == sorted(t["unreadable"]), t["file"]
        assert report.missing_rows == t["missing_rows"], t["file"]
        assert (report.body, report.year, report.template) == (t["body"], t["year"], t["template"]), t["file"]
        assert report.published_on.isoformat() == t["published_on"], t["file"]


def test_the_real_pingtan_page_printed(real_reports, tmp_path: Path):
    """A real CMS page (its navigation, search boxes and menus print before the title) read exactly."""
    truth = json.loads((real_reports / "pingtan-2025.json").read_text(encoding="utf-8"))
    page = shutil.copy(real_reports / "pingtan-2025.html", tmp_path / "pingtan-2025.html")
    report = parse_report(print_pdf(Path(page), tmp_path / "pingtan.pdf", tmp_path / "profile"))
    assert report.values == truth["cells"]
    assert (report.body, report.year, report.template) == (truth["body"], truth["year"], truth["template"])
    assert report.published_on.isoformat() == truth["published_on"]  # from the page's 时间：2026-03-10
    assert report.pages > 1 and report.warnings == []
