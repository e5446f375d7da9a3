"""Finding report links, pages and attachments on pages shaped like real county CMSs."""

from __future__ import annotations

from pathlib import Path

from gongkai.collect import links as L
from gongkai.collect import register_has_urls
from gongkai.collect.sniff import kind_of, mismatch

LISTING = """<html><head><base href="http://www.example.gov.cn/zwgk/ndbg/"></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
<ul class="list">
<li><a href="202401/t20240115_3.html" title="汤旺河镇2023年政府信息公开工作年度报告">汤旺河镇2023年政府信息公开工…</a>
<span>2024-01-15</span></li>
<li><a href="./202301/t20230112_9.html">2022年度政务公开工作年度报告</a></li>
<li><a href="202301/t20230110_8.html">关于做好2022年政府信息公开工作年度报告编制发布工作的通知</a></li>
<li><a href="202301/t20230110_7.html">汤旺河镇2022年法治政府建设年度报告</a></li>
<li><a href="202301/t20230110_6.html">汤旺河镇政府信息公开指南</a></li>
<li><a href="/zwgk/ndbg/P020220118.pdf">2021年政府信息公开年报.pdf</a></li>
<li><a href="202101/t20210127_5.html">汤旺河镇关于报送2020年度政府信息公开工作年度报告的函</a></li>
<li><a href="202101/t20210105_4.html">关于报送2020年度政府信息公开工作年度报告的通知</a></li>
<li><a href="202401/t20240115_3.html#top">汤旺河镇2023年政府信息公开工作年度报告</a></li>
</ul>
<div class="page"><a href="index_1.html">2</a><a href="index_2.html">3</a><a href="index_1.html">下一页</a>
<a href="javascript:void(0)">尾页</a></div>
<a href="http://www.gov.cn/">中国政府网</a>
</body></html>"""


def test_report_links_by_title_with_their_years() -> None:
    root = L.parse(LISTING)
    found = L.report_links(L.links(root, "http://www.example.gov.cn/zwgk/ndbg/index.html"))
    assert [(link.url, year) for link, year in found] == [
        ("http://www.example.gov.cn/zwgk/ndbg/202401/t20240115_3.html", 2023),  # full title from `title`
        ("http://www.example.gov.cn/zwgk/ndbg/202301/t20230112_9.html", 2022),
        ("http://www.example.gov.cn/zwgk/ndbg/P020220118.pdf", 2021),  # the fragment-less duplicate dropped
        ("http://www.example.gov.cn/zwgk/ndbg/202101/t20210127_5.html", 2020),  # a report sent as a letter
    ]
    assert found[0][0].text == "汤旺河镇2023年政府信息公开工作年度报告"


def test_a_register_pattern_replaces_the_default_finding() -> None:
    root = L.parse(LISTING)
    found = L.report_links(L.links(root, "http://www.example.gov.cn/zwgk/ndbg/"), r"t2023\d+_\d+\.html")
    assert [(link.url.rsplit("/", 1)[-1], year) for link, year in found] == [
        ("t20230112_9.html", 2022),
        ("t20230110_8.html", 2022),
        ("t20230110_7.html", 2022),
        ("t20230110_6.html", None),
    ]


def test_pages_by_anchor_numbers_and_trs_script() -> None:
    root = L.parse(LISTING)
    url = "http://www.example.gov.cn/zwgk/ndbg/index.html"
    pages = L.next_pages(root, L.links(root, url), url)
    assert pages == [
        "http://www.example.gov.cn/zwgk/ndbg/index_1.html",
        "http://www.example.gov.cn/zwgk/ndbg/index_2.html",
    ]
    scripted = '<html><body><div id="page"><script>createPageHTML(4, 0, "index", "shtml");</script></div></body></html>'
    root = L.parse(scripted)
    url = "http://h.gov.cn/xxgk/ndbg/index.shtml"
    assert L.next_pages(root, L.links(root, url), url) == [
        f"http://h.gov.cn/xxgk/ndbg/index_{k}.shtml" for k in (1, 2, 3)
    ]


def test_attachments_by_path_query_or_text() -> None:
    html = """<html><body><div class="article">详见附件。</div>
    <a href="P020240115.pdf">年报.pdf</a>
    <a href="/module/download/downfile.jsp?classid=0&filename=%E5%B9%B4%E6%8A%A5.docx">下载</a>
    <a href="/getfile?id=77">镇2023年年报.wps</a>
    <a href="../index.html">返回列表</a></body></html>"""
    root = L.parse(html)
    found = L.attachments(L.links(root, "http://h.gov.cn/a/202401/t1.html"))
    assert [(link.url, L.attachment_suffix(link)) for link in found] == [
        ("http://h.gov.cn/a/202401/P020240115.pdf", ".pdf"),
        ("http://h.gov.cn/module/download/downfile.jsp?classid=0&filename=%E5%B9%B4%E6%8A%A5.docx", ".docx"),
        ("http://h.gov.cn/getfile?id=77", ".wps"),
    ]


def test_an_article_holds_a_report_only_with_its_parts_and_a_table() -> None:
    stub = "<html><body><h1>2023年政府信息公开工作年度报告</h1><p>详见附件。</p></body></html>"
    whole = (
        "<html><body><p>一、总体情况</p><p>二、主动公开政府信息情况</p><table><tr><td>1</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>"
    )
    assert not L.holds_report(L.parse(stub))
    assert L.holds_report(L.parse(whole))


def test_an_html_error_page_under_a_pdf_name_is_refused() -> None:
    error_page = "<!DOCTYPE html><html><body><h1>404</h1>文件不存在</body></html>".encode()
    assert kind_of(error_page) == "html"
    assert mismatch("P0201.pdf", error_page) == "服务器返回的是网页（可能是错误页），而不是 PDF 文件"
    assert mismatch("P0201.pdf", b"%PDF-1.7\n...") is None
    assert mismatch("年报.docx", b"PK\x03\x04....") is None
    assert kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "ole"


def test_the_register_names_web_sites_only_with_a_non_empty_url(tmp_path: Path) -> None:
    register = tmp_path / "townships.csv"
    register.write_text("name,aliases,code\n洪泽区,,320813\n", encoding="utf-8")
    assert register_has_urls(register) is False
    register.write_text("name,url\n洪泽区, \n淮安市,\n", encoding="utf-8")
    assert register_has_urls(register) is False
    register.write_text("name,url\n洪泽区,\n淮安市,http://127.0.0.1:9/\n", encoding="utf-8-sig")
    assert register_has_urls(register) is True
    assert register_has_urls(tmp_path / "missing.csv") is False


def test_the_year_is_the_one_written_as_a_year_not_a_date_beside_it() -> None:
    assert L.report_year("2024-01-20 汤旺河镇2023年政府信息公开工作年度报告") == 2023
    assert L.report_year("汤旺河镇人民政府关于2023年度政府信息公开工作年度报告") == 2023  # 关于 in a report's title
    assert L.report_year("政府信息公开工作年度报告（2022）") == 2022


def test_an_xhtml_page_with_its_xml_declaration_is_read() -> None:
    page = (
        '<?xml version="1.0" encoding="gb2312"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
        '<body><a href="t1.html">2023年政府信息公开工作年度报告</a></body></html>'
    )
    root = L.parse(page)
    found = L.report_links(L.links(root, "http://h.gov.cn/ndbg/index.html"))
    assert [(link.url, year) for link, year in found] == [("http://h.gov.cn/ndbg/t1.html", 2023)]


def test_forms_beside_the_report_are_not_its_attachments() -> None:
    html = """<html><body><a href="P1.pdf">汤旺河镇2023年政府信息公开工作年度报告.pdf</a>
    <a href="/files/sqb.doc">政府信息公开申请表.doc</a><a href="/files/x.docx">附件下载</a></body></html>"""
    found = L.attachments(L.links(L.parse(html), "http://h.gov.cn/a/t1.html"))
    assert [link.url for link in found] == ["http://h.gov.cn/a/P1.pdf"]
    # With no file naming a report, every file but the forms is taken.
    html = '<html><body><a href="P1.pdf">附件1</a><a href="/f/sqb.doc">申请表</a></body></html>'
    assert [x.url for x in L.attachments(L.links(L.parse(html), "http://h.gov.cn/a/t1.html"))] == [
        "http://h.gov.cn/a/P1.pdf"
    ]


def test_a_download_script_gives_its_file_name_in_the_query() -> None:
    link = L.Link("http://h.gov.cn/module/download/downfile.jsp?classid=0&filename=%E5%B9%B4%E6%8A%A5.pdf", "下载")
    assert L.file_name(link) == "年报.pdf"
    assert L.file_name(L.Link("http://h.gov.cn/a/P0201.pdf?t=1", "附件")) == "P0201.pdf"


def test_the_file_name_a_server_gives_in_utf8_gbk_or_rfc6266() -> None:
    from gongkai.collect.crawl import _disposition_name

    gbk = "年报.pdf".encode("gbk").decode("latin-1")  # a plain filename="…" in GBK bytes, as many CMSs send
    assert _disposition_name(f'attachment; filename="{gbk}"') == "年报.pdf"
    assert _disposition_name("attachment; filename=\"x.pdf\"; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf") == "年报.pdf"
    assert _disposition_name('attachment; filename="../../etc/passwd"') == "passwd"
    assert _disposition_name("inline") is None
