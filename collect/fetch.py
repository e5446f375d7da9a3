"""The one place collection talks HTTP: a polite client (robots.txt, a pause between requests to one host,
its own user agent), patient with failing servers (timeouts, retries of 5xx and timeouts with backoff),
careful with what it takes (a size cap, redirects followed only within the allowed hosts)."""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from gongkai.options import CollectSettings

RETRIED_STATUS = (500, 502, 503, 504)
MAX_REDIRECTS = 5


@dataclass
class Answer:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None = None  # None: no answer
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # why there is no usable answer, in Chinese


class _Pace:
    """At least `delay` seconds between the starts of two requests to one host, across threads."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + self.delay
        if start > now:
            time.sleep(start - now)


class Fetcher:
    """Fetches for one collection. `allowed_hosts` are the hosts of the register's URLs: nothing else is
    ever asked for, even by a redirect. `robots_fetched` is told of each robots.txt fetch (its Answer)."""

    def __init__(
        self,
        settings: CollectSettings,
        allowed_hosts: set[str],
        robots_validators: Callable[[str], dict[str, str]] | None = None,
        robots_fetched: Callable[[str, Answer], bytes | None] | None = None,
    ) -> None:
        self.settings = settings
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self._pace = _Pace(settings.delay)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._robots_validators = robots_validators or (lambda url: {})
        # Told of each robots.txt fetch, it gives back the body to read (the kept copy for a 304).
        self._robots_fetched = robots_fetched or (lambda url, answer: answer.body if answer.status == 200 else None)
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,  # followed here, each hop checked against the hosts and robots.txt
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched (another host, robots.txt), or None."""
        host = urlsplit(url).netloc.lower()
        if host not in self.allowed_hosts:
            return f"链接指向名册之外的网站（{host}），未抓取"
        robots = self._robots_for(url)
        if isinstance(robots, str):
            return robots
        if not robots.can_fetch(self.settings.user_agent, url):
            return "robots.txt 不允许抓取该地址，未抓取"
        return None

    def get(self, url: str, headers: dict[str, str] | None = None, *, max_bytes: int | None = None) -> Answer:
        """GET with redirects, retries and the size cap. Never raises for network trouble: the Answer
        says what went wrong."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            refused = self.refusal(current)
            if refused:
                return Answer(url, current, error=refused)
            answer = self._get_once(url, current, headers or {}, max_bytes)
            if answer.status in (301, 302, 303, 307, 308) and answer.error is None:
                location = answer.headers.get("location")
                if not location:
                    return Answer(url, current, answer.status, error=f"服务器返回 {answer.status} 重定向但未给出新地址")
                current = urljoin(current, location)
                continue
            return answer
        return Answer(url, current, error=f"重定向超过 {MAX_REDIRECTS} 次")

    def _get_once(self, url: str, current: str, headers: dict[str, str], max_bytes: int | None) -> Answer:
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._pace.wait(urlsplit(current).netloc.lower())
            try:
                answer = self._request(url, current, headers, max_bytes)
            except httpx.TimeoutException:
                answer = Answer(url, current, error=f"超时（{self.settings.timeout:g} 秒无响应）")
            except httpx.HTTPError as err:
                answer = Answer(url, current, error=f"无法连接：{type(err).__name__}")
            retry = answer.status in RETRIED_STATUS or (
                answer.status is None and answer.error and "超时" in answer.error
            )
            if not retry or last:
                if answer.status in RETRIED_STATUS:
                    answer.error = f"服务器返回 {answer.status}（已重试 {attempts - 1} 次）"
                elif answer.status is None and attempts > 1 and answer.error and "超时" in answer.error:
                    answer.error += f"（已重试 {attempts - 1} 次）"
                return answer
            time.sleep(self._backoff(attempt, answer))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, answer: Answer) -> float:
        wait = self.settings.backoff * (2**attempt)
        retry_after = answer.headers.get("retry-after", "")
        if retry_after.isdigit():
            wait = max(wait, min(float(retry_after), 60.0))
        return wait

    def _request(self, url: str, current: str, headers: dict[str, str], max_bytes: int | None) -> Answer:
        with self._client.stream("GET", current, headers=headers) as response:
            answer = Answer(
                url, current, response.status_code, headers={k.lower(): v for k, v in response.headers.items()}
            )
            if response.status_code != 200:
                return answer
            length = response.headers.get("content-length", "")
            if max_bytes and length.isdigit() and int(length) > max_bytes:
                answer.error = f"文件大小 {int(length) / 1e6:.1f} MB，超过上限 {max_bytes / 1e6:g} MB，未保存"
                return answer
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if max_bytes and size > max_bytes:
                    answer.error = f"文件超过上限 {max_bytes / 1e6:g} MB，未保存"
                    return answer
                chunks.append(chunk)
            answer.body = b"".join(chunks)
            return answer

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's robots.txt, read once per collection (RFC 9309: none is no rule; 4xx no rule; a
        server that cannot answer it is not crawled this time). A str is why the host is not crawled."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._locks_lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:  # one thread reads a host's robots.txt; the others of that host wait for it
            if key in self._robots:
                return self._robots[key]
            robots_url = f"{key}/robots.txt"
            answer = self._robots_answer(robots_url)
            body = self._robots_fetched(robots_url, answer)  # a 304 gives back the kept copy
            rules: urllib.robotparser.RobotFileParser | str
            if answer.status in (200, 304) and body is not None:
                rules = urllib.robotparser.RobotFileParser(robots_url)
                rules.parse(body.decode("utf-8", errors="replace").splitlines())
            elif answer.status is not None and 400 <= answer.status < 500:
                rules = urllib.robotparser.RobotFileParser(robots_url)
                rules.parse([])
            else:
                reason = answer.error or f"服务器返回 {answer.status}"
                rules = f"无法读取该网站的 robots.txt（{reason}），本次不抓取该网站"
            self._robots[key] = rules
            return rules

    def _robots_answer(self, robots_url: str) -> Answer:
        """robots.txt, following up to five redirects within the allowed hosts (RFC 9309); a redirect
        anywhere else, or too many, reads as no answer."""
        current = robots_url
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._get_once(robots_url, current, self._robots_validators(robots_url), 512 * 1024)
            location = answer.headers.get("location")
            if answer.status not in (301, 302, 303, 307, 308) or answer.error or not location:
                return answer
            current = urljoin(current, location)
            if urlsplit(current).netloc.lower() not in self.allowed_hosts:
                return Answer(
                    robots_url, current, error=f"robots.txt 重定向到名册之外的网站（{urlsplit(current).netloc}）"
                )
        return Answer(robots_url, current, error=f"robots.txt 重定向超过 {MAX_REDIRECTS} 次")
