"""Finding things on a township's pages: report links on a listing, the listing's other pages, an
article's attachments. Pure functions over a page's HTML and its URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import lxml.html

from gongkai.collect.sniff import ATTACHMENT_SUFFIXES, suffix_of

# A report title names the disclosure (政府信息公开 / 政务公开) and an annual report (年度报告 / 年报).
_DISCLOSURE = re.compile(r"政府信息公开|政务公开|信息公开")
_ANNUAL = re.compile(r"年度报告|年报")
# Not a report: the county's notices about reports, guides, templates, plans. A township's report sent as a
# letter (关于报送2020年度政府信息公开工作年度报告的函) is one: 报送 is no report only without 函.
_NOT_A_REPORT = re.compile(r"通知|印发|报送(?!.*函)|编制|模板|格式|指南|目录|要点|计划|方案")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_REPORT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")  # 2023年 / 2023年度: not a date printed beside it
# An article's other files: the application form and the like, linked beside the report on many sites.
_NOT_THE_REPORT_FILE = re.compile(r"申请表|申请书|登记表|表格|模板|范本|样表|指南|须知")
_REPORT_FILE = re.compile(r"年度报告|年报|报告")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NEXT = re.compile(r"^\s*(下一页|下页|后一页|下一页\s*[>»›]+|[>»›]{1,2})\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\[?\s*\d{1,3}\s*\]?\s*$")
_NUMBERED_HREF = re.compile(r"(_\d+\.s?html?$)|([?&](page|pageno|pageindex|pagenum|p|curpage)=\d+)", re.I)
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_ARG = re.compile(r"""\s*(?:(\d+)|["']([^"']*)["']|[^,]*)\s*(?:,|$)""")


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without its #fragment
    text: str  # the link's text, or its title where the text is cut short

    @property
    def suffix(self) -> str:
        return suffix_of(urlsplit(self.url).path)


def parse(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree; None for a page with nothing to parse. An XHTML page's <?xml … encoding?>
    declaration is dropped: the text is already decoded, and lxml refuses a str that declares bytes."""
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (ValueError, lxml.etree.ParserError):
        return None


def links(root: lxml.html.HtmlElement | None, page_url: str) -> list[Link]:
    """Every http(s) link on the page, absolute (against the page's <base> if it has one), in order."""
    if root is None:
        return []
    bases = root.xpath("//base/@href")
    base = urljoin(page_url, bases[0].strip()) if bases else page_url
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            continue
        text = " ".join(a.text_content().split())
        title = " ".join((a.get("title") or "").split())
        if title and (not text or text.endswith(("…", "...", "..")) or len(title) > len(text)):
            text = title
        out.append(Link(urlunsplit(parts._replace(fragment="")), text))
    return out


def report_year(text: str) -> int | None:
    """The year a report link names, when the text is a report's title; None for any other link."""
    if not (_DISCLOSURE.search(text) and _ANNUAL.search(text)) or _NOT_A_REPORT.search(text):
        return None
    return year_in(text)


def year_in(text: str) -> int | None:
    """The year a title names: the one written as a year (2023年, 2023年度) before a bare number, so that
    a date printed in the link ("2024-01-20 某镇2023年…") does not count."""
    match = _REPORT_YEAR.search(text) or _YEAR.search(text)
    return int(match.group(1)) if match else None


def report_links(page: list[Link], pattern: str | None = None) -> list[tuple[Link, int | None]]:
    """The report links of a listing page with the year each names. A register's `link_pattern` (a regular
    expression searched in the link's text and URL) replaces the default finding by title."""
    found: list[tuple[Link, int | None]] = []
    seen: set[str] = set()
    for link in page:
        if link.url in seen:
            continue
        if pattern:
            if not (re.search(pattern, link.text) or re.search(pattern, link.url)):
                continue
            year = year_in(link.text) or year_in(unquote(link.url))
        else:
            year = report_year(link.text)
            if year is None:
                continue
        seen.add(link.url)
        found.append((link, year))
    return found


def next_pages(root: lxml.html.HtmlElement | None, page: list[Link], page_url: str) -> list[str]:
    """The listing's other pages this page points to: 下一页 links, numbered page links, and the pages a
    TRS-style `createPageHTML(total, current, "index", "html")` script would have drawn."""
    out: list[str] = []
    here = urlsplit(page_url)
    for link in page:
        target = urlsplit(link.url)
        if target.netloc != here.netloc:
            continue
        if _NEXT.match(link.text) or (_PAGE_NUMBER.match(link.text) and _NUMBERED_HREF.search(link.url)):
            out.append(link.url)
    if root is not None:
        for script in root.iter("script"):
            for call in _CREATE_PAGE.finditer(script.text or ""):
                out.extend(_scripted_pages(call.group(1), page_url))
    return list(dict.fromkeys(u for u in out if u != page_url))


def _scripted_pages(arguments: str, page_url: str) -> list[str]:
    numbers = [int(n) for n, _ in _ARG.findall(arguments) if n]
    names = [s for n, s in _ARG.findall(arguments) if not n and s]
    if not numbers or len(names) < 2:
        return []
    total = min(numbers[0], 200)
    stem, ext = names[-2], names[-1].lstrip(".")
    return [urljoin(page_url, f"{stem}.{ext}" if k == 0 else f"{stem}_{k}.{ext}") for k in range(total)]


def attachments(page: list[Link]) -> list[Link]:
    """An article's attachments: links to .pdf/.docx/.doc/.wps/.ofd files, by the URL's path, a file name
    in its query (download scripts: downfile.jsp?filename=…pdf) or the link's text. Forms linked beside
    the report (申请表…) are left out; where some files name a report, only those are taken."""
    out: dict[str, Link] = {}
    for link in page:
        if attachment_suffix(link) and not _NOT_THE_REPORT_FILE.search(_described(link)):
            out.setdefault(link.url, link)
    reports = [link for link in out.values() if _REPORT_FILE.search(_described(link))]
    return reports or list(out.values())


def _described(link: Link) -> str:
    return f"{link.text} {file_name(link) or ''}"


def file_name(link: Link) -> str | None:
    """The file name a link carries: its path's last part, or a name given in its query."""
    parts = urlsplit(link.url)
    for name in (unquote(parts.path).rsplit("/", 1)[-1], *(unquote(v) for _, v in parse_qsl(parts.query))):
        if suffix_of(name.strip()) in ATTACHMENT_SUFFIXES:
            return name.strip().rsplit("/", 1)[-1]
    return None


def attachment_suffix(link: Link) -> str | None:
    parts = urlsplit(link.url)
    candidates = [parts.path, *(unquote(v) for _, v in parse_qsl(parts.query)), link.text]
    for name in candidates:
        suffix = suffix_of(name.strip())
        if suffix in ATTACHMENT_SUFFIXES:
            return suffix
    return None


def holds_report(root: lxml.html.HtmlElement | None) -> bool:
    """Whether an article page holds a report's text (its numbered parts and a table), rather than a
    line pointing to the attachment."""
    if root is None:
        return False
    text = root.text_content()
    parts = sum(1 for heading in ("总体情况", "主动公开", "收到和处理", "行政复议") if heading in text)
    return parts >= 3 and bool(root.xpath("//table//td"))


def article_pages(root: lxml.html.HtmlElement | None, page: list[Link], page_url: str) -> list[str]:
    """An article's own further pages (a CMS splits a long article: t20230110_8.html, t20230110_8_1.html …),
    by its 下一页 and page-number links or its createPageHTML script: those of the page's own name only, never
    another article's."""
    here = urlsplit(page_url)
    stem, dot, ext = here.path.rpartition(".")
    own = re.compile(re.escape(stem) + r"_\d+" + re.escape(dot + ext) + "$")
    return [u for u in next_pages(root, page, page_url) if own.match(urlsplit(u).path)]


def join_pages(first: lxml.html.HtmlElement, rest: list[lxml.html.HtmlElement]) -> str:
    """One page of an article split over several: each further page's text, by its main element (the deepest
    holding most of its text, the same template's article body), appended to the first page's. The first
    page's own menus, title and footer stay as they are."""
    target = _main_element(first)
    for page in rest:
        main = _main_element(page)
        if main is None or target is None:
            continue
        for child in list(main):
            target.append(child)
    # Written as UTF-8 whatever the pages declared (GB2312 sites): the one declaration says so.
    head = first.find("head")
    if head is not None:
        for meta in list(head.iter("meta")):
            if meta.get("charset") is not None or (meta.get("http-equiv") or "").lower() == "content-type":
                meta.getparent().remove(meta)
        head.insert(0, lxml.html.Element("meta", charset="utf-8"))
    return lxml.html.tostring(first, encoding="unicode", doctype="<!DOCTYPE html>")


def _main_element(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The deepest element holding at least two thirds of the page's text: its article, not its menus; never
    inside a table (a page of one long table keeps the table whole, with what stands beside it)."""
    body = root.find("body")
    if body is None:
        return None
    total = _text_length(body)
    best = body
    while True:
        inner = [
            child
            for child in best
            if isinstance(child.tag, str) and child.tag.lower() != "table" and _text_length(child) * 3 >= total * 2
        ]
        if not inner:
            return best
        best = inner[0]


def _text_length(element: lxml.html.HtmlElement) -> int:
    """Characters of visible text inside `element` (scripts and styles left out, white space too)."""
    if not isinstance(element.tag, str) or element.tag.lower() in ("script", "style"):
        return 0
    inside = len("".join((element.text or "").split()))
    return inside + sum(_text_length(child) + len("".join((child.tail or "").split())) for child in element)
