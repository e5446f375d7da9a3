"""One collection: every township's listing pages, its report links, their articles and attachments.

Townships on different hosts are visited at once, those on one host one after another (the pause between
requests is per host). A township whose site fails records why and never holds up the others.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from email.message import Message
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from gongkai.collect import links as L
from gongkai.collect.fetch import Answer, Fetcher
from gongkai.collect.records import Fetch
from gongkai.collect.sites import Site, problem
from gongkai.collect.sniff import SUFFIX_OF, kind_of, mismatch, suffix_of
from gongkai.collect.store import Store
from gongkai.options import CollectSettings
from gongkai.parsers.sources import readable_here
from gongkai.parsers.sources.html import decode

_EXTENDED_FILENAME = re.compile(r"filename\*\s*=\s*([\w-]*)'[^']*'([^;]+)", re.I)


def collect(
    sites: list[Site],
    inbox: Path,
    settings: CollectSettings | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[Fetch]:
    """Collect every site's reports into `inbox`; one Fetch per request made (or refused). Files whose
    bytes did not change are not written again, and pages that did not change cost a 304. `progress` is
    told each township's name as its site is visited."""
    settings = settings or CollectSettings()
    store = Store(Path(inbox))
    collection_id = datetime.now().isoformat(timespec="seconds")
    allowed = {s.host for s in sites if not problem(s)}
    robots_rows: list[Fetch] = []

    def robots_fetched(url: str, answer: Answer) -> bytes | None:
        fetch = _record(None, url, "robots", answer, collection_id)
        if answer.status is not None and 400 <= answer.status < 500:
            fetch.error = None  # no robots.txt: no rules (RFC 9309), not a failure to report every night
        robots_rows.append(fetch)
        return _read_page(fetch, url, answer, store)

    by_host: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        by_host[site.host].append(site)
    with Fetcher(settings, allowed, lambda url: store.validators(url, cached_page=True), robots_fetched) as fetcher:
        crawl = _Crawl(fetcher, store, settings, collection_id, progress)

        def visit_host(host_sites: list[Site]) -> list[Fetch]:
            return [fetch for site in host_sites for fetch in crawl.safely(site)]

        with ThreadPoolExecutor(max(1, settings.hosts_in_parallel)) as pool:
            results = list(pool.map(visit_host, by_host.values()))
    store.flush()
    return robots_rows + [fetch for rows in results for fetch in rows]


def _record(township: str | None, url: str, kind: str, answer: Answer, collection_id: str) -> Fetch:
    return Fetch(
        township=township,
        url=url,
        fetched_at=datetime.now(),
        kind=kind,
        http_status=answer.status,
        etag=answer.headers.get("etag"),
        last_modified=answer.headers.get("last-modified"),
        error=answer.error
        if answer.error
        else (None if answer.status in (200, 304) else f"服务器返回 {answer.status}"),
        collection_id=collection_id,
    )


def _read_page(fetch: Fetch, url: str, answer: Answer, store: Store) -> bytes | None:
    """A page's bytes (robots.txt, a listing, an article): as fetched, its copy kept and its validators
    remembered; or, for a 304, the copy kept from before. Notes on `fetch` its sha256 and whether it changed."""
    if answer.error:
        return None
    if answer.status == 200:
        store.keep_page(url, answer.body)
        fetch.sha256, fetch.changed = _remember(store, url, answer, answer.body, None)
        return answer.body
    if answer.status == 304:
        fetch.sha256 = store.known(url).get("sha256")
        body = store.page(url)
        if body is None:
            fetch.error = "服务器说页面未变化，但本地保存的副本已丢失，下次将重新下载"
        return body
    return None


def _remember(store: Store, url: str, answer: Answer, body: bytes, saved: Path | None) -> tuple[str, bool]:
    """Keep the validators and sha256 of a 200 (and where its bytes were saved, unchanged unless given);
    returns (sha256, changed since the last fetch)."""
    sha = hashlib.sha256(body).hexdigest()
    before = store.known(url).get("sha256")
    store.remember(
        url,
        etag=answer.headers.get("etag"),
        last_modified=answer.headers.get("last-modified"),
        sha256=sha,
        size=len(body),
        saved_file=str(saved) if saved else store.known(url).get("saved_file"),
    )
    return sha, before is not None and before != sha


class _Crawl:
    def __init__(
        self,
        fetcher: Fetcher,
        store: Store,
        settings: CollectSettings,
        collection_id: str,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.fetcher, self.store, self.settings = fetcher, store, settings
        self.collection_id, self.progress = collection_id, progress

    def safely(self, site: Site) -> list[Fetch]:
        """A site's fetches; a failure of ours on one site (a bug, a full disk) is recorded against it and
        the others are still collected."""
        try:
            return self.site(site)
        except Exception as err:  # noqa: BLE001 - recorded, never lost: the analyst sees it as 抓取失败
            reason = f"采集该乡镇时出错：{type(err).__name__}: {err}"
            return [self._fetch(site.township, site.url, "listing", Answer(site.url, site.url, error=reason))]

    def site(self, site: Site) -> list[Fetch]:
        rows: list[Fetch] = []
        wrong = problem(site)
        if wrong:
            rows.append(self._fetch(site.township, site.url, "listing", Answer(site.url, site.url, error=wrong)))
            return rows
        if self.progress:
            self.progress(site.township)
        reports: dict[str, tuple[L.Link, int | None, str]] = {}
        queue, seen = [site.url], {site.url}
        referrer: dict[str, str | None] = {site.url: None}
        while queue and len(seen) - len(queue) < self.settings.max_pages:
            url = queue.pop(0)
            fetch, body, answer = self._page(site.township, url, "listing")
            base = answer.final_url
            fetch.referrer = referrer[url]
            rows.append(fetch)
            if body is None:
                continue
            root = L.parse(decode(body))
            if root is None:
                fetch.error = "页面内容无法解析为网页"
                continue
            found = L.links(root, base)
            for link, year in L.report_links(found, site.link_pattern):
                reports.setdefault(link.url, (link, year, url))
            for page in L.next_pages(root, found, base):
                if page not in seen:
                    seen.add(page)
                    queue.append(page)
                    referrer[page] = url
        for link, year, listing in reports.values():
            rows.extend(self._report(site, link, year, listing))
        return rows

    def _fetch(self, township: str, url: str, kind: str, answer: Answer) -> Fetch:
        return _record(township, url, kind, answer, self.collection_id)

    def _page(self, township: str, url: str, kind: str) -> tuple[Fetch, bytes | None, Answer]:
        """A page links are read from: fetched conditionally, its copy kept for the nights it is a 304.
        Also the answer: its final_url (where redirects ended) is what relative links are against."""
        answer = self.fetcher.get(url, self.store.validators(url, cached_page=True), max_bytes=self._max_bytes)
        fetch = self._fetch(township, url, kind, answer)
        return fetch, _read_page(fetch, url, answer, self.store), answer

    @property
    def _max_bytes(self) -> int:
        return int(self.settings.max_mb * 1e6)

    def _report(self, site: Site, link: L.Link, year: int | None, listing: str) -> list[Fetch]:
        """A report link: a file itself, or an article page holding the report and/or its attachments."""
        if L.attachment_suffix(link):
            return [self._file(site, link, year, listing)]
        fetch, body, answer = self._page(site.township, link.url, "article")
        fetch.referrer, fetch.link_text, fetch.year = listing, link.text, year
        rows = [fetch]
        if body is None:
            return rows
        kind = kind_of(body)
        if kind in SUFFIX_OF and kind != "html":  # a link to a file with no file name
            fetch.kind = "attachment"
            name = self._name(link, year, SUFFIX_OF[kind], answer.headers.get("content-disposition"))
            self._save(fetch, site, link.url, name, body)
            return rows
        root = L.parse(decode(body))
        found = L.links(root, answer.final_url)
        more = L.article_pages(root, found, answer.final_url)
        if more:  # an article split into pages: read as one, its attachments on any of them
            pages = []
            for url in more:
                page_fetch, page_body, page_answer = self._page(site.township, url, "article")
                page_fetch.referrer, page_fetch.link_text, page_fetch.year = link.url, link.text, year
                page_fetch.note = "报告正文的续页，与第一页合为一个文件"
                rows.append(page_fetch)
                page_root = L.parse(decode(page_body)) if page_body is not None else None
                if page_root is None:
                    fetch.error = page_fetch.error or "报告正文的续页无法读取"
                    return rows
                pages.append(page_root)
                found += L.links(page_root, page_answer.final_url)
            body = L.join_pages(root, pages).encode("utf-8")
            root = L.parse(body.decode("utf-8"))
        files = L.attachments(found)
        attached = [self._file(site, attachment, year, link.url) for attachment in files]
        rows += attached
        if L.holds_report(root):
            # The report printed on the page and attached as a file is one report: the file is read when it
            # came and this machine reads its form; else the page.
            if any(f.saved_file and readable_here(Path(f.saved_file)) for f in attached):
                fetch.note = "报告正文与附件为同一份报告，以附件为准，正文页未另存"
            else:
                self._save(fetch, site, link.url, self._name(link, year, ".html", None), body)
                if more:
                    fetch.sha256 = hashlib.sha256(body).hexdigest()
                    fetch.note = f"报告正文共 {len(more) + 1} 页，已合为一个文件"
        elif not files:
            fetch.error = "页面中没有找到年报正文，也没有附件"
        return rows

    def _file(self, site: Site, link: L.Link, year: int | None, referrer: str) -> Fetch:
        """An attachment (or a report link straight to a file): saved in the inbox when it is what its name
        says and its bytes changed."""
        answer = self.fetcher.get(
            link.url, self.store.validators(link.url, cached_page=False), max_bytes=self._max_bytes
        )
        fetch = self._fetch(site.township, link.url, "attachment", answer)
        fetch.referrer, fetch.link_text, fetch.year = referrer, link.text, year
        if answer.status == 304:
            known = self.store.known(link.url)
            fetch.sha256, fetch.saved_file = known.get("sha256"), known.get("saved_file")
            return fetch
        if answer.status != 200 or answer.error:
            return fetch
        name = self._name(link, year, L.attachment_suffix(link) or "", answer.headers.get("content-disposition"))
        wrong = mismatch(name, answer.body)
        if wrong:
            fetch.error = wrong
            return fetch
        if not suffix_of(name):
            name += SUFFIX_OF.get(kind_of(answer.body), "")
        fetch.sha256, fetch.changed = _remember(self.store, link.url, answer, answer.body, None)
        self._save(fetch, site, link.url, name, answer.body)
        return fetch

    def _save(self, fetch: Fetch, site: Site, url: str, name: str, data: bytes) -> None:
        """Write `url`'s bytes into the inbox (unless the file already holds them) and note where."""
        path = self._path_for(site, url, name, data)
        fetch.written, fetch.saved_file = self.store.save(path, data), str(path)
        # The size of what is saved (an article's pages joined: more than its first page), so that the next
        # night asks whether it changed only while that file is there as saved.
        self.store.remember(url, **{**self.store.known(url), "saved_file": str(path), "size": len(data)})

    def _path_for(self, site: Site, url: str, name: str, data: bytes) -> Path:
        """Where `url`'s bytes go: the file they went to before (a corrected report replaces it); a file
        of its own once they differ from another URL's that shared it; for a new URL, the township's
        file that already holds the same bytes, else a new file."""
        current = self.store.known(url).get("saved_file")
        if current:
            path = Path(current)
            if self.store.shared(path, url) and path.is_file() and path.read_bytes() != data:
                return self.store.place(site.township, url, name, fresh=True, county=site.county)
            return path
        same = self.store.saved_with(hashlib.sha256(data).hexdigest(), self.store.folder(site.township, site.county))
        return same if same is not None else self.store.place(site.township, url, name, county=site.county)

    @staticmethod
    def _name(link: L.Link, year: int | None, suffix: str, disposition: str | None) -> str:
        """The saved file's name: the server's (Content-Disposition) or the URL's, after the year, so that
        the analyst sees which report it is; the suffix from the link where the URL has none."""
        name = (
            _disposition_name(disposition)
            or L.file_name(link)
            or PurePosixPath(unquote(urlsplit(link.url).path)).name
            or "index"
        )
        if suffix and suffix_of(name) != suffix and not (suffix == ".html" and suffix_of(name) == ".htm"):
            name += suffix
        return f"{year}-{name}" if year and not name.startswith(str(year)) else name


def _disposition_name(header: str | None) -> str | None:
    """The file name a Content-Disposition gives: RFC 6266's filename*=UTF-8''… first, else filename="…"."""
    if not header:
        return None
    extended = _EXTENDED_FILENAME.search(header)
    if extended:
        try:
            return PurePosixPath(unquote(extended.group(2).strip('"'), encoding=extended.group(1) or "utf-8")).name
        except LookupError:
            pass
    message = Message()
    message["content-disposition"] = header
    name = message.get_filename()
    if not name:
        return None
    try:  # servers send GBK or UTF-8 bytes in a plain filename="…", which arrive as Latin-1
        raw = name.encode("latin-1")
        for codec in ("utf-8", "gb18030"):
            try:
                return PurePosixPath(raw.decode(codec)).name
            except UnicodeDecodeError:
                continue
    except UnicodeEncodeError:
        pass
    return PurePosixPath(name).name
