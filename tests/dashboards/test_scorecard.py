"""The 年报质量 table: on the county page (latest year), on each township's page (every year), in the workbook;
each ✗ links to the flag that shows it."""

from __future__ import annotations

from urllib.parse import quote

from openpyxl import load_workbook

from gongkai.dashboards import data
from gongkai.dashboards.build import township_slugs
from tests.dashboards.conftest import EVIL, TOWNSHIPS

CRITERIA = ("on_time", "unchanged", "current_template", "sections_complete", "sums_ok", "prose_fresh", "score")


def test_the_scorecard_frame_judges_each_report_from_its_flags(con):
    # No part's text recorded and no collection: parts and prose unknown. 甲镇 2023 is a second version
    # that changed nothing (unchanged known); its sums fail (f1, f2). 乙乡 2022's late flag was dismissed.
    frame = data.scorecard(con)
    rows = {(r["township"], r["year"]): tuple(r[c] for c in CRITERIA) for r in frame.iter_rows(named=True)}
    assert rows == {
        ("甲镇", 2023): (True, True, True, None, False, None, 75),
        ("甲镇", 2022): (True, None, True, None, True, None, 100),
        ("乙乡", 2023): (True, None, True, None, True, None, 100),
        ("乙乡", 2022): (True, None, True, None, True, None, 100),
        (EVIL, 2022): (True, None, True, None, False, None, 67),
    }
    assert [(r["township"], r["year"]) for r in frame.iter_rows(named=True)][:2] == [("甲镇", 2023), ("乙乡", 2023)]
    jia = frame.filter((frame["township"] == "甲镇") & (frame["year"] == 2023)).row(0, named=True)
    assert [(f["flag_id"], f["rule_id"]) for f in jia["evidence"]] == [("f1", "T3_BALANCE"), ("f2", "T4_ROW_SUM")]


def test_the_county_page_shows_the_latest_year_and_each_cross_links_to_its_flag(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="quality">') :]
    section = section[: section.index("</section>")]
    assert "2023 年度报告质量" in section
    assert "乙乡" in section and "甲镇" in section and "alert(1)" not in section  # 2023 rows only
    slug = quote(township_slugs(list(TOWNSHIPS))["甲镇"])
    # the ✗ of 数字相符 leads to the first flag that shows it, on 甲镇's page; its messages show on hover
    assert f'href="townships/{slug}.html#flag-f1" title="表三收支不平衡' in section
    assert "&quot;x&quot;)" in section and ">✗ 2</a>" in section
    assert section.count('class="unknown"') == 5  # parts and prose not recorded; 乙乡 read once
    assert '<table class="sortable">' in section and ">75</b>" in section


def test_each_township_page_has_a_row_per_year_and_anchors_for_its_flags(site):
    name = township_slugs(list(TOWNSHIPS))["甲镇"]
    slug = quote(name)
    page = (site / "townships" / f"{name}.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="quality">') :]
    section = section[: section.index("</section>")]
    assert section.index("2023年") < section.index("2022年")
    assert f'href="{slug}.html#flag-f1"' in section
    assert "<tr id='flag-f1'>" in page and "<tr id='flag-f2'>" in page


def test_the_workbook_has_the_scorecard_sheet_with_the_evidence(site):
    sheet = load_workbook(site / "flags.xlsx")["年报质量"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    criteria = ("按时发布", "发布后未修改", "使用现行模板", "六部分齐全", "数字相符", "文字未照搬")
    assert rows[0] == ("乡镇", "年度", *criteria, "得分", "不符合的依据")
    assert rows[1][:9] == ("甲镇", 2023, "✓", "✓", "✓", "—", "✗", "—", 75)
    assert rows[1][9] == (
        '表三收支不平衡：表三收支不平衡：新收加结转 16 件，办理结果加结转下年 15 件。\n表四合计不符：=HYPERLINK("x")'
    )
    assert sheet["J2"].data_type == "s"  # text, not a formula
    assert len(rows) == 6
