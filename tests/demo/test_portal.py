"""The demo township portal (demo.portal) and its loopback server (demo.portal_server)."""

from __future__ import annotations

import csv
import hashlib
import http.client
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gongkai.demo import office
from gongkai.demo.corpus import write_corpus
from gongkai.demo.portal import ERROR_PAGE, ROBOTS, WPS_MAGIC, PortalPlan, write_portal, write_register
from gongkai.demo.portal_server import serve_portal

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
OUTSIDE = "http://127.0.0.2:9/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


RAW = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url: str, headers: dict[str, str] | None = None, opener=OPENER) -> tuple[int, dict[str, str], bytes]:  # type: ignore[no-untyped-def]
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


class _Links(HTMLParser):
    """Anchors (href, text, title) outside scripts, and createPageHTML calls inside them."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self._a: dict[str, str] | None = None
        self._text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._a = {k: v or "" for k, v in attrs}
            self._text = []
        elif tag == "script":
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._a is not None:
            self.links.append((self._a.get("href", ""), "".join(self._text).strip(), self._a.get("title", "")))
            self._a = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        elif self._a is not None:
            self._text.append(data)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def parse(data: bytes) -> _Links:
    p = _Links()
    p.feed(decode(data))
    return p


def crawl_listing(base_url: str, first: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Follow a township's listing pages by either pagination style: (page paths, links as absolute paths)."""
    pages, links, todo = [], [], [first]
    while todo:
        path = todo.pop(0)
        if path in pages:
            continue
        status, _, data = fetch(base_url + path)
        assert status == 200, path
        pages.append(path)
        page = parse(data)
        for href, text, title in page.links:
            url = urllib.parse.urljoin(base_url + path, href)
            links.append((url.removeprefix(base_url) if url.startswith(base_url) else url, text, title))
            if text == "下一页":
                todo.append(url.removeprefix(base_url))
        for call in re.finditer(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)', "".join(page.scripts)):
            total, current, name, ext = int(call[1]), int(call[2]), call[3], call[4]
            if current + 1 < total:
                todo.append(urllib.parse.urljoin(path, f"{name}_{current + 1}.{ext}"))
    return pages, links


# -- the server on a small hand-made site (fast) ----------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html>首页</html>", encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text("<html>a</html>", encoding="utf-8")
    (tmp_path / "a" / "b" / "r.pdf").write_bytes(b"%PDF-1.4 demo")
    (tmp_path / "a" / "b" / "r.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "a" / "b" / "r.wps").write_bytes(WPS_MAGIC)
    (tmp_path / "a" / "b" / "g.html").write_bytes("<html>青山乡</html>".encode("gb18030"))
    (tmp_path / "robots.txt").write_text(ROBOTS, encoding="ascii")
    (tmp_path.parent / "secret.txt").write_text("secret", encoding="utf-8")
    return tmp_path


def test_static_files_types_and_lengths(site: Path) -> None:
    with serve_portal(site, content_types={"/a/b/g.html": "text/html; charset=gb2312"}) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
        assert server._httpd.server_address[0] == "127.0.0.1"
        expect = {
            "/a/b/r.pdf": "application/pdf",
            "/a/b/r.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "/a/b/r.wps": "application/vnd.ms-works",
            "/a/b/g.html": "text/html; charset=gb2312",
            "/a/index.html": "text/html; charset=utf-8",
            "/robots.txt": "text/plain; charset=utf-8",
        }
        for path, ctype in expect.items():
            status, headers, body = fetch(server.url(path))
            assert (status, headers["Content-Type"]) == (200, ctype)
            assert body == (site / path.lstrip("/")).read_bytes()
            assert headers["Content-Length"] == str(len(body))
        assert fetch(server.url("/a/"))[2] == b"<html>a</html>"
        assert fetch(server.url("/"))[2] == "<html>首页</html>".encode()
        status, headers, _ = fetch(server.url("/a"), opener=RAW)
        assert (status, headers["Location"]) == (301, "/a/")
        status, headers, body = fetch(server.url("/a/missing.pdf"))
        assert status == 404 and headers["Content-Type"].startswith("text/html") and b"404" in body
        head = urllib.request.Request(server.url("/a/b/r.pdf"), method="HEAD")
        with OPENER.open(head, timeout=5) as resp:
            assert resp.headers["Content-Length"] == "13" and resp.read() == b""
        assert fetch(server.url("/robots.txt"))[2].decode() == "User-agent: *\nDisallow: /private/\n"


def test_path_traversal_is_refused(site: Path) -> None:
    with serve_portal(site) as server:
        for path in ("/../secret.txt", "/a/../../secret.txt", "/%2e%2e/secret.txt", "/a/%2E%2E/%2e%2e/secret.txt"):
            conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
            conn.request("GET", path)
            resp = conn.getresponse()
            assert resp.status == 404 and b"secret" not in resp.read(), path
            conn.close()


def test_validators_304_and_replace(site: Path) -> None:
    with serve_portal(site) as server:
        url = server.url("/a/b/r.pdf")
        status, headers, _ = fetch(url)
        assert headers["ETag"] == '"' + hashlib.sha1(b"%PDF-1.4 demo").hexdigest() + '"'
        assert headers["Last-Modified"].endswith(" GMT")
        assert fetch(url, {"If-None-Match": headers["ETag"]})[:1] == (304,)
        status, _, body = fetch(url, {"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]})
        assert (status, body) == (200, b"%PDF-1.4 demo")  # If-None-Match wins over If-Modified-Since
        assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
        server.replace("/a/b/r.pdf", b"%PDF-1.4 changed")
        status, new, body = fetch(url, {"If-None-Match": headers["ETag"]})
        assert (status, body) == (200, b"%PDF-1.4 changed")
        assert new["ETag"] != headers["ETag"] and new["Last-Modified"] != headers["Last-Modified"]
        assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 200
        assert fetch(url, {"If-None-Match": new["ETag"]})[0] == 304


def test_faults_and_hits(site: Path) -> None:
    faults = {
        "/old.html": {"kind": "redirect", "status": 301, "location": "a/"},
        "/a/b/r.pdf": {"kind": "status", "status": 500, "times": 1},
        "/a/b/x.pdf": {"kind": "body", "status": 200, "content_type": "text/html; charset=utf-8", "body": ERROR_PAGE},
        "/a/index.html": {"kind": "status", "status": 503},
    }
    with serve_portal(site, faults=faults) as server:
        status, headers, _ = fetch(server.url("/old.html"), opener=RAW)
        assert (status, headers["Location"]) == (301, "a/")
        assert [fetch(server.url("/a/b/r.pdf"))[0] for _ in range(3)] == [500, 200, 200]
        status, headers, body = fetch(server.url("/a/b/x.pdf"))
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert body.decode() == ERROR_PAGE
        assert fetch(server.url("/a/"))[0] == 503 and fetch(server.url("/a/index.html"))[0] == 503
        server.clear_fault("/a/index.html")
        assert fetch(server.url("/a/"))[:1] == (200,)
        server.set_fault("/a/b/r.pdf", {"kind": "status", "status": 500, "times": 2})
        assert [fetch(server.url("/a/b/r.pdf"))[0] for _ in range(3)] == [500, 500, 200]
        server.set_fault("/robots.txt", {"kind": "slow", "seconds": 0.4})
        started = time.perf_counter()
        assert fetch(server.url("/robots.txt?x=1"), {"User-Agent": "gongkai-test"})[0] == 200
        assert time.perf_counter() - started >= 0.4
        hit = server.requests[-1]
        assert (hit.method, hit.path, hit.status, hit.headers["User-Agent"]) == (
            "GET",
            "/robots.txt?x=1",
            200,
            "gongkai-test",
        )
        assert [h.status for h in server.requests if h.path == "/a/b/r.pdf"] == [500, 200, 200, 500, 500, 200]


def test_stop_is_not_held_by_a_slow_page(site: Path) -> None:
    server = serve_portal(site, faults={"/a/b/r.pdf": {"kind": "slow", "seconds": 60}})
    caught: list[object] = []

    def get() -> None:
        try:
            fetch(server.url("/a/b/r.pdf"))
        except Exception as err:  # the connection is closed under it
            caught.append(err)

    t = threading.Thread(target=get, daemon=True)
    t.start()
    time.sleep(0.2)
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 2
    t.join(5)
    assert not t.is_alive()
    with pytest.raises(OSError):
        fetch(server.url("/robots.txt"))


# -- the portal of a small demo county (writes a county: slow) -----------------------------------------------


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, PortalPlan]:
    county_dir = tmp_path_factory.mktemp("portal_county")
    write_corpus(county_dir, townships=5, years=(2021, 2025), seed=7)
    site_dir = tmp_path_factory.mktemp("portal_site")
    plan = write_portal(county_dir, site_dir, seed=7, outside_url=OUTSIDE, slow_seconds=0.5)
    return county_dir, site_dir, plan


def _served(site_dir: Path, plan: PortalPlan):  # type: ignore[no-untyped-def]
    return serve_portal(site_dir, faults=plan.faults, content_types=plan.content_types)


def _county_reports(county_dir: Path) -> dict[tuple[str, int], Path]:
    out = {}
    for f in (county_dir / "reports").iterdir():
        if f.suffix != ".json":
            name, _, year = f.stem.rpartition("-")
            out[(name, int(year))] = f
    return out


@pytest.mark.slow
def test_every_report_is_listed_and_served(portal: tuple[Path, Path, PortalPlan]) -> None:
    county_dir, site_dir, plan = portal
    reports = _county_reports(county_dir)
    unpublished = tuple(plan.scenarios["unpublished"].split(":"))
    online = sorted(k for k in reports if (k[0], str(k[1])) != unpublished)
    assert sorted((t.name, r.year) for t in plan.townships for r in t.reports) == online
    broken = plan.scenarios["broken_site"]
    with _served(site_dir, plan) as server:
        for town in plan.townships:
            if town.listing == broken:
                server.clear_fault(broken)
            pages, links = crawl_listing(server.base_url, town.listing)
            assert pages == town.listing_pages and 2 <= len(pages) <= 3
            by_path = {path: (text, title) for path, text, title in links}
            for r in town.reports:
                assert by_path[r.linked_as] == (r.link_text, r.title if r.link_text != r.title else "")
                data = reports[(town.name, r.year)].read_bytes()
                assert r.report_file == f"reports/{reports[(town.name, r.year)].name}"
                if r.linked_as in plan.faults:  # moved: urllib follows the 301
                    assert plan.faults[r.linked_as]["kind"] == "redirect"
                status, _, article = fetch(server.url(r.linked_as))
                assert status == 200
                if not r.attachments:
                    assert r.article.endswith(reports[(town.name, r.year)].suffix)
                    if r.served == "pages":  # the report's blocks over this page and the next
                        assert article != data and "下一页" in decode(article)
                        assert fetch(server.url(plan.scenarios["paged"]))[0] == 200
                    else:
                        assert article == data
                    continue
                hrefs = [h for h, text, _ in parse(article).links if text.startswith(r.title)]
                found = [urllib.parse.urljoin(server.url(r.article), h).removeprefix(server.base_url) for h in hrefs]
                assert found == r.attachments
                status, _, body = fetch(server.url(r.attachments[0]))
                if status == 500:
                    assert plan.scenarios["flaky"] == r.attachments[0]
                    status, _, body = fetch(server.url(r.attachments[0]))
                if r.served == "converted":  # the Word file as LibreOffice saved it
                    assert status == 200 and Path(r.attachments[0]).suffix in (".doc", ".wps")
                    assert body.startswith(WPS_MAGIC)
                else:
                    assert r.attachments[0].endswith(Path(r.report_file).suffix) and (status, body) == (200, data)
            for path in town.others:  # listed, and not one of the report titles
                text, title = by_path[path]
                assert "政府信息公开工作年度报告" not in text + title and "公开年报" not in text + title
            assert any(path == OUTSIDE for path, _, _ in links)
        assert not any(h.path.startswith("http") for h in server.requests)


@pytest.mark.slow
def test_listing_variety(portal: tuple[Path, Path, PortalPlan]) -> None:
    _, site_dir, plan = portal
    assert {t.pagination for t in plan.townships} == {"anchors", "script"}
    assert len({t.link_style for t in plan.townships}) == 4
    for town in plan.townships:
        first = (site_dir / town.listing.lstrip("/")).read_bytes()
        text = decode(first)
        total = len(town.listing_pages)
        if town.pagination == "script":
            assert f'createPageHTML({total}, 0, "index", "html");' in text
            assert 'href="index_1.html"' not in text
        else:
            assert '<a href="index_1.html">下一页</a>' in text
            assert f'<a href="index_{total - 1}.html">尾页</a>' in text
        if town.link_style == "truncated":
            assert all(r.link_text.endswith("…") and r.title.startswith(r.link_text[:-1]) for r in town.reports)
            assert f'title="{town.reports[-1].title}"' in text  # the newest report is on the first page
    every = "".join(decode(p.read_bytes()) for p in site_dir.rglob("index*.html"))
    for decoy in ("年财政预算公开", "年安全生产检查的通知", "政府信息公开指南", "年法治政府建设年度报告"):
        assert decoy in every


@pytest.mark.slow
def test_gb2312_listing_and_reports(portal: tuple[Path, Path, PortalPlan]) -> None:
    county_dir, site_dir, plan = portal
    gb = [t for t in plan.townships if t.encoding == "gb2312"]
    assert gb and len(gb) < len(plan.townships)
    with _served(site_dir, plan) as server:
        for town in gb:
            for path in town.listing_pages:
                status, headers, data = fetch(server.url(path))
                assert status in (200, 503)
                if status == 503:
                    continue
                with pytest.raises(UnicodeDecodeError):
                    data.decode("utf-8")
                text = data.decode("gb18030")
                assert '<meta charset="gb2312">' in text and town.name in text and "政府信息公开年报" in text
                assert headers["Content-Type"] in ("text/html; charset=gb2312", "text/html")
        gb_reports = [r for t in plan.townships for r in t.reports if not r.attachments]
        for r in gb_reports:
            data = (county_dir / r.report_file).read_bytes()
            try:
                data.decode("utf-8")
                assert r.article not in plan.content_types
            except UnicodeDecodeError:
                assert plan.content_types[r.article] in ("text/html; charset=gb2312", "text/html")
                assert fetch(server.url(r.article))[1]["Content-Type"] == plan.content_types[r.article]


@pytest.mark.slow
def test_scenarios(portal: tuple[Path, Path, PortalPlan]) -> None:
    county_dir, site_dir, plan = portal
    s = plan.scenarios
    expected = {"moved", "gone", "flaky", "slow", "error_page", "disallowed", "unsupported", "broken_site", "paged"}
    expected |= {"unpublished"} | ({"both", "doc", "wps"} if office.available() else set())
    assert set(s) == expected
    reports = {r.linked_as: r for t in plan.townships for r in t.reports}
    listed = {
        path
        for t in plan.townships
        for p in t.listing_pages
        for path in [urllib.parse.urljoin(p, h) for h, _, _ in parse((site_dir / p.lstrip("/")).read_bytes()).links]
    }
    with _served(site_dir, plan) as server:
        # moved: the listing links the old address, which answers 301 to where the article is
        moved = reports[s["moved"]]
        assert moved.linked_as != moved.article and moved.linked_as in listed
        status, headers, _ = fetch(server.url(s["moved"]), opener=RAW)
        assert status == 301 and urllib.parse.urljoin(s["moved"], headers["Location"]) == moved.article
        # gone: listed, 404
        assert s["gone"] in listed and fetch(server.url(s["gone"]))[0] == 404
        assert s["gone"] not in {r.article for r in reports.values()}
        # flaky: 500 once, then the report's bytes
        flaky = next(r for r in reports.values() if s["flaky"] in r.attachments)
        assert fetch(server.url(s["flaky"]))[0] == 500
        status, headers, body = fetch(server.url(s["flaky"]))
        assert (status, headers["Content-Type"], body) == (
            200,
            "application/pdf",
            (county_dir / flaky.report_file).read_bytes(),
        )
        # slow: answers after slow_seconds
        assert s["slow"] in listed and plan.faults[s["slow"]] == {"kind": "slow", "seconds": 0.5}
        started = time.perf_counter()
        assert fetch(server.url(s["slow"]))[0] == 200
        assert time.perf_counter() - started >= 0.5
        # error_page: a .pdf link answering an HTML error page with 200
        status, headers, body = fetch(server.url(s["error_page"]))
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert "文件不存在或已被删除" in body.decode() and s["error_page"].endswith(".pdf")
        # disallowed: robots.txt excludes /private/, where a listed page exists
        assert fetch(server.url("/robots.txt"))[2].decode() == "User-agent: *\nDisallow: /private/\n"
        assert s["disallowed"].startswith("/private/") and s["disallowed"] in listed
        assert re.search(r"/t2018\d{4}_\d+\.html$", s["disallowed"]) and fetch(server.url(s["disallowed"]))[0] == 200
        # unsupported: a .wps beside the PDF of one report
        wps = next(r for r in reports.values() if s["unsupported"] in r.attachments)
        assert [Path(a).suffix for a in wps.attachments] == [".pdf", ".wps"]
        status, headers, body = fetch(server.url(s["unsupported"]))
        assert (status, headers["Content-Type"]) == (200, "application/vnd.ms-works") and body.startswith(WPS_MAGIC)
        # broken_site: its first listing answers 503, as a directory too
        assert fetch(server.url(s["broken_site"]))[0] == 503
        assert fetch(server.url(s["broken_site"].removesuffix("index.html")))[0] == 503
    # paged: an HTML report over two pages, each of the page's own name, linked by 下一页 / 上一页
    paged = next(r for r in reports.values() if r.served == "pages")
    first, second = (decode((site_dir / p.lstrip("/")).read_bytes()) for p in (paged.article, s["paged"]))
    assert s["paged"] == paged.article.replace(".htm", "_1.htm")
    assert "下一页" in first and "三、收到和处理政府信息公开申请情况" not in first
    assert "上一页" in second and "三、收到和处理政府信息公开申请情况" in second
    # unpublished: the latest report of one township is nowhere on the site
    town, year = s["unpublished"].split(":")
    assert int(year) == max(r.year for t in plan.townships for r in t.reports)
    assert int(year) not in {r.year for t in plan.townships if t.name == town for r in t.reports}
    assert plan.statuses[town][year] == "not_published"
    if office.available():
        # both: the report printed on its page (LibreOffice's HTML of it) and attached as its Word file
        both = reports[s["both"]]
        assert [Path(a).suffix for a in both.attachments] == [".docx"] and both.served == "same"
        page = decode((site_dir / s["both"].lstrip("/")).read_bytes())
        assert "三、收到和处理政府信息公开申请情况" in page and "<table" in page
        # doc, wps: Word files as LibreOffice saves them, published in place of the .docx
        for form in ("doc", "wps"):
            assert s[form].endswith(f".{form}")
            assert (site_dir / s[form].lstrip("/")).read_bytes().startswith(WPS_MAGIC)
    broken = next(t for t in plan.townships if t.listing == s["broken_site"])
    assert set(plan.statuses[broken.name].values()) == {"fetch_failed"}
    used = [v for k, v in s.items() if k not in ("broken_site", "unpublished")]
    assert not any(v.startswith(f"/{broken.code}/") or v.startswith(f"/private/{broken.code}/") for v in used)
    # the error page's .pdf is an attachment of a listed stub article
    stubs = [site_dir / p.lstrip("/") for t in plan.townships for p in t.extras]
    assert any(p.exists() and s["error_page"].rsplit("/", 1)[1] in p.read_text("utf-8") for p in stubs)


@pytest.mark.slow
def test_register_and_plan_file(portal: tuple[Path, Path, PortalPlan], tmp_path: Path) -> None:
    county_dir, site_dir, plan = portal
    assert PortalPlan.load(site_dir / "portal.json") == plan
    with _served(site_dir, plan) as server:
        out = tmp_path / "register.csv"
        write_register(plan, county_dir, out, server.base_url + "/")
        with open(out, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [r["name"] for r in rows] == [t.name for t in plan.townships]
        assert all(r["link_pattern"] == "" and r["code"] == t.code for r, t in zip(rows, plan.townships, strict=True))
        assert sum(r["url"].endswith("/ndbg/") for r in rows) == 2
        for row, town in zip(rows, plan.townships, strict=True):
            assert row["url"] in (
                server.base_url + town.listing,
                server.base_url + town.listing.removesuffix("index.html"),
            )
            status, _, data = fetch(row["url"])
            if town.listing == plan.scenarios["broken_site"]:
                assert status == 503
            else:
                assert status == 200 and data == (site_dir / town.listing.lstrip("/")).read_bytes()


@pytest.mark.slow
def test_deterministic(portal: tuple[Path, Path, PortalPlan], tmp_path: Path) -> None:
    county_dir, site_dir, plan = portal

    def tree(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
        }

    again = write_portal(county_dir, tmp_path / "again", seed=7, outside_url=OUTSIDE, slow_seconds=0.5)
    assert again == plan and tree(tmp_path / "again") == tree(site_dir)
    other = write_portal(county_dir, tmp_path / "other", seed=8, outside_url=OUTSIDE)
    assert other.scenarios != plan.scenarios or tree(tmp_path / "other") != tree(site_dir)
    plain = write_portal(county_dir, tmp_path / "plain", seed=7, scenarios=False)
    assert plain.scenarios == {} and plain.faults == {}
    # every report online, the one the scenarios hold back too
    assert sorted(r.year for t in plain.townships for r in t.reports) == sorted(
        [r.year for t in plan.townships for r in t.reports] + [int(plan.scenarios["unpublished"].split(":")[1])]
    )
    reports = _county_reports(county_dir)
    assert plain.statuses == {
        t.name: {y: "published" if (t.name, int(y)) in reports else "not_published" for y in plan.statuses[t.name]}
        for t in plain.townships
    }
