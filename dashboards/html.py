"""The dashboard's HTML pages: opened from disk, nothing fetched, every text from the database escaped.

Pages are plain strings built here; every value that comes from the warehouse (township names,
messages, file names) passes through `e()` before it is placed in the page.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import polars as pl

from gongkai.dashboards.charts import fmt
from gongkai.dashboards.labels import (
    CRITERION_LABEL,
    CRITERION_UNKNOWN,
    INDICATOR_LABEL,
    location_labels,
    rule_name,
)
from gongkai.dashboards.sketch import Chart
from gongkai.warehouse.rules import SCORECARD
from gongkai.warehouse.vocabulary import (
    FORMAT_LABELS,
    PUBLICATION_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TEMPLATE_LABELS,
    PublicationStatus,
)

FIGURES = (
    "applications",
    "granted_share",
    "licensing",
    "penalty",
    "fees",
    "review_rate",
    "litigation_rate",
    "open_flags",
)

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
 margin:0;color:#222;background:#f6f7f9;line-height:1.6}
header{background:#1f3b5c;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:24px} header p{margin:4px 0 0;opacity:.85}
header a{color:#cfe3ff}
main{padding:16px 32px;max-width:1400px}
section{background:#fff;border:1px solid #e2e5ea;border-radius:6px;padding:16px 20px;margin:16px 0}
h2{font-size:19px;margin:0 0 10px;border-left:4px solid #1f3b5c;padding-left:8px}
h3{font-size:16px;margin:14px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 120px;border:1px solid #e2e5ea;border-radius:6px;padding:10px 14px;background:#fafbfc}
.card .v{font-size:26px;font-weight:bold;color:#1f3b5c} .card .k{color:#555;font-size:14px}
figure{margin:8px 0 20px} figure img{max-width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #e2e5ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7;white-space:nowrap} td.n,td.k{text-align:right;white-space:nowrap} td.k{text-align:left}
.error{color:#c62828;font-weight:bold} .warning{color:#b26a00;font-weight:bold}
.badge{display:inline-block;border-radius:9px;padding:0 7px;font-size:12px;color:#fff;margin-left:4px}
.badge.error{background:#c62828;color:#fff} .badge.warning{background:#ef8f00;color:#fff}
.badge.ok{background:#2e7d32;color:#fff} .badge.none{background:#8a8f98;color:#fff}
td .badge{margin-left:0;font-size:13px;padding:1px 8px} td.links a{margin-right:8px}
p.counts .badge{font-size:14px;padding:2px 10px;margin:0 8px 0 0}
.changed{color:#b26a00}
nav.towns{columns:6 140px;font-size:15px} nav.towns a{text-decoration:none}
details{margin:6px 0} summary{cursor:pointer;font-weight:bold}
.muted{color:#777} .note{color:#555;font-size:14px}
td.read{white-space:nowrap} td.read span{display:inline-block;min-width:2em;text-align:right;font-weight:bold}
img.crop{height:40px;vertical-align:middle;margin-left:8px;border:2px solid #ef8f00;background:#fff}
code.id{font-size:12px;color:#555}
td.ok{color:#2e7d32;text-align:center} td.bad{text-align:center;font-weight:bold} td.bad a{color:#c62828}
td.unknown{color:#8a8f98;text-align:center} table.sortable th{cursor:pointer} tr:target{background:#fff3cd}
"""

# Sorts a table.sortable by the column whose header is clicked (again: the other way); a cell's data-v,
# where set, is its sort key. Inline: the pages are opened from disk and fetch nothing.
SORT_SCRIPT = """<script>
document.querySelectorAll("table.sortable th").forEach((th, i) => th.addEventListener("click", () => {
  const table = th.closest("table"), rows = [...table.rows].slice(1);
  const up = th.dataset.dir !== "asc"; th.dataset.dir = up ? "asc" : "desc";
  const key = r => r.cells[i].dataset.v ?? r.cells[i].textContent;
  rows.sort((a, b) => {
    const x = key(a), y = key(b), d = parseFloat(x) - parseFloat(y);
    return (isNaN(d) ? x.localeCompare(y, "zh") : d) * (up ? 1 : -1);
  });
  rows.forEach(r => r.parentNode.appendChild(r));
}));
</script>"""


def e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute; None shows as a dash."""
    return "—" if value is None else html.escape(str(value), quote=True)


@dataclass
class Site:
    """Everything the pages are drawn from."""

    out_dir: Path
    year: int
    townships: list[str]
    slugs: dict[str, str]
    figures: pl.DataFrame
    flags: pl.DataFrame
    reports: pl.DataFrame
    county_charts: list[Chart]
    # flag_id → the flagged cell's image from the scan (crops/<flag_id>.png), shown beside the value read
    crops: dict[str, Path] = field(default_factory=dict)
    township_charts: dict[str, list[Chart]] = field(default_factory=dict)
    # the warehouse's publication_status, every year (None: the county collects nothing, no section shown)
    publication: pl.DataFrame | None = None
    publication_year: int | None = None  # the due year the overview shows
    # the warehouse's report_scorecard with each failing criterion's evidence (dashboards.data.scorecard)
    scorecard: pl.DataFrame | None = None
    county: str | None = None  # the county of a register naming several; None: the register is one county
    up: str | None = None  # the link from the county's page to the overview of all counties
    generated_at: str = field(default_factory=lambda: datetime.now().strftime("%Y年%m月%d日 %H:%M"))


def html_page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def _img(chart: Chart, from_dir: Path, site: Site) -> str:
    src = link_to(chart.path, from_dir)
    note = f'<p class="note">{e(chart.note)}</p>' if chart.note else ""
    return (
        f'<figure><img src="{e(src)}" alt="{e(chart.title)}" loading="lazy">'
        f"{note}</figure>"  # the title is drawn in the image; alt holds it for screen readers
    )


def link_to(target: Path, from_dir: Path) -> str:
    """A relative link from a page in `from_dir` to `target`, percent-encoded (names are Chinese and
    may hold # or ?); an absolute file URL where no relative path exists (another drive on Windows)."""
    try:
        rel = os.path.relpath(target.resolve(), from_dir.resolve())
    except ValueError:
        return target.resolve().as_uri()
    return quote(rel.replace(os.sep, "/"), safe="/")


def township_href(site: Site, township: str, from_dir: Path) -> str:
    return link_to(site.out_dir / "townships" / f"{site.slugs[township]}.html", from_dir)


def _value(figure: str, value: float | None) -> str:
    unit = INDICATOR_LABEL[figure][1]
    return fmt(value, unit)


def medians(site: Site) -> dict[str, float | None]:
    """The county median of each headline figure over the townships that reported in the year."""
    out: dict[str, float | None] = {}
    for f in FIGURES:
        values = site.figures[f].drop_nulls()
        out[f] = None if values.is_empty() else float(values.median())
    return out


def _flag_rows(flags: pl.DataFrame, site: Site, from_dir: Path, with_township: bool) -> str:
    rows = []
    for f in flags.iter_rows(named=True):
        table, row, col = location_labels(f["table_code"], f["row_code"], f["col_code"], f["template"])
        # A flag of no cell is of the whole report, or, with no year either, of the township's site.
        where = " · ".join(p for p in (table, row, col) if p) or ("整份报告" if f["year"] is not None else "乡镇网站")
        page = "—"
        if f["source_file"]:
            source = Path(f["source_file"])
            link = link_to(source, from_dir)
            paged = f["page"] and source.suffix.lower() == ".pdf"  # a web page or Word file has no pages
            anchor = f"#page={f['page']}" if paged else ""
            text = f"第 {f['page']} 页" if paged else "原文"
            page = f'<a href="{e(link + anchor)}">{e(text)}</a>'
        actual = f'<td class="n">{e(fmt(f["actual"]))}</td>'
        crop = site.crops.get(f["flag_id"])
        if crop is not None:
            read = fmt(f["actual"])
            alt = f"扫描件中该格的图像（识别为 {read}）"
            actual = (
                f'<td class="n read"><span>{e(read)}</span><img class="crop" src="{e(link_to(crop, from_dir))}"'
                f' alt="{e(alt)}" title="扫描件中该格"></td>'
            )
        town = ""
        if with_township:
            town = f'<td><a href="{e(township_href(site, f["township"], from_dir))}">{e(f["township"])}</a></td>'
        rows.append(
            f"<tr id='flag-{e(f['flag_id'])}'>{town}<td class='k'>{e(f['year'])}</td>"
            f'<td class="k {e(f["severity"])}">{e(SEVERITY_LABELS.get(f["severity"], f["severity"]))}</td>'
            f"<td>{e(rule_name(f['rule_id']))}</td><td>{e(where)}</td>"
            f'<td class="n">{e(fmt(f["expected"]))}</td>{actual}'
            f"<td>{e(f['message'])}</td><td class='k'>{page}</td>"
            f"<td class='k'>{e(STATUS_LABELS.get(f['status'], f['status']))}</td>"
            f'<td class="k"><code class="id">{e(f["flag_id"])}</code></td></tr>'
        )
    head = "<th>乡镇</th>" if with_township else ""
    # the id is what `gongkai review` takes, e.g. to give a misread cell's value; the row's id is what the
    # scorecard's ✗ links to
    return (
        f"<table><tr>{head}<th>年度</th><th>级别</th><th>问题</th><th>位置</th><th>应为</th><th>实为</th>"
        f"<th>说明</th><th>原文</th><th>状态</th><th>问题编号</th></tr>{''.join(rows)}</table>"
    )


def _crop_note(site: Site, flags: pl.DataFrame) -> str:
    """How to answer a reading in doubt, where the flags listed show images from a scan."""
    if not any(flag_id in site.crops for flag_id in flags["flag_id"]):
        return ""
    return (
        '<p class="note">“实为”旁的图像是扫描件中该格的原样：与识别的数字一致，'
        "用 gongkai review 问题编号 --dismiss 排除；"
        "不一致，用 gongkai review 问题编号 --value 正确数值 更正，更正后各项核对按正确数值重新进行。</p>"
    )


# Publication status → the badge colour of the flags' severities (green, grey added for the two new).
PUBLICATION_BADGE = {
    PublicationStatus.PUBLISHED: "ok",
    PublicationStatus.UNREADABLE: "warning",
    PublicationStatus.NOT_PUBLISHED: "error",
    PublicationStatus.FETCH_FAILED: "warning",
    PublicationStatus.NOT_COLLECTED: "none",
}
# The order the overview lists townships in: what needs doing first.
PUBLICATION_ORDER = (
    PublicationStatus.NOT_PUBLISHED,
    PublicationStatus.FETCH_FAILED,
    PublicationStatus.UNREADABLE,
    PublicationStatus.NOT_COLLECTED,
    PublicationStatus.PUBLISHED,
)


def _external(url: str | None, text: str) -> str:
    """A link to a township's web site, opened in a new tab and never fetched by the page; a url that is not
    http(s) (a javascript: link on a crawled page) is shown, not linked."""
    if not url:
        return ""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{e(url)}" target="_blank" rel="noopener noreferrer">{e(text)}</a>'
    return f'<span class="muted" title="{e(url)}">{e(text)}</span>'


def _when(value: datetime | None, *, time: bool = True) -> str:
    if value is None:
        return "—"
    return value.strftime("%Y-%m-%d %H:%M" if time else "%Y-%m-%d")


def _row_head(r: dict, site: Site, from_dir: Path, with_township: bool) -> str:
    """A table row's first cell: the township, linked to its page (overview), or the year (township page)."""
    if not with_township:
        return f"<td class='k'>{e(r['year'])}年</td>"
    name = r["township"]
    if name not in site.slugs:
        return f"<td>{e(name)}</td>"
    return f'<td><a href="{e(township_href(site, name, from_dir))}">{e(name)}</a></td>'


def _publication_rows(rows: pl.DataFrame, site: Site, from_dir: Path, *, with_township: bool) -> str:
    """The publication table: one row per township (overview) or year (township page)."""
    out = []
    for r in rows.iter_rows(named=True):
        status = r["status"]
        label = PUBLICATION_LABELS.get(status, status)
        badge = f'<span class="badge {PUBLICATION_BADGE.get(status, "none")}">{e(label)}</span>'
        links = " ".join(x for x in (_external(r["original_url"], "原文"), _external(r["file_url"], "附件")) if x)
        notes = []
        if r["error"]:
            notes.append(e(r["error"]))
        if r.get("failing_since") is not None:
            notes.append(f"自 {e(_when(r['failing_since'], time=False))} 起连续 {e(r['nights_failed'])} 次未能读取")
        if r["changed_after_publication"]:
            notes.append(f'<span class="changed">发布后有修改（{e(_when(r["last_changed"], time=False))}）</span>')
        first = _row_head(r, site, from_dir, with_township)
        out.append(
            f"<tr>{first}<td class='k'>{badge}</td><td class='k links'>{links or '—'}</td>"
            f"<td class='k'>{e(_when(r['first_seen']))}</td><td class='k'>{e(_when(r['last_checked']))}</td>"
            f"<td>{'；'.join(notes)}</td></tr>"
        )
    head = "<th>乡镇</th>" if with_township else "<th>年度</th>"
    return (
        f"<table><tr>{head}<th>状态</th><th>网上原文</th><th>首次发现</th><th>最近检查</th><th>说明</th></tr>"
        f"{''.join(out)}</table>"
    )


def _publication_section(site: Site) -> str:
    """The overview's section on the due year: how many townships published, and each township's status."""
    if site.publication is None or site.publication_year is None:
        return ""
    year = site.publication_year
    rows = site.publication.filter(pl.col("year") == year)
    order = {s: i for i, s in enumerate(PUBLICATION_ORDER)}
    rows = (
        rows.with_row_index("_pos")
        .sort(pl.col("status").replace_strict(order, default=len(order)), "_pos")
        .drop("_pos")
    )
    counts = dict(rows.group_by("status").len().iter_rows())
    shown = [PublicationStatus.PUBLISHED, PublicationStatus.NOT_PUBLISHED, PublicationStatus.FETCH_FAILED]
    shown += [s for s in (PublicationStatus.UNREADABLE, PublicationStatus.NOT_COLLECTED) if counts.get(s)]
    counts_html = "".join(
        f'<span class="badge {PUBLICATION_BADGE[s]}">{e(PUBLICATION_LABELS[s])} {counts.get(s, 0)}</span>'
        for s in shown
    )
    return (
        f"<section><h2>{e(year)} 年度报告发布情况</h2>"
        f'<p class="counts">{counts_html}</p>'
        f'<p class="note">{e(year)} 年度报告应于 {e(year + 1)} 年 1 月 31 日前在乡镇网站公开。'
        "“首次发现”为第一次在网站上读到该报告的时间，“最近检查”为最近一次读取该乡镇年报栏目的时间；"
        "“原文”“附件”链接到乡镇网站。</p>"
        f"{_publication_rows(rows, site, site.out_dir, with_township=True)}</section>"
    )


def _criterion_cell(row: dict, criterion: str, rules: tuple[str, ...], site: Site, from_dir: Path) -> str:
    """✓ met, ✗ linking to the flag that shows it is not (its message on hover), — unknown (why, on hover)."""
    met = row[criterion]
    if met is None:
        return f'<td class="unknown" data-v="1" title="{e(CRITERION_UNKNOWN[criterion])}">—</td>'
    if met:
        return '<td class="ok" data-v="2">✓</td>'
    evidence = [f for f in row["evidence"] or [] if f["rule_id"] in rules]
    if not evidence:  # the scorecard and the flags are read together: this does not happen
        return '<td class="bad" data-v="0">✗</td>'
    page = township_href(site, row["township"], from_dir) if row["township"] in site.slugs else ""
    why = "\n".join(f["message"] for f in evidence)
    more = f" {len(evidence)}" if len(evidence) > 1 else ""
    return (
        f'<td class="bad" data-v="0"><a href="{e(page)}#flag-{e(evidence[0]["flag_id"])}" title="{e(why)}">'
        f"✗{more}</a></td>"
    )


def scorecard_table(rows: pl.DataFrame, site: Site, from_dir: Path, *, with_township: bool) -> str:
    """The 年报质量 table: a row per township (overview) or year (township page), a column per criterion."""
    out = []
    for r in rows.iter_rows(named=True):
        first = _row_head(r, site, from_dir, with_township)
        cells = "".join(_criterion_cell(r, c, rules, site, from_dir) for c, rules in SCORECARD)
        out.append(f'<tr>{first}{cells}<td class="n" data-v="{e(r["score"])}"><b>{e(r["score"])}</b></td></tr>')
    head = "<th>乡镇</th>" if with_township else "<th>年度</th>"
    head += "".join(f"<th>{e(CRITERION_LABEL[c])}</th>" for c, _ in SCORECARD) + "<th>得分</th>"
    return f'<table class="sortable"><tr>{head}</tr>{"".join(out)}</table>'


SCORECARD_NOTE = (
    "按外部评估（政务公开第三方评估）核对的项目逐项判断：✓ 符合；✗ 不符合，点击可看到作为依据的问题；"
    "— 无法判断（鼠标停留可看原因）。得分为可判断项目中符合的比例（0–100）。点击表头可排序。"
    "已被核实为误报（驳回）的问题不扣分。"
)


def _scorecard_section(site: Site) -> str:
    """The overview's 年报质量 table for the latest year, lowest score first."""
    if site.scorecard is None:
        return ""
    rows = site.scorecard.filter(pl.col("year") == site.year)
    if rows.is_empty():
        return ""
    return (
        f'<section id="quality"><h2>{e(site.year)} 年度报告质量</h2><p class="note">{e(SCORECARD_NOTE)}</p>'
        f"{scorecard_table(rows, site, site.out_dir, with_township=True)}</section>"
    )


def render_index(site: Site) -> str:
    """The county overview: headline figures, charts, and open flags grouped by township and severity."""
    here = site.out_dir
    counts = _flag_counts(site)
    cards_html = _cards_html(site)
    nav = []
    for t in site.townships:
        err, warn = counts[t]
        badges = (f'<span class="badge error">{err}</span>' if err else "") + (
            f'<span class="badge warning">{warn}</span>' if warn else ""
        )
        nav.append(f'<div><a href="{e(township_href(site, t, here))}">{e(t)}</a>{badges}</div>')
    charts_html = "".join(_img(c, here, site) for c in site.county_charts)
    groups = [_township_flags(site, t, counts[t]) for t in site.townships]
    groups = [g for g in groups if g]
    flags_html = ("".join(groups) + _crop_note(site, site.flags)) or '<p class="muted">没有待核实的问题。</p>'
    up = f'<a href="{e(site.up)}">← 返回各县区总览</a> · ' if site.up else ""
    body = f"""<header><h1>政府信息公开工作年度报告 · {e(site.county or "全县")}看板</h1>
<p>{up}各图默认显示最近一个年度（{e(site.year)}年）· 生成于 {e(site.generated_at)} ·
<a href="flags.xlsx">下载整改清单（Excel）</a></p></header><main>
<section><h2>概况</h2><div class="cards">{cards_html}</div>
<p class="note">“错误”为表内数字不能相互核对；“提醒”为需要核实的情况。数据取各乡镇每个年度的最新版本报告。</p></section>
{_publication_section(site)}
{_scorecard_section(site)}
<section><h2>各乡镇页面</h2><p class="note">红色数字为错误条数，橙色为提醒条数。</p>
<nav class="towns">{"".join(nav)}</nav></section>
<section><h2>图表</h2>{charts_html}</section>
<section><h2>待核实问题（按乡镇和级别）</h2>{flags_html}</section></main>{SORT_SCRIPT}"""
    return html_page(f"{site.county or '全县'}看板 · {site.year}年", body)


def _cards_html(site: Site) -> str:
    """The overview's headline figures."""
    year_reports = site.reports.filter(pl.col("year") == site.year)
    errors = site.flags.filter(pl.col("severity") == "error").height
    missing = site.flags.filter(pl.col("rule_id") == "MISSING_REPORT").height
    total_apps = site.figures["applications"].sum()
    med = medians(site)
    cards = [
        ("乡镇（街道）", f"{len(site.townships)} 个"),
        (f"{site.year}年收到年度报告", f"{year_reports.height} 份"),
        (f"{site.year}年全县新收申请", fmt(total_apps, "件")),
        (f"{site.year}年予以公开比例（乡镇中位数）", fmt(med["granted_share"], "%")),
        ("待核实问题（各年度合计）", f"{site.flags.height} 条"),
        ("其中错误", f"{errors} 条"),
        ("缺报年度报告", f"{missing} 份"),
    ]
    return "".join(f'<div class="card"><div class="v">{e(v)}</div><div class="k">{e(k)}</div></div>' for k, v in cards)


def _flag_counts(site: Site) -> dict[str, tuple[int, int]]:
    """Each township's open flags: (errors, warnings)."""
    counts = {t: (0, 0) for t in site.townships}
    for t, sev, n in site.flags.group_by("township", "severity").len().iter_rows():
        err, warn = counts.get(t, (0, 0))
        counts[t] = (err + n, warn) if sev == "error" else (err, warn + n)
    return counts


def _township_flags(site: Site, township: str, counts: tuple[int, int]) -> str:
    """A township's open flags on the overview, by severity, folded unless it has errors; "" with none."""
    here = site.out_dir
    own = site.flags.filter(pl.col("township") == township)
    if own.is_empty():
        return ""
    parts = []
    for sev in ("error", "warning"):
        part = own.filter(pl.col("severity") == sev)
        if part.height:
            parts.append(
                f'<h3 class="{sev}">{e(SEVERITY_LABELS[sev])}（{part.height} 条）</h3>'
                + _flag_rows(part, site, here, with_township=False)
            )
    err, warn = counts
    link = f'<a href="{e(township_href(site, township, here))}">{e(township)}</a>'
    return (
        f"<details{' open' if err else ''}><summary>{e(township)}：错误 {err} 条，提醒 {warn} 条</summary>"
        f"<p>{link} 的详细页面</p>{''.join(parts)}</details>"
    )


def _township_figures(site: Site, township: str) -> str:
    """The township's main figures of the year beside the county's medians."""
    med = medians(site)
    own = site.figures.filter(pl.col("township") == township)
    rows = []
    for f in FIGURES:
        name, unit = INDICATOR_LABEL[f]
        value = own[f][0] if own.height else None
        rows.append(
            f"<tr><td>{e(name)}（{e(unit)}）</td><td class='n'>{e(_value(f, value))}</td>"
            f"<td class='n'>{e(_value(f, med[f]))}</td></tr>"
        )
    absent = "" if own.height else f'<p class="error">未收到 {e(site.year)} 年度报告。</p>'
    return (
        f"{absent}<table><tr><th>指标</th><th>本乡镇</th><th>全县中位数</th></tr>{''.join(rows)}</table>"
        '<p class="note">纠错率＝结果纠正 ÷ 总计；当年无案件的乡镇不计入中位数。</p>'
    )


def _township_reports(site: Site, township: str, here: Path) -> str:
    """The township's reports loaded, newest first, each linking to its file."""
    reports = site.reports.filter(pl.col("township") == township).sort("year", descending=True)
    rows = "".join(
        f"<tr><td>{e(r['year'])}年</td><td>{e(TEMPLATE_LABELS.get(r['template'], r['template']))}</td>"
        f"<td>{e(r['published_on'])}</td><td>{e(FORMAT_LABELS.get(r['source_format'], r['source_format']))}</td>"
        f'<td><a href="{e(link_to(Path(r["source_file"]), here))}">{e(Path(r["source_file"]).name)}</a></td></tr>'
        for r in reports.iter_rows(named=True)
    )
    if not rows:
        return '<p class="muted">尚未收到该乡镇的年度报告。</p>'
    return f"<table><tr><th>年度</th><th>模板</th><th>发布日期</th><th>格式</th><th>原文</th></tr>{rows}</table>"


def _township_sections(site: Site, township: str, here: Path) -> str:
    """The township's publication and report-quality sections, where the site has them."""
    publication = quality = ""
    if site.publication is not None:
        own_pub = site.publication.filter(pl.col("township") == township).sort("year", descending=True)
        table = (
            _publication_rows(own_pub, site, here, with_township=False)
            if own_pub.height
            else '<p class="muted">名册中没有该乡镇，不检查其网站。</p>'
        )
        publication = f"<section><h2>年度报告发布情况</h2>{table}</section>"
    own_scores = None if site.scorecard is None else site.scorecard.filter(pl.col("township") == township)
    if own_scores is not None and own_scores.height:
        quality = (
            f'<section id="quality"><h2>年度报告质量</h2><p class="note">{e(SCORECARD_NOTE)}</p>'
            f"{scorecard_table(own_scores.sort('year', descending=True), site, here, with_township=False)}</section>"
        )
    return f"{publication}\n{quality}\n"


def render_township(site: Site, township: str) -> str:
    """One township's page: its charts, its figures beside the county median, its flags and PDFs."""
    here = site.out_dir / "townships"
    flags = site.flags.filter(pl.col("township") == township)
    flags_html = (
        _flag_rows(flags, site, here, with_township=False) + _crop_note(site, flags)
        if flags.height
        else '<p class="muted">没有待核实的问题。</p>'
    )
    charts_html = "".join(_img(c, here, site) for c in site.township_charts.get(township, []))
    body = f"""<header><h1>{e(township)}</h1>
<p><a href="../index.html">← 返回{e(site.county or "全县")}看板</a> · 数据为 {e(site.year)} 年度 ·
生成于 {e(site.generated_at)}</p></header>
<main><section><h2>{e(site.year)}年主要数字与全县中位数</h2>{_township_figures(site, township)}</section>
{_township_sections(site, township, here)}<section><h2>待核实问题（{flags.height} 条）</h2>{flags_html}</section>
<section><h2>图表</h2>{charts_html}</section>
<section><h2>年度报告原文</h2>{_township_reports(site, township, here)}</section></main>{SORT_SCRIPT}"""
    return html_page(f"{township} · 政府信息公开年度报告看板", body)
