"""The due year's publication status on the overview, every year's on each township's page, and the
workbook's 发布情况 sheet; none of it where the county collects nothing."""

from __future__ import annotations

import re

import duckdb
import pytest
from openpyxl import load_workbook

from gongkai.dashboards import build_dashboard, data
from gongkai.dashboards.build import township_slugs
from gongkai.dashboards.html import SORT_SCRIPT
from gongkai.dashboards.workbook import PUBLICATION_HEADER
from tests.dashboards.conftest import DUE, EVIL, JIA_ARTICLE, JIA_PDF, add_collection, build_warehouse

SLUGS = township_slugs(["甲镇", "乙乡", EVIL])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    con = duckdb.connect(":memory:")
    build_warehouse(con)
    add_collection(con)
    index = build_dashboard(con, tmp_path_factory.mktemp("site") / "out")
    con.close()
    return index.parent


def _section(page: str) -> str:
    match = re.search(rf"<section><h2>{DUE} 年度报告发布情况</h2>.*?</section>", page, flags=re.S)
    assert match, "no publication section"
    return match.group(0)


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)[1:]  # the header row aside


def test_index_shows_the_due_years_counts_and_a_row_per_township(site):
    section = _section((site / "index.html").read_text(encoding="utf-8"))
    assert '<span class="badge ok">已发布 1</span>' in section
    assert '<span class="badge error">未发布 1</span>' in section
    assert '<span class="badge warning">抓取失败 1</span>' in section
    assert "未登记网址" not in section  # every township has its url
    rows = _rows(section)
    # what needs doing first: not published, fetch failed, published
    names = [re.search(r">([^<]+)</a></td>", r).group(1) for r in rows]
    assert names == ["乙乡", "&lt;script&gt;alert(1)&lt;/script&gt;镇", "甲镇"]
    yi, evil, jia = rows
    assert 'href="townships/%E4%B9%99%E4%B9%A1.html"' in yi
    assert '<span class="badge error">未发布</span>' in yi and "原文" not in yi
    assert f"<td class='k'>{DUE + 1}-11-30 02:00</td><td></td>" in yi  # last checked; nothing to say
    assert '<span class="badge ok">已发布</span>' in jia
    assert f'<a href="{JIA_ARTICLE}" target="_blank" rel="noopener noreferrer">原文</a>' in jia
    assert f'<a href="{JIA_PDF}" target="_blank" rel="noopener noreferrer">附件</a>' in jia
    assert f"<td class='k'>{DUE + 1}-11-29 02:01</td><td class='k'>{DUE + 1}-11-30 02:00</td>" in jia
    assert f"发布后有修改（{DUE + 1}-11-30）" in jia
    assert '<span class="badge warning">抓取失败</span>' in evil
    assert "找到报告链接，但文章页无法打开：服务器返回 503&lt;script&gt;alert(2)&lt;/script&gt;" in evil
    # a javascript: link from a crawled page is never a link
    assert 'href="javascript' not in evil and '<span class="muted" title="javascript:alert(1)">原文</span>' in evil


def test_links_to_the_sites_open_apart_and_nothing_is_fetched(site):
    for page in [site / "index.html", *(site / "townships").glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.replace(SORT_SCRIPT, ""), page.name  # the pages' own sorting only
        assert not re.search(r'src="(https?:)?//', text), page.name
        for link in re.findall(r'<a href="https?://[^"]*"[^>]*>', text):
            assert link.endswith(' target="_blank" rel="noopener noreferrer">'), link


def test_each_township_page_shows_every_year(site):
    jia = (site / "townships" / f"{SLUGS['甲镇']}.html").read_text(encoding="utf-8")
    section = re.search(r"<section><h2>年度报告发布情况</h2>.*?</section>", jia, flags=re.S).group(0)
    rows = _rows(section)
    # Every year from the county's first report to the due year, gaps included.
    assert [re.search(r"(\d{4})年</td>", r).group(1) for r in rows] == [str(y) for y in range(DUE, 2021, -1)]
    assert f'<a href="{JIA_PDF}" target="_blank" rel="noopener noreferrer">附件</a>' in rows[0]
    assert f"发布后有修改（{DUE + 1}-11-30）" in rows[0]
    # 2022 and 2023 were loaded from the inbox: published, nothing collected to link or date
    assert all('<span class="badge ok">已发布</span>' in r and "—</td>" in r for r in rows[-2:])
    # a year between with neither a report nor a link: not published
    assert all('<span class="badge error">未发布</span>' in r for r in rows[1:-2])
    evil = (site / "townships" / f"{SLUGS[EVIL]}.html").read_text(encoding="utf-8")
    evil_rows = _rows(re.search(r"<h2>年度报告发布情况</h2>.*?</section>", evil, flags=re.S).group(0))
    assert [re.search(r'badge \w+">([^<]+)<', r).group(1) for r in evil_rows] == ["抓取失败"] + ["未发布"] * (
        DUE - 2023
    ) + ["已发布"]


def test_workbook_has_the_due_years_sheet(site):
    wb = load_workbook(site / "flags.xlsx")
    assert wb.sheetnames[:2] == ["汇总", "发布情况"]
    ws = wb["发布情况"]
    assert tuple(c.value for c in ws[1]) == PUBLICATION_HEADER
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"甲镇", "乙乡", EVIL}
    jia = rows["甲镇"]
    assert jia[:5] == ("甲镇", DUE, "已发布", JIA_ARTICLE, JIA_PDF)
    assert (jia[5].isoformat(), jia[7], jia[8].isoformat()) == (
        f"{DUE + 1}-11-29T02:01:00",
        "是",
        f"{DUE + 1}-11-30T02:02:00",
    )
    assert ws["D2"].hyperlink.target == JIA_ARTICLE
    assert rows["乙乡"][2:5] == ("未发布", None, None)
    assert rows[EVIL][2] == "抓取失败" and rows[EVIL][9].startswith("找到报告链接，但文章页无法打开")
    evil_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == EVIL)
    assert ws.cell(evil_row, 4).hyperlink is None  # not a link to javascript:


def test_no_publication_without_collection_data(con, tmp_path):
    assert data.publication_year(con) is None
    index = build_dashboard(con, tmp_path / "out")
    pages = [index, *(index.parent / "townships").glob("*.html")]
    assert all("发布情况" not in p.read_text(encoding="utf-8") for p in pages)
    assert "发布情况" not in load_workbook(index.parent / "flags.xlsx").sheetnames


def test_a_register_url_alone_shows_the_section(con, tmp_path):
    con.execute("UPDATE townships SET url = 'https://jia.example.cn/ndbg/' WHERE name = '甲镇'")
    assert data.publication_year(con) == DUE
    section = _section(build_dashboard(con, tmp_path / "out").read_text(encoding="utf-8"))
    # not collected yet: 甲镇 has a url but was never fetched, the others have none: nothing is known
    # online of any of them (未发布 only once a listing was read and names no report)
    assert (
        '<span class="badge error">未发布 0</span>' in section and '<span class="badge none">未采集 3</span>' in section
    )
