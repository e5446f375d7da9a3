"""The HTML pages and the correction-list workbook: complete, escaped, offline, formula-safe."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from gongkai.dashboards import build_dashboard
from gongkai.dashboards.build import township_slugs
from gongkai.dashboards.html import SORT_SCRIPT
from gongkai.dashboards.workbook import HEADER, sheet_title
from tests.dashboards.conftest import EVIL, FLAG


def test_build_returns_the_index_and_leaves_the_connection_open(con, tmp_path):
    index = build_dashboard(con, tmp_path / "out")
    assert index == tmp_path / "out" / "index.html" and index.is_file()
    assert con.execute("SELECT count(*) FROM reports").fetchall() == [(6,)]


def test_index_lists_every_township_and_every_shown_flag(con, site):
    page = (site / "index.html").read_text(encoding="utf-8")
    for name in ("甲镇", "乙乡", "&lt;script&gt;alert(1)&lt;/script&gt;镇"):
        assert name in page
    for (message,) in con.execute("SELECT message FROM flags WHERE status IN ('open', 'confirmed')").fetchall():
        escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped.replace('"', "&quot;").replace("'", "&#x27;") in page
    assert "已排除的问题不应出现" not in page  # dismissed
    assert 'lang="zh-CN"' in page and "全县看板" in page and "flags.xlsx" in page


def test_database_text_is_escaped_everywhere(site):
    for page in [site / "index.html", *(site / "townships").glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        # the one script is the pages' own, sorting the scorecard table
        assert "<script" not in text.replace(SORT_SCRIPT, ""), page.name


def test_pages_fetch_nothing_from_the_network(site):
    for page in [site / "index.html", *(site / "townships").glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name
        assert "<link" not in text  # CSS is inline
        for src in re.findall(r'<img src="([^"]+)"', text):
            from urllib.parse import unquote

            assert (page.parent / unquote(src)).is_file(), src


def test_each_township_has_a_page_with_its_flags_figures_and_pdf(con, site):
    slugs = township_slugs(["甲镇", "乙乡", EVIL])
    assert {p.stem for p in (site / "townships").glob("*.html")} == set(slugs.values())
    jia = (site / "townships" / f"{slugs['甲镇']}.html").read_text(encoding="utf-8")
    assert "表三收支不平衡：新收加结转 16 件" in jia
    assert "=HYPERLINK(&quot;x&quot;)" in jia
    assert "全县中位数" in jia and "../index.html" in jia
    # the flagged cell's page, linked into the PDF, relative to the page
    assert "第 5 页" in jia and "%E7%94%B2%E9%95%87-2023.pdf#page=5" in jia
    assert "-旧.pdf" not in jia  # the superseded version is not a source
    assert "<td>PDF</td>" in jia
    # 乙乡's 2023 report is a web page: its format said, its flag linked to the page itself, not a page of it.
    yi = (site / "townships" / f"{slugs['乙乡']}.html").read_text(encoding="utf-8")
    assert "<td>网页</td>" in yi and '%E4%B9%99%E4%B9%A1-2023.html">原文</a>' in yi
    assert "2023.html#page" not in yi
    evil = (site / "townships" / f"{slugs[EVIL]}.html").read_text(encoding="utf-8")
    assert "未收到 2023 年度报告" in evil and "2023年度未收到该乡镇的年度报告。" in evil


def test_township_file_names_are_safe_and_unique():
    slugs = township_slugs(["a/b", "a:b", "镇", "."])
    assert slugs["a/b"] == "a_b" and slugs["a:b"] == "a_b-2" and slugs["镇"] == "镇" and slugs["."] == "乡镇"


def test_workbook_has_a_sheet_per_township_with_its_flags(con, site):
    wb = load_workbook(site / "flags.xlsx")
    assert wb.sheetnames == ["汇总", "年报质量", "甲镇", "乙乡", "<script>alert(1)<_script>镇"]
    jia = wb["甲镇"]
    assert tuple(c.value for c in jia[1]) == HEADER and HEADER[:7] == ("年度", "表", "行", "列", "应为", "实为", "说明")
    assert all(c.font.bold for c in jia[1])
    assert jia.column_dimensions["G"].width == 70
    rows = [tuple(c.value for c in row) for row in jia.iter_rows(min_row=2)]
    assert rows[0][:7] == (
        2023,
        "表三",
        None,
        "总计",
        15,
        16,
        "表三收支不平衡：新收加结转 16 件，办理结果加结转下年 15 件。",
    )
    assert rows[1][:7] == (2023, "表四", "行政复议", "总计", 4, 3, '=HYPERLINK("x")')
    assert jia["G3"].data_type == "s"  # text, not a formula
    assert wb["乙乡"].max_row == 2  # the confirmed flag; the dismissed one is left out
    evil = wb["<script>alert(1)<_script>镇"]
    assert [c.value for c in evil["G"]][1:] == ["+表三申请人合计与总计不符", "2023年度未收到该乡镇的年度报告。"]
    assert evil["G2"].data_type == "s"
    summary = [tuple(c.value for c in row) for row in wb["汇总"].iter_rows(min_row=2)]
    assert summary == [("甲镇", 2, 0, 2, "甲镇"), ("乙乡", 0, 1, 1, "乙乡"), (EVIL, 2, 0, 2, evil.title)]


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    long = "很长的名字" * 10
    assert sheet_title("a[b]:c*d?e/f\\g", taken) == "a_b__c_d_e_f_g"
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) == len(second) == 31 and first != second and second.endswith("(2)")


def test_charts_are_redrawn_only_when_their_numbers_change(con, tmp_path):
    out = tmp_path / "out"
    build_dashboard(con, out)
    trend = out / "charts" / "township-甲镇-trend.png"
    other = out / "charts" / "township-乙乡-outcomes.png"
    first, other_time = trend.read_bytes(), other.stat().st_mtime_ns
    con.execute(
        "UPDATE facts SET value = 77 WHERE table_code = 't2' AND row_code = 'penalty' "
        "AND report_id = (SELECT report_id FROM latest_reports WHERE township = '甲镇' AND year = 2023)"
    )
    build_dashboard(con, out)
    assert trend.read_bytes() != first  # 甲镇's numbers changed: redrawn
    assert other.stat().st_mtime_ns == other_time  # 乙乡's did not: the file is left as it was
    page = (out / "townships" / "甲镇.html").read_text(encoding="utf-8")
    assert "77 件" in page


def test_the_workbook_lists_only_what_a_township_must_correct(con, tmp_path):
    """A site the county could not read is the county's to follow up: on the dashboard, never in the
    correction list sent to the township (which could answer: our site was up and the report was there)."""
    con.execute(
        FLAG,
        ["f9", "SITE_UNREACHABLE", "warning", "乙乡", None, None, None, None, None, None, 3,
         "乙乡的网站自 2026年11月28日 起连续 3 次未能读取（栏目页无法抓取：服务器返回 503）", "open"],
    )  # fmt: skip
    index = build_dashboard(con, tmp_path / "out")
    assert "乙乡的网站自 2026年11月28日 起连续 3 次未能读取" in (index.parent / "index.html").read_text("utf-8")
    wb = load_workbook(index.parent / "flags.xlsx")
    messages = [c.value for ws in wb.worksheets[1:] for c in ws["G"]]
    assert not any("未能读取" in str(m) for m in messages)
    assert wb["乙乡"].max_row == 2  # its own flag, as before
