"""The demo county's web portal: a static site shaped like a Chinese county government's CMS (TRS WCM),
one section per township listing its annual disclosure reports among other articles, for the crawler
(collect/) to be tested and demonstrated against. Served by demo.portal_server.

    plan = write_portal(county_dir, site_dir, seed=1)
    with serve_portal(site_dir, faults=plan.faults, content_types=plan.content_types) as server:
        write_register(plan, county_dir, out_csv, server.base_url)

Each township's section /<code>/ndbg/ has listing pages index.html, index_1.html, ... (newest first, four
items a page) paginated by anchors or by TRS's `createPageHTML(...)` script alone; UTF-8 or GB2312. A
report is an article page: the HTML report itself, or a stub page whose attachment is the PDF/DOCX.
With `scenarios`, some links meet what real sites do (moved, withdrawn, flaky, slow, an error page served
as a PDF, a robots.txt exclusion, an unreadable attachment format, a broken site for the whole demo), some
reports are published as real townships do (an article split over two pages, a report printed on its page
and attached as a Word file, a Word 97 .doc and a WPS .wps saved by LibreOffice where it is installed), and
one township has not published its latest report yet; the plan records each (PortalPlan.scenarios), the
server's faults that play them (PortalPlan.faults) and every township-year's publication status as the
county's collection must find it (PortalPlan.statuses; `collected_truth` gives the cells and flags).
"""

from __future__ import annotations

import csv
import html
import json
import posixpath
import random
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html

from gongkai.demo import office
from gongkai.demo.register import COUNTY
from gongkai.parsers.sources.html import decode

PER_PAGE = 4
WPS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ERROR_PAGE = "<html><body><h1>404</h1>文件不存在或已被删除</body></html>"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
LINK_STYLES = ("full", "zhengwu", "short", "truncated")
TRUNCATE_AT = 16
SCENARIOS = ("moved", "gone", "flaky", "slow", "error_page", "disallowed", "unsupported", "broken_site",
             "paged", "both", "doc", "wps", "unpublished")  # fmt: skip
NAV = (("首页", "/"), ("政务公开", "/zwgk/"), ("办事服务", "/bsfw/"), ("互动交流", "/hdjl/"), ("走进汤旺", "/zjtw/"))


@dataclass
class PortalReport:
    year: int
    report_file: str  # the source file in county_dir/reports
    article: str  # where the article page is served
    linked_as: str  # what the listing links (differs from `article` when the page moved)
    attachments: list[str]  # paths; empty for an HTML report (the article is the report)
    link_text: str  # the anchor's text as shown (may be truncated with …)
    title: str = ""  # the full title (the anchor's title attribute when truncated)
    published: str = ""  # ISO date in the listing
    # How the report file is served: "same" (its bytes), "pages" (an HTML report over two article pages),
    # "converted" (its Word file as LibreOffice saves it: .doc or .wps).
    served: str = "same"


@dataclass
class PortalTownship:
    name: str
    code: str
    listing: str  # first listing page, e.g. /230717100000/ndbg/index.html
    listing_pages: list[str]
    reports: list[PortalReport]
    encoding: str = "utf-8"  # of the listing pages: utf-8 | gb2312
    pagination: str = "anchors"  # anchors | script (createPageHTML only)
    link_style: str = "full"  # full | zhengwu | short | truncated
    others: list[str] = field(default_factory=list)  # listed articles that are not reports
    extras: list[str] = field(default_factory=list)  # report-like links a scenario added (not the county's)


@dataclass
class PortalPlan:
    townships: list[PortalTownship]
    scenarios: dict[str, str]  # scenario -> the path it concerns
    faults: dict[str, dict]  # path -> fault spec for demo.portal_server
    content_types: dict[str, str]  # path -> Content-Type where the server's default by suffix is not wanted
    outside_url: str
    slow_seconds: float = 5.0
    seed: int = 0
    # township → year (as text, JSON's keys) → its publication status as a collection must find it
    statuses: dict[str, dict[str, str]] = field(default_factory=dict)
    # A report the township corrects after publishing it (the generator's corrections/): "path" served, the
    # corrected "file" (relative to the county folder) that `correct` puts there, its "township", "year".
    correction: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PortalPlan:
        towns = []
        for t in data["townships"]:
            reports = [PortalReport(**r) for r in t["reports"]]
            towns.append(PortalTownship(**{**t, "reports": reports}))
        return cls(**{**data, "townships": towns})

    @classmethod
    def load(cls, path: Path) -> PortalPlan:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def correct(self, server: Any, county_dir: Path) -> bool:
        """Put the corrected report online in place of the first (as a township re-publishes it: the same
        address, new bytes); False when the portal has none."""
        if not self.correction:
            return False
        server.replace(self.correction["path"], (Path(county_dir) / self.correction["file"]).read_bytes())
        return True

    def township(self, name: str) -> PortalTownship:
        return next(t for t in self.townships if t.name == name)

    def faults_without(self, *scenarios: str) -> dict[str, dict]:
        """The faults minus those playing the named scenarios (e.g. "slow" for a quick demo)."""
        drop = {self.scenarios[s] for s in scenarios if s in self.scenarios}
        return {p: f for p, f in self.faults.items() if p not in drop}


@dataclass
class _Item:
    title: str
    when: date
    path: str
    n: int


@dataclass
class _Town:
    name: str
    code: str
    gov: str
    reports: dict[int, Path]
    encoding: str = "utf-8"
    pagination: str = "anchors"
    link_style: str = "full"
    absolute_links: bool = False


def _read_register(county_dir: Path) -> list[dict[str, str]]:
    with open(county_dir / "townships.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _towns(county_dir: Path) -> list[_Town]:
    rows = _read_register(county_dir)
    by_name: dict[str, dict[int, Path]] = {r["name"]: {} for r in rows}
    for file in sorted((county_dir / "reports").iterdir()):
        if file.suffix.lower() == ".json" or not file.is_file():
            continue
        township, _, year = file.stem.rpartition("-")
        if township in by_name and year.isdigit():
            by_name[township][int(year)] = file
    towns = []
    for i, row in enumerate(rows, 1):
        name = row["name"]
        aliases = [a for a in (row.get("aliases") or "").split(";") if a]
        gov = next((a for a in aliases if a.endswith(("人民政府", "办事处"))), name)
        towns.append(_Town(name, (row.get("code") or "").strip() or f"t{i}", gov, by_name[name]))
    return towns


def _full_title(town: _Town, year: int) -> str:
    return {
        "full": f"{town.name}{year}年政府信息公开工作年度报告",
        "zhengwu": f"{town.name}{year}年度政务公开工作年度报告",
        "short": f"{year}年政府信息公开年报",
        "truncated": f"{COUNTY}{town.gov}{year}年政府信息公开工作年度报告",
    }[town.link_style]


def _shown(town: _Town, title: str) -> str:
    if town.link_style == "truncated" and len(title) > TRUNCATE_AT:
        return title[:TRUNCATE_AT] + "…"
    return title


def _stamp(d: date) -> str:
    return d.strftime("%Y%m%d")


def _nav() -> str:
    return "".join(f'<li><a href="{href}">{text}</a></li>' for text, href in NAV)


def _footer(outside_url: str) -> str:
    return (
        '<div class="footer"><div class="links">相关链接：'
        f'<a href="{html.escape(outside_url)}" target="_blank">中国政府网</a> '
        '<a href="/">汤旺县人民政府</a></div>'
        f"<p>主办：{COUNTY}人民政府办公室　承办：{COUNTY}政务服务中心</p>"
        "<p>黑ICP备00000000号　政府网站标识码：2307170001</p></div>"
    )


def _head(title: str, charset: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="{charset}">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>.list li{list-style:none} .list span{float:right}</style>\n</head>\n<body>\n"
        f'<div class="header"><div class="logo">{COUNTY}人民政府</div><ul class="nav">{_nav()}</ul></div>\n'
    )


def _article_page(
    town: _Town,
    title: str,
    when: date,
    paragraphs: list[str],
    attachments: list[tuple[str, str]],
    outside: str,
    body_html: str = "",
) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + body_html
    attach = ""
    if attachments:
        links = "<br>".join(f'<a href="{html.escape(h)}">{html.escape(t)}</a>' for h, t in attachments)
        attach = f'<div class="attach">附件：{links}</div>'
    page = (
        _head(f"{title}_政府信息公开年报_{COUNTY}人民政府", "utf-8")
        + f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/{town.code}/ndbg/">{town.name}</a>'
        " &gt; 政府信息公开年报</div>\n"
        f'<div class="article"><h1 class="article_title">{html.escape(title)}</h1>\n'
        f'<div class="info">发布时间：{when.isoformat()}　来源：{html.escape(town.gov)}　字体：[大 中 小]</div>\n'
        f'<div class="TRS_Editor">{body}</div>\n{attach}</div>\n' + _footer(outside) + "\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


_PAGE_SCRIPT = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
 if(_nPageCount == null || _nPageCount<=1){ return; }
 var nCurrIndex = _nCurrIndex || 0;
 if(nCurrIndex > 0){
  document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a> ");
  document.write("<a href=\\"" + (nCurrIndex == 1 ? _sPageName + "." + _sPageExt
   : _sPageName + "_" + (nCurrIndex-1) + "." + _sPageExt) + "\\">上一页</a> ");
 }
 if(nCurrIndex + 1 < _nPageCount){
  document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex+1) + "." + _sPageExt + "\\">下一页</a> ");
  document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount-1) + "." + _sPageExt + "\\">尾页</a>");
 }
}
</script>
"""


def _html_body(page: bytes) -> str:
    """What is inside a web page's <body> (LibreOffice's HTML of a report, set into an article page)."""
    root = lxml.html.document_fromstring(decode(page))
    body = root.find("body")
    inner = (body.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    return inner


def _split_article(data: bytes, second_name: str) -> tuple[bytes, bytes]:
    """An HTML report as a CMS splits a long article over two pages: the article's blocks cut before the
    heading of part 三, each half on a copy of the page with the pages' links (下一页 / 上一页), in the page's
    own encoding."""
    text = decode(data)
    codec = "utf-8" if _is_utf8(data) else "gb18030"
    halves = []
    for keep_first in (True, False):
        root = lxml.html.document_fromstring(text)
        # the article's own blocks: in its content div, or the layout table's cell inside it (old CMSs)
        content = [
            e for e in root.iter() if isinstance(e.tag, str) and e.get("class") in ("article_content", "content")
        ][-1]
        blocks = list(content)
        cut = next(i for i, b in enumerate(blocks) if (b.text_content() or "").strip().startswith("三、"))
        for b in blocks[cut:] if keep_first else blocks[:cut]:
            content.remove(b)
        pager = lxml.html.fragment_fromstring(
            f'<div class="page">共2页　<a href="{second_name}">下一页</a></div>'
            if keep_first
            else f'<div class="page">共2页　<a href="{second_name.replace("_1.", ".")}">上一页</a></div>'
        )
        content.addnext(pager)
        halves.append(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>").encode(codec))
    return halves[0], halves[1]


def _page_name(k: int) -> str:
    return "index.html" if k == 0 else f"index_{k}.html"


def _pagination(town: _Town, k: int, total: int) -> str:
    if town.pagination == "script":
        return (
            f'<div class="page">{_PAGE_SCRIPT}<script type="text/javascript">'
            f'createPageHTML({total}, {k}, "index", "html");</script></div>'
        )
    parts = [f"<span>共{total}页　第{k + 1}页</span>"]
    if k > 0:
        parts += ['<a href="index.html">首页</a>', f'<a href="{_page_name(k - 1)}">上一页</a>']
    if k + 1 < total:
        parts += [f'<a href="{_page_name(k + 1)}">下一页</a>', f'<a href="{_page_name(total - 1)}">尾页</a>']
    return '<div class="page">' + " ".join(parts) + "</div>"


def _listing_page(town: _Town, items: list[_Item], k: int, total: int, outside: str) -> str:
    base = f"/{town.code}/ndbg/"
    lines = []
    for it in items:
        href = it.path
        if not town.absolute_links and href.startswith(base):
            href = "./" + href[len(base) :]
        shown = _shown(town, it.title)
        title_attr = f' title="{html.escape(it.title)}"' if shown != it.title else ""
        lines.append(
            f'<li><a href="{html.escape(href)}" target="_blank"{title_attr}>{html.escape(shown)}</a>'
            f'<span class="date">{it.when.isoformat()}</span></li>'
        )
    charset = "gb2312" if town.encoding == "gb2312" else "utf-8"
    return (
        _head(f"政府信息公开年报_{town.name}_{COUNTY}人民政府", charset)
        + f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        f"{town.name} &gt; 政府信息公开年报</div>\n"
        f'<div class="column"><h2>政府信息公开年报</h2>\n<ul class="list">\n'
        + "\n".join(lines)
        + "\n</ul>\n"
        + _pagination(town, k, total)
        + "\n</div>\n"
        + _footer(outside)
        + "\n</body>\n</html>\n"
    )


class _Writer:
    def __init__(self, site_dir: Path, seed: int) -> None:
        self.site = site_dir
        self.rng = random.Random(f"{seed}:portal:numbers")
        self.n = 4_000_000 + self.rng.randint(0, 99_999)

    def number(self) -> int:
        self.n += self.rng.randint(1, 37)
        return self.n

    def write(self, path: str, data: bytes) -> None:
        file = self.site / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)

    def article_path(self, town: _Town, when: date, suffix: str = ".html") -> str:
        return f"/{town.code}/ndbg/{when:%Y%m}/t{_stamp(when)}_{self.number()}{suffix}"

    def attachment_path(self, article: str, when: date, suffix: str) -> str:
        return f"{posixpath.dirname(article)}/P0{_stamp(when)}{self.rng.randint(100_000, 999_999)}{suffix}"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _assign(rng: random.Random, towns: list[_Town], scenarios: bool) -> dict[str, Any]:
    """Choose each township's look and where each scenario happens; deterministic for rng."""
    order = towns[:]
    rng.shuffle(order)
    offset = rng.randrange(len(LINK_STYLES))
    for i, town in enumerate(order):
        town.pagination = ("anchors", "script")[i % 2]
        town.link_style = LINK_STYLES[(i + offset) % len(LINK_STYLES)]
        town.absolute_links = rng.random() < 0.3
    chosen: dict[str, Any] = {}

    def attached(ts: list[_Town], suffix: str) -> list[tuple[_Town, int]]:
        return [(t, y) for t in ts for y, f in sorted(t.reports.items()) if f.suffix.lower() == suffix]

    broken = None
    if scenarios and len(towns) >= 2:
        cands = [t for t in towns if attached([o for o in towns if o is not t], ".pdf")] or towns
        broken = rng.choice(cands)
        chosen["broken_site"] = broken
    rest = [t for t in order if t is not broken]
    gb = rng.sample(rest, max(1, len(towns) // 4))
    for town in gb:
        town.encoding = "gb2312"
    if not scenarios:
        return chosen
    docs = attached(rest, ".pdf") or attached(rest, ".docx")
    if docs:
        chosen["flaky"] = rng.choice(docs)
        others = [d for d in docs if d[0] is not chosen["flaky"][0]] or [d for d in docs if d != chosen["flaky"]]
        if others:
            chosen["unsupported"] = rng.choice(others)
    every = [(t, y) for t in rest for y in sorted(t.reports)]
    flaky_town = chosen["flaky"][0] if "flaky" in chosen else None
    movable = [d for d in every if d[0] is not flaky_town] or every
    if movable:
        chosen["moved"] = rng.choice(movable)
    # Reports published as real townships do, each on a report no scenario above plays with.
    taken = [chosen.get(k) for k in ("flaky", "unsupported", "moved")]
    pages = [d for d in attached(rest, ".html") + attached(rest, ".htm") if d not in taken]
    if pages:
        chosen["paged"] = rng.choice(pages)
    words = [d for d in attached(rest, ".docx") if d not in taken]
    rng.shuffle(words)
    if office.available():
        for name, pick in zip(("both", "doc", "wps"), words, strict=False):
            chosen[name] = pick
    # One township has not put its latest report online yet: its latest year, untouched by the others.
    used = [chosen.get(k) for k in ("flaky", "unsupported", "moved", "paged", "both", "doc", "wps")]
    latest = max((y for t in rest for y in t.reports), default=None)
    late = [t for t in rest if latest in t.reports and not any(d and d[0] is t and d[1] == latest for d in used)]
    if late:
        chosen["unpublished"] = (rng.choice(late), latest)
    return {**chosen, "rest": rest}


def write_portal(
    county_dir: Path,
    site_dir: Path,
    *,
    seed: int = 0,
    outside_url: str = "http://127.0.0.2:9/",
    scenarios: bool = True,
    slow_seconds: float = 5.0,
) -> PortalPlan:
    """Write the portal for the county in county_dir under site_dir (and site_dir/portal.json); returns the plan."""
    county_dir, site_dir = Path(county_dir), Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    towns = _towns(county_dir)
    rng = random.Random(f"{seed}:portal")
    chosen = _assign(rng, towns, scenarios)
    writer = _Writer(site_dir, seed)
    years = sorted({y for t in towns for y in t.reports}) or [2021]
    first, last = years[0], years[-1]
    plan = PortalPlan([], {}, {}, {}, outside_url, slow_seconds, seed)

    # Report-like links that are not the county's reports, spread over the townships that work.
    extras: dict[str, tuple[_Town, int]] = {}
    rest: list[_Town] = chosen.get("rest", [])
    if rest:
        for i, (name, back) in enumerate((("gone", 2), ("error_page", 2), ("slow", 3), ("disallowed", 4))):
            extras[name] = (rest[i % len(rest)], first - back)
        if extras["error_page"][0] is extras["gone"][0]:
            extras["error_page"] = (extras["error_page"][0], first - 5)

    for town in towns:
        trng = random.Random(f"{seed}:portal:{town.name}")
        items: list[_Item] = []
        reports: list[PortalReport] = []
        pt = PortalTownship(town.name, town.code, f"/{town.code}/ndbg/index.html", [], reports)
        pt.encoding, pt.pagination, pt.link_style = town.encoding, town.pagination, town.link_style

        for year, file in sorted(town.reports.items()):
            when = date(year + 1, 1, trng.randint(5, 28))
            if chosen.get("unpublished") == (town, year):
                plan.scenarios["unpublished"] = f"{town.name}:{year}"  # nothing online: no path to name
                continue
            title = _full_title(town, year)
            suffix = file.suffix.lower()
            data = file.read_bytes()
            page_suffix = suffix if suffix in (".html", ".htm") else ".html"
            article = writer.article_path(town, when, page_suffix)
            attachments: list[str] = []
            served = "same"
            if page_suffix == suffix:
                if not _is_utf8(data):
                    plan.content_types[article] = trng.choice(("text/html; charset=gb2312", "text/html"))
                if chosen.get("paged") == (town, year):
                    second = article.replace(page_suffix, f"_1{page_suffix}")
                    first_page, second_page = _split_article(data, posixpath.basename(second))
                    writer.write(article, first_page)
                    writer.write(second, second_page)
                    if article in plan.content_types:
                        plan.content_types[second] = plan.content_types[article]
                    plan.scenarios["paged"] = second
                    served = "pages"
                else:
                    writer.write(article, data)
            else:
                form = next((f for f in ("doc", "wps") if chosen.get(f) == (town, year)), None)
                if form:  # the Word file as the township's WPS saved it
                    data, suffix, served = office.save_as(file, form), f".{form}", "converted"
                att = writer.attachment_path(article, when, suffix)
                attachments.append(att)
                writer.write(att, data)
                if form:
                    plan.scenarios[form] = att
                if chosen.get("unsupported") == (town, year):
                    wps = writer.attachment_path(article, when, ".wps")
                    writer.write(wps, WPS_MAGIC + bytes(4096 - len(WPS_MAGIC)))
                    attachments.append(wps)
                    plan.scenarios["unsupported"] = wps
                links = []
                for att in attachments:
                    style = trng.choice(("name", "dot", "absolute"))
                    name = posixpath.basename(att)
                    href = {"name": name, "dot": "./" + name, "absolute": att}[style]
                    links.append((href, f"{title}{posixpath.splitext(att)[1]}"))
                if chosen.get("both") == (town, year):
                    # The report printed on its page too (as LibreOffice writes the Word file out as HTML),
                    # and attached: one report, which the attachment is.
                    body = _html_body(office.save_as(file, "html"))
                    writer.write(article, _article_page(town, title, when, [], links, outside_url, body))
                    plan.scenarios["both"] = article
                else:
                    paras = ["详见附件。"]
                    writer.write(article, _article_page(town, title, when, paras, links, outside_url))
                if chosen.get("flaky") == (town, year):
                    plan.faults[attachments[0]] = {"kind": "status", "status": 500, "times": 1}
                    plan.scenarios["flaky"] = attachments[0]
            linked_as = article
            if chosen.get("moved") == (town, year):
                linked_as = f"/{town.code}/xxgk/ndbg/{when:%Y%m}/t{_stamp(when)}_{writer.number()}.html"
                if trng.random() < 0.5:
                    location = posixpath.relpath(article, posixpath.dirname(linked_as))
                else:
                    location = article
                plan.faults[linked_as] = {"kind": "redirect", "status": 301, "location": location}
                plan.scenarios["moved"] = linked_as
            report_file = str(file.relative_to(county_dir))
            shown = _shown(town, title)
            reports.append(
                PortalReport(year, report_file, article, linked_as, attachments, shown, title, when.isoformat(), served)
            )
            items.append(_Item(title, when, linked_as, writer.n))

        # Other articles of the section: the crawler must leave them alone.
        decoys = [
            (f"{town.name}{{y}}年财政预算公开", 2, 0),
            ("关于开展{y}年安全生产检查的通知", 4, 0),
            (f"{town.name}政府信息公开指南", 6, 0),
            (f"{town.name}{{y}}年法治政府建设年度报告", 1, 1),
            (f"{town.name}{{y}}年政府信息公开工作要点", 3, 0),
        ]
        for pattern, month, after in trng.sample(decoys, trng.choice((3, 4))):
            y = trng.randint(first, last)
            when = date(y + after, month, trng.randint(1, 28))
            title = pattern.format(y=y)
            path = writer.article_path(town, when)
            paras = [f"{title}。", "现将有关情况公开如下，请社会各界监督。"]
            writer.write(path, _article_page(town, title, when, paras, [], outside_url))
            items.append(_Item(title, when, path, writer.n))
            pt.others.append(path)

        for name, (where, year) in extras.items():
            if where is not town:
                continue
            when = date(year + 1, 1, trng.randint(5, 28))
            title = _full_title(town, year)
            if name == "disallowed":
                path = f"/private/{town.code}/t{_stamp(when)}_{writer.number()}.html"
            else:
                path = writer.article_path(town, when)
            if name == "gone":
                plan.scenarios["gone"] = path  # never written: the page was withdrawn
            elif name == "error_page":
                att = writer.attachment_path(path, when, ".pdf")
                links = [(posixpath.basename(att), f"{title}.pdf")]
                writer.write(path, _article_page(town, title, when, ["详见附件。"], links, outside_url))
                plan.faults[att] = {
                    "kind": "body",
                    "status": 200,
                    "content_type": "text/html; charset=utf-8",
                    "body": ERROR_PAGE,
                }
                plan.scenarios["error_page"] = att
            else:
                paras = [f"根据《中华人民共和国政府信息公开条例》要求，现公布{title}。", "（正文略）"]
                writer.write(path, _article_page(town, title, when, paras, [], outside_url))
                plan.scenarios[name] = path
                if name == "slow":
                    plan.faults[path] = {"kind": "slow", "seconds": slow_seconds}
            items.append(_Item(title, when, path, writer.n))
            pt.extras.append(path)

        items.sort(key=lambda it: (it.when, it.n), reverse=True)
        pages = [items[i : i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
        for k, page in enumerate(pages):
            path = f"/{town.code}/ndbg/{_page_name(k)}"
            text = _listing_page(town, page, k, len(pages), outside_url)
            if town.encoding == "gb2312":
                writer.write(path, text.encode("gb18030"))
                plan.content_types[path] = trng.choice(("text/html; charset=gb2312", "text/html"))
            else:
                writer.write(path, text.encode("utf-8"))
            pt.listing_pages.append(path)
        if chosen.get("broken_site") is town:
            plan.faults[pt.listing] = {"kind": "status", "status": 503}
            plan.scenarios["broken_site"] = pt.listing
        online = {r.year for r in reports}
        plan.statuses[town.name] = {
            str(y): "fetch_failed"
            if chosen.get("broken_site") is town
            else "published"
            if y in online
            else "not_published"
            for y in range(first, last + 1)
        }
        plan.townships.append(pt)

    plan.correction = _correction(plan, county_dir)
    links = "\n".join(f'<li><a href="/{t.code}/ndbg/">{t.name}</a></li>' for t in towns)
    home = _head(f"{COUNTY}人民政府", "utf-8") + f'<ul class="towns">\n{links}\n</ul>\n' + _footer(outside_url)
    writer.write("/index.html", (home + "\n</body>\n</html>\n").encode("utf-8"))
    writer.write("/robots.txt", ROBOTS.encode("ascii"))
    (site_dir / "portal.json").write_text(plan.to_json(), encoding="utf-8")
    return plan


def _correction(plan: PortalPlan, county_dir: Path) -> dict[str, Any]:
    """Where the generator's corrected report goes online: in place of its first publication, served as
    it was written and met by none of the scenarios; {} when there is none such."""
    played = set(plan.scenarios.values())
    for file in sorted((county_dir / "corrections").glob("*")):
        if file.suffix == ".json":
            continue
        for town in plan.townships:
            for r in town.reports:
                path = r.attachments[0] if r.attachments else r.article
                if (
                    Path(r.report_file).name == file.name
                    and r.served == "same"
                    and not played & {path, r.linked_as, town.listing}
                ):
                    return {"path": path, "file": str(file.relative_to(county_dir)), "township": town.name,
                            "year": r.year}  # fmt: skip
    return {}


def write_register(plan: PortalPlan, county_dir: Path, out_csv: Path, base_url: str) -> None:
    """The county's townships.csv plus `url` (each township's listing on the portal) and an empty `link_pattern`."""
    rows = _read_register(Path(county_dir))
    rng = random.Random(f"{plan.seed}:portal:register")
    directory = set(rng.sample(range(len(rows)), len(rows) // 2))
    by_name = {t.name: t for t in plan.townships}
    fields = list(rows[0].keys()) if rows else ["name", "aliases", "code"]
    fields += [f for f in ("url", "link_pattern") if f not in fields]
    out_csv = Path(out_csv)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(out_csv, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for i, row in enumerate(rows):
            town = by_name.get(row["name"])
            url = ""
            if town is not None:
                listing = town.listing.removesuffix("index.html") if i in directory else town.listing
                url = base_url.rstrip("/") + listing
            writer.writerow({**row, "url": url, "link_pattern": ""})


@dataclass
class CollectedTruth:
    """What a county's warehouse holds once its reports are collected from its portal: each report's cells
    ({(township, year): {code: value}}), the flags ({(rule_id, township, year, table, row, col)}) and each
    township-year's publication status ({(township, year): status})."""

    cells: dict[tuple[str, int], dict[str, Any]]
    flags: set[tuple]
    statuses: dict[tuple[str, int], str]


def collected_truth(plan: PortalPlan, county_dir: Path, due_year: int, corrected: bool = False) -> CollectedTruth:
    """The county's truth (its reports' truth files and county.json) as its collection finds it: a township
    whose site fails all along has no report loaded, raises no MISSING_REPORT but one SITE_UNREACHABLE; a
    report not online yet is not loaded and is missing. Years after the county's latest report up to
    `due_year` (the year whose reports are due online) are not published, or unknown where the site fails.
    `corrected`: collected again after the plan's correction went online (PortalPlan.correct): that report's
    cells and flags are the correction's, and it changed what was published (REPORT_CHANGED)."""
    county_dir = Path(county_dir)
    broken = next((t.name for t in plan.townships if t.listing == plan.scenarios.get("broken_site")), None)
    online = {(t.name, r.year) for t in plan.townships for r in t.reports} - {(broken, y) for y in range(3000)}
    cells: dict[tuple[str, int], dict[str, Any]] = {}
    flags: set[tuple] = set()
    fixed = Path(plan.correction["file"]).with_suffix(".json").name if corrected and plan.correction else None
    for path in sorted((county_dir / "reports").glob("*.json")):
        if path.name == fixed:
            path = county_dir / "corrections" / fixed
            flags.add(("REPORT_CHANGED", plan.correction["township"], plan.correction["year"], None, None, None))
        truth = json.loads(path.read_text(encoding="utf-8"))
        key = (truth["township"], truth["year"])
        if key not in online:
            continue
        cells[key] = truth["cells"]
        for f in truth["expected_flags"]:
            flags.add((f["rule_id"], *key, f["table_code"], f["row_code"], f["col_code"]))
    county = json.loads((county_dir / "county.json").read_text(encoding="utf-8"))
    for f in county["flags"]:
        key = (f["township"], f["year"])
        if f["township"] == broken or (f["rule_id"] != "MISSING_REPORT" and key not in online):
            continue
        flags.add((f["rule_id"], *key, f["table_code"], f["row_code"], f["col_code"]))
    if "unpublished" in plan.scenarios:
        town, year = plan.scenarios["unpublished"].split(":")
        flags.add(("MISSING_REPORT", town, int(year), None, None, None))
    if broken is not None:
        flags.add(("SITE_UNREACHABLE", broken, None, None, None, None))
    statuses = {}
    for town, years in plan.statuses.items():
        last = max(int(y) for y in years)
        for year, status in years.items():
            statuses[town, int(year)] = status
        for year in range(last + 1, due_year + 1):
            statuses[town, year] = "fetch_failed" if town == broken else "not_published"
    return CollectedTruth(cells, flags, statuses)
