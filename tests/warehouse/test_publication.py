"""The `publication_status` view: whether each register township has put each year's report online, read
from the collection's fetches (`sources`) and the loaded reports."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from gongkai import warehouse
from gongkai.warehouse.vocabulary import LABELS, PUBLICATION_LABELS, PublicationStatus
from tests.warehouse.factory import load, make_report

DUE = date.today().year - 1  # the report of year Y is due online by 31 January of Y+1
EARLIER = DUE - 1
C1, C2 = f"{DUE + 1}-11-29T02:00:00", f"{DUE + 1}-11-30T02:00:00"  # two nightly collections


def at(collection: str, minute: int = 0) -> datetime:
    return datetime.fromisoformat(collection).replace(minute=minute)


REGISTER = """name,aliases,code,url
甲镇,,001,http://jia.example.cn/ndbg/
乙乡,,002,http://yi.example.cn/ndbg/
丙镇,,003,http://bing.example.cn/ndbg/
丁镇,,004,http://ding.example.cn/ndbg/
戊镇,,005,http://wu.example.cn/ndbg/
己镇,,006,
庚镇,,007,http://geng.example.cn/ndbg/
"""

JIA_ARTICLE = f"http://jia.example.cn/ndbg/{DUE}.html"
JIA_PDF = f"http://jia.example.cn/files/{DUE}.pdf"
WU_PDF = f"http://wu.example.cn/files/{DUE}年报.pdf"
DING_ARTICLE = f"http://ding.example.cn/ndbg/{DUE}.html"

COLUMNS = ("township", "url", "fetched_at", "http_status", "sha256", "saved_file", "error", "collection_id", "kind",
           "referrer", "link_text", "year", "changed")  # fmt: skip


def fetch(township, url, collection, minute, kind, *, status=200, error=None, referrer=None, year=None,
          changed=False, sha="aa", saved=None, link_text=None):  # fmt: skip
    return (township, url, at(collection, minute), status, sha, saved, error, collection, kind, referrer, link_text,
            year, changed)  # fmt: skip


def listing(township, collection, minute=0, **kw):
    return fetch(township, f"http://{PINYIN[township]}.example.cn/ndbg/", collection, minute, "listing", **kw)


PINYIN = {"甲镇": "jia", "乙乡": "yi", "丙镇": "bing", "丁镇": "ding", "戊镇": "wu", "庚镇": "geng"}

SOURCES = [
    # 甲镇: its DUE report found on the first night (article page + PDF), the PDF replaced the next night.
    fetch("甲镇", "http://jia.example.cn/robots.txt", C1, 0, "robots", status=404, sha=None),
    listing("甲镇", C1, 1),
    fetch(
        "甲镇",
        JIA_ARTICLE,
        C1,
        2,
        "article",
        referrer="http://jia.example.cn/ndbg/",
        year=DUE,
        link_text=f"甲镇{DUE}年政府信息公开工作年度报告",
    ),
    fetch("甲镇", JIA_PDF, C1, 3, "attachment", referrer=JIA_ARTICLE, year=DUE, saved="inbox/甲镇-2025.pdf"),
    listing("甲镇", C2, 1, status=304),
    fetch("甲镇", JIA_ARTICLE, C2, 2, "article", status=304, referrer="http://jia.example.cn/ndbg/", year=DUE),
    fetch(
        "甲镇",
        JIA_PDF,
        C2,
        3,
        "attachment",
        referrer=JIA_ARTICLE,
        year=DUE,
        changed=True,
        sha="bb",
        saved="inbox/甲镇-2025-2.pdf",
    ),
    # 乙乡: the first night its article page failed; the second night the listing names no DUE report.
    listing("乙乡", C1),
    fetch(
        "乙乡",
        f"http://yi.example.cn/ndbg/{DUE}.html",
        C1,
        1,
        "article",
        status=500,
        error="服务器返回 500",
        referrer="http://yi.example.cn/ndbg/",
        year=DUE,
    ),
    listing("乙乡", C2),
    # 丙镇: the listing answered the first night, timed out on the latest.
    listing("丙镇", C1),
    listing("丙镇", C2, status=None, error="超时（20 秒）", sha=None),
    # 丁镇: the link is on the listing, the article page answers 503.
    listing("丁镇", C2),
    fetch(
        "丁镇",
        DING_ARTICLE,
        C2,
        1,
        "article",
        status=503,
        error="服务器返回 503",
        referrer="http://ding.example.cn/ndbg/",
        year=DUE,
    ),
    # 戊镇: the listing links the file itself, and what comes back is a web page.
    listing("戊镇", C2),
    fetch(
        "戊镇",
        WU_PDF,
        C2,
        1,
        "attachment",
        error="服务器返回的是网页而不是 PDF 文件",
        referrer="http://wu.example.cn/ndbg/",
        year=DUE,
    ),
    # 庚镇: robots.txt bars its listing (a robots row is the host's: no township).
    fetch(None, "http://geng.example.cn/robots.txt", C2, 0, "robots"),
    listing("庚镇", C2, status=None, error="robots.txt 不允许抓取该地址，未抓取", sha=None),
]


@pytest.fixture
def con(tmp_path: Path):
    csv = tmp_path / "townships.csv"
    csv.write_text(REGISTER, encoding="utf-8")
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        warehouse.load_townships(con, csv)
        con.executemany(f"INSERT INTO sources ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", SOURCES)
        # reports loaded: 甲镇 EARLIER collected from the web before sources were kept, 己镇 EARLIER by hand
        load(con, make_report(year=EARLIER, body="甲镇"))
        con.execute(
            "UPDATE reports SET source_url = ? WHERE township = '甲镇' AND year = ?",
            [f"http://jia.example.cn/files/{EARLIER}.pdf", EARLIER],
        )
        load(con, make_report(year=EARLIER, body="己镇"))
        yield con


def rows(con) -> dict[tuple[str, int], dict]:
    cur = con.execute("SELECT * FROM publication_status")
    names = [d[0] for d in cur.description]
    return {(r[0], r[1]): dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def test_columns_and_one_row_per_register_township_and_year(con):
    cur = con.execute("SELECT * FROM publication_status LIMIT 0")
    assert [d[0] for d in cur.description] == [
        "township", "year", "status", "original_url", "file_url", "first_seen", "last_checked",
        "changed_after_publication", "last_changed", "error", "county", "failing_since", "nights_failed",
    ]  # fmt: skip
    got = rows(con)
    towns = ["甲镇", "乙乡", "丙镇", "丁镇", "戊镇", "己镇", "庚镇"]
    # years: EARLIER (loaded reports), DUE (links found, and the due year anyway)
    assert sorted(got) == sorted((t, y) for t in towns for y in (EARLIER, DUE))


def test_published_from_the_collected_article_and_file_changed_later(con):
    jia = rows(con)["甲镇", DUE]
    assert jia == {
        "township": "甲镇",
        "year": DUE,
        "status": "published",
        "original_url": JIA_ARTICLE,
        "file_url": JIA_PDF,
        "first_seen": at(C1, 2),  # the article page's first good fetch
        "last_checked": at(C2, 1),  # the latest listing fetch (a 304 too)
        "changed_after_publication": True,
        "last_changed": at(C2, 3),
        "error": None,
        "county": None,  # a register of one county
        "failing_since": None,
        "nights_failed": None,
    }


def test_published_from_a_loaded_report_says_where_it_came_from(con):
    got = rows(con)
    jia = got["甲镇", EARLIER]
    assert jia["status"] == "published" and jia["original_url"] == f"http://jia.example.cn/files/{EARLIER}.pdf"
    assert jia["file_url"] is None and jia["first_seen"] is None and jia["changed_after_publication"] is False
    # 己镇 sent its report by hand and has no url: published, nothing to link
    ji = got["己镇", EARLIER]
    assert (ji["status"], ji["original_url"], ji["last_checked"]) == ("published", None, None)


def test_fetch_failed_says_what_could_not_be_fetched_and_why(con):
    got = rows(con)
    expected = {
        "丙镇": "栏目页无法抓取：超时（20 秒）",
        "丁镇": "找到报告链接，但文章页无法打开：服务器返回 503",
        "戊镇": "找到报告链接，但附件无法下载：服务器返回的是网页而不是 PDF 文件",
        "庚镇": "栏目页无法抓取：robots.txt 不允许抓取该地址，未抓取",
    }
    for town, error in expected.items():
        row = got[town, DUE]
        assert (row["status"], row["error"]) == ("fetch_failed", error), town
    assert got["丁镇", DUE]["original_url"] == DING_ARTICLE and got["丁镇", DUE]["file_url"] is None
    # a file linked from the listing itself: the listing is the page it was found on
    assert (got["戊镇", DUE]["original_url"], got["戊镇", DUE]["file_url"]) == ("http://wu.example.cn/ndbg/", WU_PDF)
    assert got["戊镇", DUE]["first_seen"] is None
    assert got["丙镇", DUE]["last_checked"] == at(C2)  # the failed fetch is the latest check
    # since when, and how many nights in a row: 丙镇's listing answered on C1 and failed on C2 only
    assert (got["丙镇", DUE]["failing_since"], got["丙镇", DUE]["nights_failed"]) == (at(C2), 1)
    assert (got["丁镇", DUE]["failing_since"], got["丁镇", DUE]["nights_failed"]) == (at(C2, 1), 1)
    # the listing failed for every year: 丙镇 EARLIER too; a failing link is only its own year's failure
    assert got["丙镇", EARLIER]["status"] == "fetch_failed"
    assert got["丁镇", EARLIER]["status"] == "not_published" and got["丁镇", EARLIER]["error"] is None


def test_an_article_page_that_never_answered_is_a_failure_to_fetch(con):
    # A timeout leaves no HTTP status: still a link found and not fetched, never "not published".
    con.execute(
        f"INSERT INTO sources ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        fetch("乙乡", f"http://yi.example.cn/ndbg/{DUE}.html", C2, 1, "article", status=None, sha=None,
              error="超时（20 秒）", referrer="http://yi.example.cn/ndbg/", year=DUE),
    )  # fmt: skip
    yi = rows(con)["乙乡", DUE]
    assert (yi["status"], yi["error"]) == ("fetch_failed", "找到报告链接，但文章页无法打开：超时（20 秒）")
    # its first night's 500 and this night's timeout: two nights in a row
    assert (yi["failing_since"], yi["nights_failed"]) == (at(C1, 1), 2)


def test_not_published_when_the_latest_listing_names_no_report(con):
    got = rows(con)
    yi = got["乙乡", DUE]
    # the first night's failed article fetch is history: the latest listing was read and names nothing
    assert yi["status"] == "not_published" and yi["error"] is None
    assert yi["last_checked"] == at(C2) and yi["changed_after_publication"] is False
    assert yi["original_url"] is None  # the link the first night found is gone


def test_not_collected_for_the_due_year_of_a_township_with_no_url_and_nothing_in_the_inbox(con):
    ji = rows(con)["己镇", DUE]
    assert ji == {
        "township": "己镇", "year": DUE, "status": "not_collected", "original_url": None, "file_url": None,
        "first_seen": None, "last_checked": None, "changed_after_publication": False, "last_changed": None,
        "error": None, "county": None, "failing_since": None, "nights_failed": None,
    }  # fmt: skip


def test_a_site_failing_night_after_night_counts_its_nights_from_the_first(con):
    C3 = f"{DUE + 1}-12-01T02:00:00"
    con.execute(
        f"INSERT INTO sources ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        listing("丙镇", C3, status=503, error="服务器返回 503（已重试 2 次）", sha=None),
    )
    bing = rows(con)["丙镇", DUE]
    assert (bing["status"], bing["error"]) == ("fetch_failed", "栏目页无法抓取：服务器返回 503（已重试 2 次）")
    assert (bing["failing_since"], bing["nights_failed"]) == (at(C2), 2)


def test_unreadable_when_the_file_that_came_was_rejected_or_the_page_held_no_report(con):
    # 甲镇's DUE file was saved and the run rejected it: published, but not read; the reason is the run's.
    con.execute(
        "INSERT INTO rejected (source_file, reason, message, sha256, seen_at) VALUES (?, ?, ?, ?, now())",
        ["inbox/甲镇-2025-2.pdf", "NOT_A_REPORT", "不是政府信息公开工作年度报告：没有找到第三、四部分的标题。", "bb"],
    )
    # 乙乡's DUE page opened on the latest night but held neither the report nor a file of it.
    con.execute(
        f"INSERT INTO sources ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        fetch("乙乡", f"http://yi.example.cn/ndbg/{DUE}.html", C2, 1, "article",
              error="页面中没有找到年报正文，也没有附件", referrer="http://yi.example.cn/ndbg/", year=DUE),
    )  # fmt: skip
    got = rows(con)
    assert (got["甲镇", DUE]["status"], got["甲镇", DUE]["error"]) == (
        "unreadable",
        "不是政府信息公开工作年度报告：没有找到第三、四部分的标题。",
    )
    assert (got["乙乡", DUE]["status"], got["乙乡", DUE]["error"]) == (
        "unreadable",
        "找到报告链接，但页面中没有找到年报正文，也没有附件",
    )


def test_a_later_good_fetch_publishes_a_failed_link(con):
    con.execute(
        f"INSERT INTO sources ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        fetch("丁镇", DING_ARTICLE, "9999-01-01T02:00:00", 5, "article", referrer="http://ding.example.cn/ndbg/",
              year=DUE),
    )  # fmt: skip
    ding = rows(con)["丁镇", DUE]
    assert (ding["status"], ding["error"], ding["original_url"]) == ("published", None, DING_ARTICLE)


def test_the_due_year_is_there_with_no_data_at_all(tmp_path):
    with warehouse.open_warehouse(tmp_path / "empty.duckdb") as con:
        con.execute("INSERT INTO townships (name, aliases, code) VALUES ('甲镇', [], '1')")
        assert con.execute("SELECT township, year, status FROM publication_status").fetchall() == [
            ("甲镇", DUE, "not_collected")
        ]


def test_statuses_have_labels_and_a_chinese_view(con):
    assert set(PUBLICATION_LABELS) == set(PublicationStatus)
    assert {(k, c) for k, c, _ in LABELS if k == "publication"} == {("publication", s.value) for s in PublicationStatus}
    got = con.execute("SELECT 乡镇, 状态, 原因, 状态代码 FROM 发布情况 WHERE 年度 = ? ORDER BY 乡镇", [DUE]).fetchall()
    by_town = {r[0]: r[1:] for r in got}
    assert by_town["甲镇"] == ("已发布", None, "published")
    assert by_town["乙乡"] == ("未发布", None, "not_published")
    assert by_town["丙镇"] == ("抓取失败", "栏目页无法抓取：超时（20 秒）", "fetch_failed")
    assert by_town["己镇"] == ("未采集", None, "not_collected")


def test_the_docs_question_names_who_has_not_published(con):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "warehouse.md").read_text(encoding="utf-8")
    (sql,) = [block for block in re.findall(r"```sql\n(.*?)```", doc, flags=re.S) if "publication_status" in block]
    got = [(town, status, error) for town, status, _, error, _ in con.execute(sql).fetchall()]
    assert got == [
        ("丙镇", "抓取失败", "栏目页无法抓取：超时（20 秒）"),
        ("丁镇", "抓取失败", "找到报告链接，但文章页无法打开：服务器返回 503"),
        ("戊镇", "抓取失败", "找到报告链接，但附件无法下载：服务器返回的是网页而不是 PDF 文件"),
        ("庚镇", "抓取失败", "栏目页无法抓取：robots.txt 不允许抓取该地址，未抓取"),
        ("己镇", "未采集", None),
        ("乙乡", "未发布", None),
    ]


def _flags(con, rule: str) -> dict[tuple[str, int | None], str]:
    return {(f["township"], f["year"]): f["message"] for f in warehouse.compute_flags(con) if f["rule_id"] == rule}


def test_missing_report_only_where_it_is_known_and_one_site_unreachable_per_township(con):
    missing = _flags(con, "MISSING_REPORT")
    # The years MISSING_REPORT expects: from the first report loaded (EARLIER) to the latest (EARLIER).
    assert sorted(missing) == [("丁镇", EARLIER), ("乙乡", EARLIER), ("戊镇", EARLIER)]
    # 丙镇 and 庚镇: the listing could not be read, nothing is known of any year; not one MISSING_REPORT,
    # but a warning for each site, with its error and the first night it failed.
    unreachable = _flags(con, "SITE_UNREACHABLE")
    assert sorted(unreachable) == [("丁镇", None), ("丙镇", None), ("庚镇", None), ("戊镇", None)]
    assert unreachable["丙镇", None] == (
        f"丙镇的网站自 {DUE + 1}年11月30日 起连续 1 次未能读取（栏目页无法抓取：超时（20 秒））；"
        f"涉及 {EARLIER}、{DUE} 年度报告，读取成功之前不判断这些年度是否已发布。"
    )
    assert unreachable["丁镇", None].endswith(f"涉及 {DUE} 年度报告，读取成功之前不判断这些年度是否已发布。")
    assert missing["乙乡", EARLIER] == (
        f"乙乡的网站上没有 {EARLIER} 年政府信息公开工作年度报告（{DUE + 1}年11月30日 检查年报栏目时仍未发布）。"
    )


def test_missing_report_for_every_year_the_county_collects_when_it_is_known(con):
    flags = {(f["rule_id"], f["township"], f["year"]) for f in warehouse.compute_flags(con, years=[EARLIER, DUE])}
    missing = {(t, y) for rule, t, y in flags if rule == "MISSING_REPORT"}
    # DUE: 乙乡 not published, 己镇 not collected (no url, nothing in the inbox); 甲镇 published; the four
    # whose site failed, nothing.
    assert missing == {("丁镇", EARLIER), ("乙乡", EARLIER), ("戊镇", EARLIER), ("乙乡", DUE), ("己镇", DUE)}
    messages = _flags(con, "MISSING_REPORT")
    assert messages.get(("己镇", DUE)) is None  # outside the default years
    assert {f["message"] for f in warehouse.compute_flags(con, years=[DUE]) if f["township"] == "己镇"} == {
        f"己镇 未报送 {DUE} 年政府信息公开工作年度报告。"
    }


def test_a_site_read_again_closes_its_warning_and_its_years_are_judged_anew(con):
    C3 = f"{DUE + 1}-12-01T02:00:00"
    con.execute(
        f"INSERT INTO sources ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        listing("丙镇", C3),
    )
    assert ("丙镇", None) not in _flags(con, "SITE_UNREACHABLE")
    # The listing read, no report of EARLIER or DUE on it: not published.
    assert rows(con)["丙镇", DUE]["status"] == "not_published"
    assert ("丙镇", EARLIER) in _flags(con, "MISSING_REPORT")
