"""Collection against a real HTTP server on loopback serving a generated township portal: every report
found and saved byte for byte, nothing outside the register's hosts asked for, robots.txt obeyed, each
failure recorded with its reason, and a second collection that only asks whether anything changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.collect import collect, read_sites
from gongkai.parsers import parse_report
from tests.collect.conftest import FAST, Portal

pytestmark = pytest.mark.slow  # starts HTTP servers


def _by_url(fetches) -> dict:
    return {f.url: f for f in fetches}


def test_every_report_is_saved_byte_for_byte_and_nothing_else_is_fetched(portal: Portal, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    fetches = collect(read_sites(portal.register), inbox, FAST)
    got = _by_url(fetches)
    broken = portal.plan.scenarios["broken_site"]
    for town in portal.plan.townships:
        if town.listing == broken:
            continue
        for report in town.reports:
            fetch = got[portal.url(report.attachments[0] if report.attachments else report.linked_as)]
            assert fetch.error is None and fetch.township == town.name and fetch.year == report.year
            saved = Path(fetch.saved_file)
            assert saved.parent == inbox.resolve() / town.name
            if report.served == "same":
                assert saved.read_bytes() == (portal.county / report.report_file).read_bytes()
            elif report.served == "converted":  # the .doc/.wps the site serves, as it serves it
                assert saved.read_bytes() == portal.served(report.attachments[0])
            else:  # an article over two pages: one file, read as the report it is
                assert fetch.note == "报告正文共 2 页，已合为一个文件"
                truth = json.loads((portal.county / report.report_file).with_suffix(".json").read_text("utf-8"))
                assert parse_report(saved).values == truth["cells"]
    saved = {f.saved_file for f in fetches if f.saved_file}
    reports = sum(len(t.reports) for t in portal.plan.townships if t.listing != broken)
    assert len(saved) == reports + 1  # and the .wps beside one PDF
    files = sorted(p.suffix for p in inbox.rglob("*") if p.is_file() and ".gongkai" not in p.parts)
    assert files.count(".wps") == 1 + ("wps" in portal.plan.scenarios)
    # A report printed on its page and attached: the attachment only, the page noted.
    if "both" in portal.plan.scenarios:
        page = got[portal.url(portal.plan.scenarios["both"])]
        assert page.saved_file is None and page.note == "报告正文与附件为同一份报告，以附件为准，正文页未另存"
    paged = got[portal.url(portal.plan.scenarios["paged"])]  # the second page, read and joined
    assert (paged.kind, paged.error, paged.saved_file) == ("article", None, None)
    # Nothing outside the register's host: the outside server was never asked, and no fetch names it.
    assert portal.outside.requests.snapshot() == []
    assert all(f.url.startswith(portal.server.base_url) for f in fetches)
    # Only report links were followed: none of the listings' other articles.
    others = {portal.url(p) for t in portal.plan.townships for p in t.others}
    assert others.isdisjoint({h.path for h in portal.server.requests.snapshot()})
    assert others.isdisjoint(got)
    # Every request said who it is.
    assert {h.headers.get("User-Agent", "").split("/")[0] for h in portal.server.requests.snapshot()} == {"gongkai"}


def test_robots_txt_is_obeyed_and_each_failure_is_recorded(portal: Portal, tmp_path: Path) -> None:
    slow_page = portal.plan.scenarios["slow"]
    portal.server.set_fault(slow_page, portal.plan.faults[slow_page])
    fetches = collect(read_sites(portal.register), tmp_path / "inbox", FAST)
    got = _by_url(fetches)
    hits = portal.server.requests.snapshot()
    s = portal.plan.scenarios
    # robots.txt: read once, and the disallowed report was never asked for.
    assert [h.path for h in hits].count("/robots.txt") == 1
    assert not any(h.path.startswith("/private/") for h in hits)
    assert got[portal.url(s["disallowed"])].error == "robots.txt 不允许抓取该地址，未抓取"
    # A withdrawn page, a broken site (retried twice), a slow page (timed out, retried), an error page as .pdf.
    assert (got[portal.url(s["gone"])].http_status, got[portal.url(s["gone"])].error) == (404, "服务器返回 404")
    broken = got[portal.url(s["broken_site"])]
    assert (broken.kind, broken.http_status, broken.error) == ("listing", 503, "服务器返回 503（已重试 2 次）")
    assert [h.path for h in hits].count(s["broken_site"]) == 3
    slow = got[portal.url(s["slow"])]
    assert (slow.http_status, slow.error) == (None, "超时（2 秒无响应）（已重试 2 次）")
    error_page = got[portal.url(s["error_page"])]
    assert error_page.http_status == 200 and error_page.saved_file is None
    assert error_page.error == "服务器返回的是网页（可能是错误页），而不是 PDF 文件"
    # A 500 then a 200: retried and saved; a redirect followed to the article, recorded under the link.
    flaky = got[portal.url(s["flaky"])]
    assert (flaky.http_status, flaky.error) == (200, None) and Path(flaky.saved_file).is_file()
    assert [h.status for h in hits if h.path == s["flaky"]] == [500, 200]
    moved = got[portal.url(s["moved"])]
    report = next(r for t in portal.plan.townships for r in t.reports if r.linked_as == s["moved"])
    saved = got[portal.url(report.attachments[0])] if report.attachments else moved
    assert (moved.http_status, moved.error) == (200, None) and Path(saved.saved_file).is_file()
    # The site failing tonight did not stop the others: every other township has its reports.
    townships = {f.township for f in fetches if f.saved_file}
    assert len(townships) == len(portal.plan.townships) - 1


def test_a_second_collection_only_asks_and_writes_nothing(portal: Portal, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    sites = read_sites(portal.register)
    first = collect(sites, inbox, FAST)
    files = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in inbox.rglob("*") if p.is_file()}
    before = len(portal.server.requests.snapshot())
    second = collect(sites, inbox, FAST)
    hits = portal.server.requests.snapshot()[before:]
    fine = {f.url for f in first if f.http_status == 200 and not f.error}
    # Every URL that answered 200 was asked again conditionally, and answered 304.
    asked = {portal.url(h.path): h for h in hits}
    for url in fine:
        assert "If-None-Match" in asked[url].headers, url
    statuses = {f.url: f.http_status for f in second}
    assert {statuses[url] for url in fine} == {304}
    assert not any(f.written for f in second)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in inbox.rglob("*") if p.is_file()} == files


def test_a_corrected_report_replaces_the_saved_file(portal: Portal, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    sites = read_sites(portal.register)
    collect(sites, inbox, FAST)
    town = next(t for t in portal.plan.townships if t.listing != portal.plan.scenarios["broken_site"])
    report = next(r for r in town.reports if r.attachments)
    corrected = (portal.county / report.report_file).read_bytes() + b"\n%corrected\n"
    portal.server.replace(report.attachments[0], corrected)
    second = _by_url(collect(sites, inbox, FAST))
    fetch = second[portal.url(report.attachments[0])]
    assert (fetch.http_status, fetch.changed, fetch.written) == (200, True, True)
    assert Path(fetch.saved_file).read_bytes() == corrected
    assert [f.url for f in second.values() if f.written] == [fetch.url]


def test_relative_links_after_a_redirect_and_a_file_behind_a_link_with_no_name(tmp_path: Path) -> None:
    from gongkai.demo.portal_server import serve_portal

    site = tmp_path / "site"
    (site / "x" / "ndbg").mkdir(parents=True)
    pdf = b"%PDF-1.4\n% a report\n"
    listing = (
        '<html><body><a href="t1.html">2023年政府信息公开工作年度报告</a>'
        '<a href="getfile">2022年政府信息公开工作年度报告</a></body></html>'
    )
    (site / "x" / "ndbg" / "index.html").write_text(listing, encoding="utf-8")
    (site / "x" / "ndbg" / "t1.html").write_text('<html><body>附件：<a href="P1.pdf">年报</a></body></html>')
    (site / "x" / "ndbg" / "P1.pdf").write_bytes(pdf)
    (site / "x" / "ndbg" / "getfile").write_bytes(pdf + b"2022")
    register = tmp_path / "townships.csv"
    with serve_portal(site) as server:
        # The register names the folder without its slash: the server redirects, and the listing's relative
        # links are read against where the redirect ended.
        register.write_text(f"name,url\n甲镇,{server.base_url}/x/ndbg\n", encoding="utf-8")
        fetches = {f.url.removeprefix(server.base_url): f for f in collect(read_sites(register), tmp_path / "in", FAST)}
    assert fetches["/x/ndbg/P1.pdf"].year == 2023
    assert Path(fetches["/x/ndbg/P1.pdf"].saved_file).read_bytes() == pdf
    nameless = fetches["/x/ndbg/getfile"]
    assert (nameless.kind, nameless.year, Path(nameless.saved_file).name) == ("attachment", 2022, "2022-getfile.pdf")
    assert Path(nameless.saved_file).read_bytes() == pdf + b"2022"


def test_pagination_stops_at_the_page_limit(portal: Portal, tmp_path: Path) -> None:
    from dataclasses import replace

    fetches = collect(read_sites(portal.register), tmp_path / "inbox", replace(FAST, max_pages=1))
    listings = [f for f in fetches if f.kind == "listing"]
    assert sorted(f.township for f in listings) == sorted(t.name for t in portal.plan.townships)
    assert all(len(t.listing_pages) > 1 for t in portal.plan.townships)  # so the limit did cut them short


class _Plain:
    """A site as many .jsp CMSs serve it: no ETag, no Last-Modified, so every night is a full download;
    pages kept in a dict the test changes."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.pages = pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(handler) -> None:  # noqa: N805 - the handler's self; the site's is `self`
                body = self.pages.get(handler.path)
                handler.send_response(200 if body is not None else 404)
                handler.send_header("Content-Length", str(len(body or b"")))
                handler.end_headers()
                handler.wfile.write(body or b"")

            def log_message(handler, *args: object) -> None:  # noqa: N805
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _report_page(note: str) -> bytes:
    parts = "".join(
        f"<p>{h}</p><table><tr><td>1</td></tr></table>" for h in ("一、总体情况", "二、主动公开政府信息情况")
    )
    return f"<html><body>{parts}<p>三、收到和处理政府信息公开申请情况</p><p>{note}</p></body></html>".encode()


def test_without_validators_each_file_keeps_its_name_night_after_night(tmp_path: Path) -> None:
    site = _Plain(
        {
            "/ndbg/": (
                '<html><body><a href="a.jsp?id=1">2023年政府信息公开工作年度报告</a>'
                '<a href="/old/r.pdf">2022年政务公开年报</a><a href="/new/r.pdf">2022年政务公开年报（新）</a>'
                "</body></html>"
            ).encode(),
            "/ndbg/a.jsp?id=1": _report_page("v1"),
            "/old/r.pdf": b"%PDF-1.4 2022",
            "/new/r.pdf": b"%PDF-1.4 2022",  # the same report linked twice (a site that moved its files)
        }
    )
    register = tmp_path / "townships.csv"
    register.write_text(f"name,url\n甲镇,{site.url}/ndbg/\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    for _ in range(3):
        collect(read_sites(register), inbox, FAST)
    files = sorted(p.name for p in (inbox / "甲镇").iterdir())
    assert files == ["2022-r.pdf", "2023-a.jsp.html"]  # one file per report, however many nights
    # The township corrects both: the article replaces its file; the twice-linked PDF, changed at one
    # address only, gets a file of its own rather than the two overwriting each other every night.
    site.pages["/ndbg/a.jsp?id=1"] = _report_page("v2")
    site.pages["/new/r.pdf"] = b"%PDF-1.4 2022 corrected"
    for _ in range(2):
        fetches = {f.url.removeprefix(site.url): f for f in collect(read_sites(register), inbox, FAST)}
    assert sorted(p.name for p in (inbox / "甲镇").iterdir()) == ["2022-r-2.pdf", "2022-r.pdf", "2023-a.jsp.html"]
    assert (inbox / "甲镇" / "2023-a.jsp.html").read_bytes() == _report_page("v2")
    assert Path(fetches["/new/r.pdf"].saved_file).read_bytes() == b"%PDF-1.4 2022 corrected"
    assert Path(fetches["/old/r.pdf"].saved_file).read_bytes() == b"%PDF-1.4 2022"
    assert not any(f.written for f in fetches.values())  # the second night after the change: all as before
    site.server.shutdown()
    site.server.server_close()  # its listening socket too, not left to the garbage collector


def test_a_failure_of_ours_on_one_site_does_not_stop_the_others(portal: Portal, tmp_path: Path, monkeypatch) -> None:
    from gongkai.collect import crawl

    first = portal.plan.townships[0].name
    site = crawl._Crawl.site

    def failing(self, s):
        if s.township == first:
            raise OSError(28, "No space left on device")
        return site(self, s)

    monkeypatch.setattr(crawl._Crawl, "site", failing)
    fetches = collect(read_sites(portal.register), tmp_path / "inbox", FAST)
    failed = [f for f in fetches if f.township == first]
    assert [(f.kind, f.error) for f in failed] == [
        ("listing", "采集该乡镇时出错：OSError: [Errno 28] No space left on device")
    ]
    assert {f.township for f in fetches if f.saved_file} == {
        t.name for t in portal.plan.townships[1:] if t.listing != portal.plan.scenarios["broken_site"]
    }


def test_a_site_without_robots_txt_is_collected_and_reports_no_failure(tmp_path: Path) -> None:
    from gongkai.demo.portal_server import serve_portal

    (tmp_path / "site" / "nd").mkdir(parents=True)
    (tmp_path / "site" / "nd" / "index.html").write_text('<a href="r.pdf">2024年政务公开年报</a>', encoding="utf-8")
    (tmp_path / "site" / "nd" / "r.pdf").write_bytes(b"%PDF-1.4 r")
    with serve_portal(tmp_path / "site") as server:
        (tmp_path / "t.csv").write_text(f"name,url\n甲镇,{server.base_url}/nd/\n", encoding="utf-8")
        fetches = collect(read_sites(tmp_path / "t.csv"), tmp_path / "in", FAST)
    assert [(f.kind, f.http_status, f.error) for f in fetches] == [
        ("robots", 404, None),
        ("listing", 200, None),
        ("attachment", 200, None),
    ]


def test_a_township_of_a_named_county_is_saved_in_its_countys_folder(tmp_path: Path) -> None:
    """城关镇 of two counties: each saved under INBOX/<county>/<township>/, where the run reads the county."""
    from gongkai.demo.portal_server import serve_portal

    for town in ("a", "b", "c"):
        (tmp_path / "site" / town).mkdir(parents=True)
        (tmp_path / "site" / town / "index.html").write_text('<a href="r.pdf">2024年政务公开年报</a>', encoding="utf-8")
        (tmp_path / "site" / town / "r.pdf").write_bytes(f"%PDF-1.4 {town}".encode())
    with serve_portal(tmp_path / "site") as server:
        (tmp_path / "t.csv").write_text(
            f"name,url,county\n城关镇,{server.base_url}/a/,汤旺县\n城关镇,{server.base_url}/b/,青林县\n"
            f"东风镇,{server.base_url}/c/,\n",
            encoding="utf-8",
        )
        sites = read_sites(tmp_path / "t.csv")
        assert [(s.township, s.county) for s in sites] == [
            ("汤旺县城关镇", "汤旺县"),
            ("青林县城关镇", "青林县"),
            ("东风镇", None),
        ]
        fetches = collect(sites, tmp_path / "in", FAST)
    inbox = (tmp_path / "in").resolve()
    saved = {(f.township, Path(f.saved_file).relative_to(inbox).as_posix()) for f in fetches if f.saved_file}
    assert saved == {
        ("汤旺县城关镇", "汤旺县/汤旺县城关镇/2024-r.pdf"),
        ("青林县城关镇", "青林县/青林县城关镇/2024-r.pdf"),
        ("东风镇", "东风镇/2024-r.pdf"),  # no county: the township's folder, as before
    }
    assert (inbox / "汤旺县" / "汤旺县城关镇" / "2024-r.pdf").read_bytes() == b"%PDF-1.4 a"
