"""Every kind of wrong file in one inbox: each ends as a report or a `rejected` row with its reason and
message, and the good files of the same run load (issue 7). One real run; one test per bad input."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from reportlab.pdfgen import canvas

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.flows.runner import run_county  # noqa: E402
from gongkai.options import Limits
from gongkai.prefect_setup import configure_prefect  # noqa: E402
from tests.parsers.builder import FONT, Spec, build  # noqa: E402
from tests.parsers.structured import write_docx, write_html  # noqa: E402

configure_prefect()


def _heavy(path: Path, pages: int = 4, per_page: int = 12000) -> Path:
    """Text-heavy pages (many tiny characters): several seconds to lay out, far over a 2 s limit."""
    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.setFont(FONT, 4)
        for i in range(per_page):
            c.drawString(10 + (i % 120) * 4.7, 10 + (i // 120) * 5, "数")
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from gongkai.demo.corpus import write_corpus

    root = tmp_path_factory.mktemp("bad")
    county = root / "county"
    write_corpus(county, townships=2, years=(2021, 2022), seed=5, workers=1)
    inbox = root / "inbox"
    shutil.copytree(county / "reports", inbox, ignore=shutil.ignore_patterns("*.json"))
    first = inbox / sorted(p.name for p in inbox.glob("*.pdf"))[0]
    # Earlier years of 东风镇 as its web page and its Word file, named in capitals as Windows users do.
    for year, suffix in ((2019, ".HTML"), (2020, ".Docx")):
        spec = Spec(title_lines=("东风镇人民政府", f"{year}年政府信息公开工作年度报告"), year=year)
        spec.signature = ("东风镇人民政府", f"{year + 1}年1月20日")
        (write_html if suffix == ".HTML" else write_docx)(spec, inbox / f"东风镇-{year}{suffix}")
    good = sorted(p.name for p in inbox.iterdir())

    (inbox / "empty.pdf").write_bytes(b"")
    whole = first.read_bytes()
    (inbox / "truncated.pdf").write_bytes(whole[: len(whole) // 3])
    (inbox / "notice.pdf").write_text("这是一份通知，不是 PDF。", encoding="utf-8")
    build(inbox / "locked.pdf", Spec(encrypt="secret"))
    scan = canvas.Canvas(str(inbox / "scan.pdf"))
    for _ in range(3):
        scan.rect(50, 50, 400, 600, fill=1)
        scan.showPage()
    scan.save()
    budget = canvas.Canvas(str(inbox / "budget.pdf"))
    budget.setFont(FONT, 14)
    budget.drawString(72, 760, "汤旺河镇2023年部门预算公开说明")
    budget.save()
    build(inbox / "stranger.pdf", Spec(title_lines=("幸福县幸福镇", "2022年政府信息公开工作年度报告")))
    build(inbox / "undated.pdf", Spec(title_lines=("汤旺县汤旺河镇", "政府信息公开工作年度报告")))
    (inbox / "copy-of-first.pdf").write_bytes(whole)
    (inbox / "huge.pdf").write_bytes(whole + b"\n%" + b"0" * 2_100_000)  # valid PDF, padded past 2 MB
    _heavy(inbox / "heavy.pdf")
    # Formats that are not read: rejected with what to do; files that are not reports: left alone.
    (inbox / "永安镇-2022.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (inbox / "永安镇-2021.WPS").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 512)
    (inbox / "永安镇-2020.ofd").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    (inbox / "说明.txt").write_text("青山乡的报告下周补交。", encoding="utf-8")
    (inbox / "~$汤旺河镇.docx").write_bytes(b"\0" * 162)  # Word's lock file of an open document
    # A second, different report for a township-year already in the inbox: a new version.
    build(
        inbox / "汤旺河镇-2022-更正版.pdf",
        Spec(
            year=2022, values={"t3.new_received.natural_person": 3, "t3.new_received.total": 3, "t4.review.other": "—"}
        ),
    )

    limits = Limits(max_mb=2, seconds=2)  # the run's limits, as the command line would hand them over
    # As on a machine without LibreOffice: .doc and .wps stay UNSUPPORTED_FORMAT and say how to install it
    # (with it, tests/parsers/test_office.py reads them). Set before the parse children fork: they inherit it.
    hidden = pytest.MonkeyPatch()
    hidden.setattr("gongkai.parsers.sources.office.libreoffice", lambda: None)
    try:
        db = root / "county.duckdb"
        summary = run_county(
            inbox, county / "townships.csv", db, root / "out", workers=1, dashboards=False, limits=limits
        )
    finally:
        hidden.undo()
    con = duckdb.connect(str(db), read_only=True)
    rejected = {
        Path(f).name: (reason, message)
        for f, reason, message in con.execute("select source_file, reason, message from rejected").fetchall()
    }
    loaded = {Path(f).name for (f,) in con.execute("select source_file from reports").fetchall()}
    yield {"summary": summary, "rejected": rejected, "loaded": loaded, "good": good, "con": con, "first": first.name}
    con.close()


@pytest.mark.parametrize(
    ("name", "reason", "words"),
    [
        ("empty.pdf", "CORRUPT_PDF", "0 字节"),
        ("truncated.pdf", "CORRUPT_PDF", "损坏"),
        ("notice.pdf", "CORRUPT_PDF", "不是 PDF"),
        ("locked.pdf", "ENCRYPTED_PDF", "密码"),
        ("scan.pdf", "NO_TEXT_LAYER", "共 3 页"),
        ("budget.pdf", "NOT_A_REPORT", "不是政府信息公开工作年度报告"),
        ("stranger.pdf", "UNKNOWN_TOWNSHIP", "幸福县幸福镇"),
        ("undated.pdf", "UNKNOWN_YEAR", "年份"),
        ("copy-of-first.pdf", "DUPLICATE", "内容完全相同"),
        ("huge.pdf", "TOO_LARGE", "超过上限 2 MB"),
        ("heavy.pdf", "PARSE_TIMEOUT", "2 秒"),
        ("永安镇-2022.doc", "UNSUPPORTED_FORMAT", "apt-get install libreoffice-writer-nogui"),
        ("永安镇-2021.WPS", "UNSUPPORTED_FORMAT", "WPS 文字文档"),
        ("永安镇-2020.ofd", "UNSUPPORTED_FORMAT", "导出为 PDF"),
    ],
)
def test_each_bad_file_is_rejected_with_its_reason_and_the_rest_load(run, name, reason, words):
    got_reason, message = run["rejected"][name]
    assert got_reason == reason
    assert words in message, message
    assert set(run["good"]) <= run["loaded"]


def test_every_input_is_accounted_for(run):
    s = run["summary"]
    assert s.files_seen == len(run["good"]) + 15
    assert len(run["loaded"]) + len(run["rejected"]) == s.files_seen
    assert s.files_rejected == len(run["rejected"]) == 14
    # Notes and Word's lock files are not reports sent in: neither loaded nor rejected.
    assert not {"说明.txt", "~$汤旺河镇.docx"} & (run["loaded"] | set(run["rejected"]))


def test_reports_in_every_form_load_with_their_format(run):
    formats = dict(run["con"].execute("select source_file, source_format from reports").fetchall())
    by_name = {Path(f).name: v for f, v in formats.items()}
    for name in run["good"]:
        kind = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}[Path(name).suffix.lower()]
        assert by_name[name] == kind, name
    assert sorted(by_name[name] for name in ("东风镇-2019.HTML", "东风镇-2020.Docx")) == ["docx", "html"]


def test_a_second_report_for_a_township_year_is_a_new_version(run):
    con = run["con"]
    rows = con.execute(
        "select source_file, version, is_latest from reports"
        " where township = '汤旺河镇' and year = 2022 order by version"
    ).fetchall()
    assert [(Path(f).name, v, latest) for f, v, latest in rows] == [
        ("汤旺河镇-2022.pdf", 1, False),
        ("汤旺河镇-2022-更正版.pdf", 2, True),
    ]
    latest = con.execute(
        """select f.value from latest_reports r join facts f using (report_id)
           where r.township = '汤旺河镇' and r.year = 2022 and f.table_code = 't3'
             and f.row_code = 'new_received' and f.col_code = 'total'"""
    ).fetchone()
    assert latest == (3,)


def test_values_that_are_not_numbers_stay_unreadable_and_flagged_never_zero(run):
    con = run["con"]
    fact = con.execute(
        """select f.value, f.raw from latest_reports r join facts f using (report_id)
           where r.township = '汤旺河镇' and r.year = 2022 and f.table_code = 't4'
             and f.row_code = 'review' and f.col_code = 'other'"""
    ).fetchone()
    assert fact == (None, "—")
    flag = con.execute(
        """select rule_id from flags where township = '汤旺河镇' and year = 2022
           and table_code = 't4' and row_code = 'review' and col_code = 'other'"""
    ).fetchall()
    assert flag == [("UNREADABLE_CELL",)]
