"""The web-page source: a township portal's article, as served (navigation, scripts and footer included).

- Charset: a byte-order mark, else the page's own `<meta charset>` / `http-equiv` declaration, else
  sniffed (UTF-8 if the bytes are valid UTF-8, else GB18030). GB2312 and GBK pages are decoded as
  GB18030, their superset: real "GB2312" pages use characters outside GB2312.
- The article: the smallest element holding the report's numbered headings; the site's navigation,
  related links and footer lie outside it. The title comes from the page's title element (an `h1`-`h3`
  or an element whose class or id names a title), else the `ArticleTitle` meta, else `<title>`.
- The info bar between title and article (来源 / 发布时间) is kept: the parser reads a publication date
  from it when the report prints none at its end.
- Tables are read structurally (rowspan, colspan, nested tags); a table that holds other tables or
  whole paragraphs is page layout, and is read as the blocks inside it.
"""

from __future__ import annotations

import codecs
import re
from datetime import date
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from gongkai.parsers.document import Document
from gongkai.parsers.report import ReportError
from gongkai.parsers.sections import is_heading
from gongkai.parsers.settings import DEFAULT_SETTINGS
from gongkai.parsers.sources.grid import Block, Table, clean, grid_from_rows, lay_out

_SKIP = frozenset(
    "script style noscript template head iframe object embed svg select option button input textarea map canvas "
    "audio video title meta link".split()
)
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol section article header footer nav aside main blockquote pre center dl dt "
    "dd form figure figcaption caption address tr td th tbody thead tfoot hr fieldset legend details summary table "
    "br".split()
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312"}
_TITLE = re.compile(r"(20\d{2}|[〇○零一二三四五六七八九]{4}).*(年度报告|年报)")
_TITLE_SPLIT = re.compile(r"\s*[_|｜—–]\s*|\s+-\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_PUB_META = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date")
_ISO_DATE = re.compile(r"(20\d{2})[-/年.](\d{1,2})[-/月.](\d{1,2})")
_INFO_LINE = re.compile(r"^.{0,40}20\d{2}\s*[-/年.]\s*\d{1,2}.{0,60}$")
# A cell longer than this is prose, so its table is page layout.
_PROSE_CELL = 300


def decode(data: bytes) -> str:
    """The page's text, by BOM, declared charset, or sniffing (GB family decoded as GB18030)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    m = _META_CHARSET.search(data[:16384])  # after long inline scripts in <head>, as CMS pages have
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        codec = "gb18030" if declared in _GB else declared
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration happens: sniff instead
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_html(path: str | Path) -> Document:
    data = Path(path).read_bytes()
    if not data.strip():
        raise ReportError("CORRUPT_FILE", "网页文件为空（0 字节）。")
    if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04") or b"\x00" in data[:1024]:
        raise ReportError(
            "CORRUPT_FILE", "文件扩展名是网页（.html），内容却不是网页（可能是 PDF、Word 或其他二进制文件）。"
        )
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode(data))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReportError("CORRUPT_FILE", f"网页无法解析（{exc}）。") from exc
    walker = _Walker()
    walker.walk(root.find("body") if root.find("body") is not None else root)
    walker.flush()
    found = _title(root)
    blocks = _article(walker.blocks, found[1] if found else None)
    if found:
        blocks.insert(0, found[0])
    return lay_out(blocks, "html", _meta_date(root))


class _Walker:
    """Blocks of the page in document order, each with the element it came from."""

    def __init__(self) -> None:
        self.blocks: list[tuple[Block, HtmlElement]] = []
        self._buf: list[str] = []
        self._owner: HtmlElement | None = None

    def flush(self) -> None:
        text = "".join(self._buf)
        if clean(text) and self._owner is not None:
            self.blocks.append((text, self._owner))
        self._buf, self._owner = [], None

    def _add(self, text: str | None, owner: HtmlElement) -> None:
        if text:
            if self._owner is None:
                self._owner = owner
            self._buf.append(text)

    def walk(self, el: HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP or _HIDDEN.search(el.get("style", "")) or el.get("hidden") is not None:
            return  # comments and processing instructions have no string tag; their tails are the parent's
        if tag == "table" and _is_data_table(el):
            self.flush()
            self.blocks.append((_table(el), el))
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self._add(el.text, el)
        for child in el:
            self.walk(child)
            self._add(child.tail, el)
        if block:
            self.flush()


def _text(el: HtmlElement) -> str:
    """An element's visible text (scripts, styles and hidden parts left out)."""
    parts: list[str] = []

    def visit(e: HtmlElement) -> None:
        tag = e.tag.lower() if isinstance(e.tag, str) else ""
        if tag and tag not in _SKIP and not _HIDDEN.search(e.get("style", "")):
            parts.append(e.text or "")
            for child in e:
                visit(child)
                parts.append(child.tail or "")

    visit(el)
    return "".join(parts)


def _own_rows(table: HtmlElement) -> list[HtmlElement]:
    return [tr for tr in table.iter("tr") if _nearest_table(tr) is table]


def _nearest_table(el: HtmlElement) -> HtmlElement | None:
    return next((a for a in el.iterancestors("table")), None)


def _is_data_table(table: HtmlElement) -> bool:
    if any(True for _ in table.iterdescendants("table")):
        return False
    widest = 0
    for tr in _own_rows(table):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        widest = max(widest, len(cells))
        if any(len(clean(_text(c))) > _PROSE_CELL for c in cells):
            return False
    return widest >= 2


def _span(cell: HtmlElement, name: str) -> int:
    m = re.match(r"\s*(\d+)", cell.get(name, "") or "")
    return min(max(int(m.group(1)), 1), 200) if m else 1


def _table(table: HtmlElement) -> Table:
    rows = []
    for tr in _own_rows(table):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        rows.append([(_text(c), _span(c, "rowspan"), _span(c, "colspan")) for c in cells])
    return grid_from_rows(rows)


def _title(root: HtmlElement) -> tuple[str, HtmlElement | None] | None:
    """The report's title and its element: a heading or title element of the page, else the
    ArticleTitle meta, else the part of <title> that names the report."""
    candidates = [*root.iter("h1", "h2", "h3")]
    candidates += [
        e
        for e in root.iter()
        if isinstance(e.tag, str)
        and e.tag.lower() not in _SKIP
        and "title" in f"{e.get('class', '')} {e.get('id', '')}".lower()
    ]
    for el in candidates:
        text = clean(_text(el))
        if len(text) <= 80 and _TITLE.search(text):
            return text, el
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "articletitle" and _TITLE.search(meta.get("content") or ""):
            return clean(meta.get("content") or ""), None
    head_title = root.find(".//title")
    if head_title is not None:
        for part in _TITLE_SPLIT.split(clean(head_title.text_content())):
            if _TITLE.search(part):
                return part, None
    return None


def _article(blocks: list[tuple[Block, HtmlElement]], title: HtmlElement | None) -> list[Block]:
    """The blocks of the article (the smallest element holding its numbered headings), preceded by the
    short lines carrying a date between the title and the article (the info bar); every block but the
    title's when no article is found."""
    heads = [el for block, el in blocks if isinstance(block, str) and is_heading(clean(block), DEFAULT_SETTINGS)]
    if len(heads) < 2:
        return [block for block, el in blocks if not _within(el, title)]
    container = heads[0]
    while not all(_within(h, container) for h in heads[1:]) and container.getparent() is not None:
        container = container.getparent()
    out: list[Block] = []
    after_title, entered = title is None, False
    for block, el in blocks:
        if _within(el, title):
            after_title = True
        elif _within(el, container):
            entered = True
            out.append(block)
        elif after_title and not entered and isinstance(block, str) and _INFO_LINE.search(block):
            out.append(block)
    return out


def _within(el: HtmlElement, ancestor: HtmlElement | None) -> bool:
    """`el` is `ancestor` or lies inside it."""
    return ancestor is not None and (el is ancestor or any(a is ancestor for a in el.iterancestors()))


def _meta_date(root: HtmlElement) -> date | None:
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in _PUB_META:
            m = _ISO_DATE.search(meta.get("content") or "")
            if m:
                try:
                    return date(*(int(g) for g in m.groups()))
                except ValueError:
                    return None
    return None
