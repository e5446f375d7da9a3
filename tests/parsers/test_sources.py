"""Web pages and Word files read by the same algorithm as PDFs: every cell, the metadata, the reasons."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from gongkai.domain import codes
from gongkai.parsers import ReportError, parse_report
from tests.parsers.builder import Spec
from tests.parsers.structured import write_docx, write_html


def _spec(**kw) -> Spec:
    rng = random.Random(7)
    spec = Spec(**kw)
    spec.values = {code: rng.randint(0, 40) for code in spec.expected()} | spec.values
    return spec


def _check(report, spec: Spec, source_format: str) -> None:
    expected = {k: v for k, v in spec.expected().items() if isinstance(v, int | float)}
    assert report.values == expected
    assert report.source_format == source_format
    assert (report.body, report.year, report.template) == ("汤旺河镇", 2022, "2021")
    assert report.missing_rows == [] and report.warnings == []


@pytest.mark.parametrize(
    ("encoding", "declare"),
    [("utf-8", "meta"), ("utf-8", "http-equiv"), ("utf-8", "bom"), ("utf-8", "none"), ("gb2312", "meta"),
     ("gb2312", "http-equiv"), ("gb2312", "none")],
)  # fmt: skip
def test_web_page_in_every_encoding(tmp_path: Path, encoding: str, declare: str):
    spec = _spec()
    # 镕 is outside GB2312: "GB2312" pages really are GB18030, and are decoded as such.
    spec.title_lines = ("汤旺县汤旺河镇", "2022年政府信息公开工作年度报告")
    spec.signature = ("汤旺县汤旺河镇人民政府（镕）", "2023年1月12日")
    report = parse_report(write_html(spec, tmp_path / "r.html", encoding=encoding, declare=declare))
    _check(report, spec, "html")
    assert report.published_on == date(2023, 1, 12)  # the signed date wins over the page's 发布时间


def test_web_page_markup_as_editors_leave_it(tmp_path: Path):
    """Values inside nested tags, the article inside a layout table, thousands separators."""
    spec = _spec(number_style="thousands", values={"t2.licensing.decisions": 12345, "t3.granted.natural_person": 1200})
    path = write_html(spec, tmp_path / "r.htm", cell="<p style='x'><span><b>{}</b></span></p>", layout_table=True)
    report = parse_report(path)
    _check(report, spec, "html")
    assert report.cells["t2.licensing.decisions"].raw == "12,345"


def test_web_page_blank_and_dash_cells_are_unreadable_not_zero(tmp_path: Path):
    spec = _spec(values={"t4.review.upheld": None, "t4.review.corrected": "—", "t2.penalty.decisions": "/"})
    report = parse_report(write_html(spec, tmp_path / "r.html"))
    assert sorted(c.code for c in report.unreadable) == [
        "t2.penalty.decisions",
        "t4.review.corrected",
        "t4.review.upheld",
    ]
    assert report.cells["t4.review.corrected"].raw == "—" and report.cells["t4.review.upheld"].raw == ""
    assert "t4.review.upheld" not in report.values


def test_web_page_title_from_title_tag_and_date_from_the_info_bar(tmp_path: Path):
    """No heading on the page: the title comes from <title>; no date signed: the 发布时间 dates it. The
    related link naming another year's report and the script quoting a heading are not read."""
    spec = _spec(signature=("汤旺县汤旺河镇人民政府",))
    report = parse_report(write_html(spec, tmp_path / "r.html", title_in_page=False))
    _check(report, spec, "html")
    assert report.title == "汤旺县汤旺河镇2022年政府信息公开工作年度报告"
    assert report.published_on == date(2023, 1, 20)


def test_word_file_with_merged_cells(tmp_path: Path):
    spec = _spec(values={"t3.total.other_org": None})
    report = parse_report(write_docx(spec, tmp_path / "r.DOCX"))
    assert report.source_format == "docx"
    assert [c.code for c in report.unreadable] == ["t3.total.other_org"]
    expected = {k: v for k, v in spec.expected().items() if isinstance(v, int)}
    assert report.values == expected
    assert report.published_on == date(2023, 1, 12)


def test_word_file_local_variants(tmp_path: Path):
    """The 9th 不予公开 row and 其他处理 as three rows, as 汤旺河镇 prints them."""
    spec = _spec(denied_other=True, other_split=True)
    report = parse_report(write_docx(spec, tmp_path / "r.docx"))
    _check(report, spec, "docx")
    assert report.denied_other and report.other_split


@pytest.mark.parametrize(
    ("name", "data", "reason", "says"),
    [
        # without LibreOffice (below: the test hides it), Word 97 and WPS files say how to install it
        ("r.doc", b"\xd0\xcf\x11\xe0", "UNSUPPORTED_FORMAT", "sudo apt-get install libreoffice-writer-nogui"),
        ("r.WPS", b"\xd0\xcf\x11\xe0", "UNSUPPORTED_FORMAT", "另存为” .docx 或 PDF"),
        ("r.ofd", b"PK\x03\x04", "UNSUPPORTED_FORMAT", "导出为 PDF"),
        ("r.html", b"", "CORRUPT_FILE", "为空"),
        ("r.html", b"%PDF-1.4 binary", "CORRUPT_FILE", "内容却不是网页"),
        ("r.docx", b"not a zip at all", "CORRUPT_FILE", "不是有效的 Word"),
        ("r.html", "<html><body><h1>2023年部门预算公开</h1><p>预算表</p></body></html>".encode(), "NOT_A_REPORT", ""),
    ],
)
def test_files_that_are_not_readable_reports(
    tmp_path: Path, monkeypatch, name: str, data: bytes, reason: str, says: str
):
    monkeypatch.setattr("gongkai.parsers.sources.office.libreoffice", lambda: None)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReportError) as err:
        parse_report(path)
    assert err.value.reason == reason
    assert says in err.value.message


def test_the_official_word_template_filled_in(real_reports, tmp_path: Path):
    """The national 2021 template (.docx, as the State Council's office issues it, merged cells and all),
    its blank cells filled in order with 1, 2, 3…: every value is read once, into the cell it was typed in."""
    import docx

    document = docx.Document(str(real_reports / "template-2021.docx"))
    title = next(p for p in document.paragraphs if p.text.strip() == "政府信息公开工作年度报告格式模板")
    for run in title.runs[1:]:
        run.text = ""
    title.runs[0].text = "汤旺县汤旺河镇2023年政府信息公开工作年度报告"
    typed = 0
    for table in document.tables:
        for row in table.rows:
            seen: list = []
            for cell in row.cells:
                if cell.text.strip() == "" and not any(cell is s for s in seen):
                    typed += 1
                    cell.text = str(typed)
                seen.append(cell)
    document.save(str(tmp_path / "filled.docx"))
    report = parse_report(tmp_path / "filled.docx")
    assert (report.body, report.year, report.template, report.other_split) == ("汤旺河镇", 2023, "2021", True)
    assert typed == 200 and sorted(report.values.values()) == list(range(1, 201))
    assert report.unreadable == [] and report.missing_rows == [] and report.warnings == []
    # typed row by row: each row's values run on from the one before, in the template's column order
    t4 = [report.values[f"t4.{r}.{c}"] for r, _ in codes.T4_ROWS for c, _ in codes.T4_COLUMNS]
    assert t4 == list(range(t4[0], t4[0] + 15))
    new = [report.values[f"t3.new_received.{c}"] for c, _ in codes.T3_COLUMNS]
    assert new == list(range(new[0], new[0] + 7))
