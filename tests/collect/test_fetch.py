"""The polite client on its own, against a real server on loopback: its pace, its limits, robots.txt."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gongkai.collect.fetch import Fetcher
from gongkai.demo.portal_server import serve_portal
from gongkai.options import CollectSettings

pytestmark = pytest.mark.slow  # starts HTTP servers


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("<html><body>a</body></html>", encoding="utf-8")
    (tmp_path / "site" / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3_000_000)
    return tmp_path / "site"


def test_the_defaults_are_polite() -> None:
    defaults = CollectSettings()
    assert defaults.delay >= 1.0 and defaults.timeout == 20.0 and defaults.retries == 2
    assert defaults.user_agent.startswith("gongkai/")


def test_requests_to_one_host_keep_their_distance(site: Path) -> None:
    with serve_portal(site) as server:
        host = server.base_url.removeprefix("http://")
        with Fetcher(CollectSettings(delay=0.3, timeout=2), {host}) as fetcher:
            started = time.monotonic()
            answers = [fetcher.get(server.url("/a.html")) for _ in range(3)]
            elapsed = time.monotonic() - started
    assert [a.status for a in answers] == [200, 200, 200]
    # robots.txt (a 404 here: no rules) and three pages: at least three pauses between four requests.
    assert [h.path for h in server.requests.snapshot()] == ["/robots.txt"] + ["/a.html"] * 3
    assert elapsed >= 0.9


def test_a_redirect_off_the_register_hosts_is_not_followed(site: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    with serve_portal(tmp_path / "elsewhere", host="127.0.0.2") as outside, serve_portal(site) as server:
        server.set_fault("/a.html", {"kind": "redirect", "status": 302, "location": outside.url("/a.html")})
        host = server.base_url.removeprefix("http://")
        with Fetcher(CollectSettings(delay=0, timeout=2), {host}) as fetcher:
            answer = fetcher.get(server.url("/a.html"))
    assert answer.status is None and answer.body == b""
    assert answer.error == f"链接指向名册之外的网站（{outside.base_url.removeprefix('http://')}），未抓取"
    assert outside.requests.snapshot() == []


def test_a_file_over_the_cap_is_not_taken(site: Path) -> None:
    with serve_portal(site) as server:
        host = server.base_url.removeprefix("http://")
        with Fetcher(CollectSettings(delay=0, timeout=2), {host}) as fetcher:
            answer = fetcher.get(server.url("/big.pdf"), max_bytes=1_000_000)
    assert (answer.status, answer.body) == (200, b"")
    assert answer.error == "文件大小 3.0 MB，超过上限 1 MB，未保存"


def test_a_site_whose_robots_txt_fails_is_not_crawled_this_time(site: Path) -> None:
    with serve_portal(site, faults={"/robots.txt": {"kind": "status", "status": 500}}) as server:
        host = server.base_url.removeprefix("http://")
        with Fetcher(CollectSettings(delay=0, timeout=2, retries=1, backoff=0.01), {host}) as fetcher:
            answer = fetcher.get(server.url("/a.html"))
    assert answer.error == "无法读取该网站的 robots.txt（服务器返回 500（已重试 1 次）），本次不抓取该网站"
    assert [h.path for h in server.requests.snapshot()] == ["/robots.txt", "/robots.txt"]


def test_robots_txt_behind_a_redirect_is_followed(site: Path) -> None:
    (site / "real-robots.txt").write_text("User-agent: *\nDisallow: /a.html\n", encoding="utf-8")
    redirect = {"kind": "redirect", "status": 301, "location": "/real-robots.txt"}
    with serve_portal(site, faults={"/robots.txt": redirect}) as server:
        host = server.base_url.removeprefix("http://")
        with Fetcher(CollectSettings(delay=0, timeout=2), {host}) as fetcher:
            answer = fetcher.get(server.url("/a.html"))
    assert answer.error == "robots.txt 不允许抓取该地址，未抓取"
    assert [h.path for h in server.requests.snapshot()] == ["/robots.txt", "/real-robots.txt"]
