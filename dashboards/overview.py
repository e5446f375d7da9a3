"""The overview above the counties of a register that names several: one row per county, ranked and
compared on the same figures as each county's own page, with links down to its dashboard and workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl
from matplotlib.figure import Figure

from gongkai.dashboards import charts, palette
from gongkai.dashboards.charts import fmt
from gongkai.dashboards.figures import new_figure, stack, tidy
from gongkai.dashboards.html import PUBLICATION_BADGE, Site, e, html_page, link_to
from gongkai.dashboards.sketch import Chart, Sketch, signature
from gongkai.warehouse.vocabulary import PUBLICATION_LABELS, PublicationStatus

# The columns of the counties' table, each also a figure of the county's own page.
COLUMNS = (
    ("latest", "最近年度", ""),
    ("townships", "乡镇（街道）", ""),
    ("reports", "收到年度报告", ""),
    ("missing", "缺报", ""),
    ("applications", "新收申请（件）", ""),
    ("granted_share", "予以公开比例（乡镇中位数）", "%"),
    ("licensing", "行政许可（件）", ""),
    ("penalty", "行政处罚（件）", ""),
    ("errors", "错误", ""),
    ("warnings", "提醒", ""),
)
_PUBLICATION = (PublicationStatus.PUBLISHED, PublicationStatus.NOT_PUBLISHED, PublicationStatus.FETCH_FAILED)
# the pages' badge colours (html.CSS), for the same statuses and severities in the charts
_BADGE_COLOUR = {"ok": "#2e7d32", "error": "#c62828", "warning": "#ef8f00"}
_FLAG_LAYERS = (("errors", "错误", _BADGE_COLOUR["error"]), ("warnings", "提醒", _BADGE_COLOUR["warning"]))


@dataclass
class Overview:
    out_dir: Path
    year: int  # the latest report year of any county: the year the table compares
    counties: pl.DataFrame  # one row per county (see COLUMNS), in the register's order
    links: dict[str, tuple[Path, Path]]  # county → its index page and workbook
    publication_year: int | None = None
    charts: list[Chart] = field(default_factory=list)
    generated_at: str = field(default_factory=lambda: datetime.now().strftime("%Y年%m月%d日 %H:%M"))

    @property
    def charts_paths(self) -> list[Path]:
        return [c.path for c in self.charts]


def county_rows(sites: list[Site], year: int) -> pl.DataFrame:
    """Each county's figures of `year`, from the very numbers its own dashboard shows (its `Site`): a county
    whose latest report is older than `year` has none of that year."""
    rows = []
    for site in sites:
        figures = site.figures if site.year == year else site.figures.clear()
        flags = site.flags
        row = {
            "county": site.county,
            "latest": site.year or None,
            "townships": len(site.townships),
            "reports": figures.height,
            "missing": flags.filter(pl.col("rule_id") == "MISSING_REPORT").height,
            "applications": _total(figures["applications"]),
            "granted_share": charts.median_of(figures["granted_share"]),
            "licensing": _total(figures["licensing"]),
            "penalty": _total(figures["penalty"]),
            "errors": flags.filter(pl.col("severity") == "error").height,
            "warnings": flags.filter(pl.col("severity") == "warning").height,
        }
        status = {}
        if site.publication is not None and site.publication_year is not None:
            due_rows = site.publication.filter(pl.col("year") == site.publication_year)
            status = dict(due_rows.group_by("status").len().iter_rows())
        row.update({str(s): status.get(s, 0) for s in PublicationStatus})
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)


def _total(values: pl.Series) -> float | None:
    """The county's sum; None where no township has the figure (no report, or none readable), never 0."""
    return None if values.null_count() == values.len() else values.sum()


def plan_overview(out_dir: Path, sites: list[Site]) -> Overview:
    """The overview's numbers and its charts (drawn with the counties' charts), from the counties' own pages
    (each `Site`'s out_dir is the county's folder under `out_dir`)."""
    year = max((site.year for site in sites), default=0)
    table = county_rows(sites, year)
    links = {site.county: (site.out_dir / "index.html", site.out_dir / "flags.xlsx") for site in sites}
    due = next((site.publication_year for site in sites), None)
    overview = Overview(out_dir, year, table, links, due)
    if not year:  # no county has a report yet: nothing to compare
        return overview
    charts_dir = out_dir / "charts"
    # Sketches carry plain Python (see sketch.chart): the charts are drawn in forked children.
    indicators = table.select("county", "applications", "granted_share", "licensing", "penalty")
    title = f"{year}年各县区主要数字（各县区乡镇最新版本报告）"
    sketch = Sketch(_indicators, (indicators.to_dict(as_series=False), title), signature(title, indicators))
    overview.charts.append(Chart("counties", title, charts_dir / f"counties-{year}.png", indicators, sketch=sketch))
    problems = table.select("county", "errors", "warnings", "missing", *(str(s) for s in _PUBLICATION))
    title = "各县区待核实问题（条）" + (f"与{due}年度报告发布情况（个乡镇）" if due else "")
    # most errors on top (barh draws bottom-up), then the register's order
    by_flags = problems.with_row_index("_pos").sort(["errors", "warnings", "_pos"], descending=[False, False, True])
    by_publication = problems.with_row_index("_pos").sort(
        [str(PublicationStatus.NOT_PUBLISHED), "_pos"], descending=[False, True]
    )
    args = (by_flags.to_dicts(), by_publication.to_dicts(), title, due)
    sketch = Sketch(_problems, args, signature(title, problems, due))
    overview.charts.append(Chart("county-flags", title, charts_dir / "counties-flags.png", problems, sketch=sketch))
    return overview


def _ranked_bars(ax, names: list[str], values: list[float | None], colour: str, unit: str, title: str) -> None:
    """Counties ranked, the largest on top; a county without the figure is listed as 无数据."""
    order = sorted(range(len(names)), key=lambda i: (values[i] is None, -(values[i] or 0), names[i]))
    shown = list(reversed(order))  # barh draws bottom-up
    ax.barh([names[i] for i in shown], [values[i] or 0 for i in shown], color=colour)
    top = max([v for v in values if v is not None] + [1])
    for y, i in enumerate(shown):
        ax.text(values[i] or 0, y, f" {fmt(values[i], unit) if values[i] is not None else '无数据'}", va="center",
                fontsize=9)  # fmt: skip
    ax.set_xlim(0, top * 1.3)
    ax.set_title(title, loc="left", fontsize=11)
    tidy(ax)


def _indicators(frame: dict[str, list], title: str) -> Figure:
    names = frame["county"]
    fig = new_figure(12, 2.2 + 0.6 * max(len(names), 3))
    axes = fig.subplots(2, 2)
    keys = (("applications", "新收申请", "件", palette.INDICATOR["applications"]),
            ("granted_share", "予以公开比例（乡镇中位数）", "%", palette.OUTCOME["granted"]),
            ("licensing", "行政许可", "件", palette.INDICATOR["licensing"]),
            ("penalty", "行政处罚", "件", palette.INDICATOR["penalty"]))  # fmt: skip
    for ax, (key, name, unit, colour) in zip(axes.flat, keys, strict=True):
        _ranked_bars(ax, names, frame[key], colour, unit, f"{name}（{unit}）")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return fig


def _problems(by_flags: list[dict], by_publication: list[dict], title: str, due: int | None) -> Figure:
    fig = new_figure(12, 2.2 + 0.45 * max(len(by_flags), 3))
    axes = fig.subplots(1, 2 if due else 1, squeeze=False).flat
    ax = axes[0]
    layers = (([r[key] for r in by_flags], colour, label) for key, label, colour in _FLAG_LAYERS)
    left, _ = stack(ax, [r["county"] for r in by_flags], layers)
    for y, (total, r) in enumerate(zip(left, by_flags, strict=True)):
        ax.text(total, y, f" {total} 条（其中缺报 {r['missing']}）", va="center", fontsize=9)
    ax.set_xlim(0, max(left + [1]) * 1.45)
    ax.set_title("待核实问题（条），错误多的县区在上", loc="left", fontsize=11)
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    tidy(ax)
    if due:
        ax = axes[1]
        layers = (
            (
                [r[str(status)] for r in by_publication],
                _BADGE_COLOUR[PUBLICATION_BADGE[status]],
                PUBLICATION_LABELS[status],
            )
            for status in _PUBLICATION
        )
        left, _ = stack(ax, [r["county"] for r in by_publication], layers)
        ax.set_title(f"{due}年度报告发布情况（个乡镇），未发布多的县区在上", loc="left", fontsize=11)
        ax.legend(loc="lower right", frameon=False, fontsize=9)
        ax.set_xlim(0, max(left + [1]) * 1.15)
        tidy(ax)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return fig


def _cell(key: str, value: object, unit: str) -> str:
    if key == "latest":
        return f"{value}年" if value else "尚无报告"
    return fmt(value, unit)


def render_overview(o: Overview) -> str:
    """The page above the counties: totals, the counties' table with links down, and the comparison charts."""
    here = o.out_dir
    t = o.counties
    total_towns, total_reports = int(t["townships"].sum()), int(t["reports"].sum())
    cards = [
        ("县区", f"{t.height} 个"),
        ("乡镇（街道）", f"{total_towns} 个"),
        (f"{o.year}年收到年度报告", f"{total_reports} 份"),
        (f"{o.year}年新收申请", fmt(_total(t["applications"]), "件")),
        ("待核实问题（各年度合计）", f"{int(t['errors'].sum() + t['warnings'].sum())} 条"),
        ("其中错误", f"{int(t['errors'].sum())} 条"),
        ("缺报年度报告", f"{int(t['missing'].sum())} 份"),
    ]
    cards_html = "".join(
        f'<div class="card"><div class="v">{e(v)}</div><div class="k">{e(k)}</div></div>' for k, v in cards
    )
    head = "".join(f"<th>{e(name)}</th>" for _, name, _ in COLUMNS)
    pub_head = ""
    if o.publication_year:
        pub_head = "".join(f"<th>{e(PUBLICATION_LABELS[s])}</th>" for s in _PUBLICATION)
    rows = []
    for r in t.iter_rows(named=True):
        page, workbook = o.links[r["county"]]
        cells = "".join(
            f'<td class="n{" error" if key == "errors" and r[key] else ""}">{e(_cell(key, r[key], unit))}</td>'
            for key, _, unit in COLUMNS
        )
        pub = ""
        if o.publication_year:
            pub = "".join(f'<td class="n">{e(r[str(s)])}</td>' for s in _PUBLICATION)
        rows.append(
            f'<tr><td><a href="{e(link_to(page, here))}">{e(r["county"])}</a></td>{cells}{pub}'
            f'<td class="k"><a href="{e(link_to(workbook, here))}">整改清单</a></td></tr>'
        )
    pub_note = (
        f"“{'”“'.join(PUBLICATION_LABELS[s] for s in _PUBLICATION)}”为 {o.publication_year} "
        "年度报告在乡镇网站上的发布情况（乡镇个数）。"
        if o.publication_year
        else ""
    )
    charts_html = "".join(
        f'<figure><img src="{e(link_to(c.path, here))}" alt="{e(c.title)}" loading="lazy"></figure>' for c in o.charts
    )
    body = f"""<header><h1>政府信息公开工作年度报告 · 各县区总览</h1>
<p>数字为 {e(o.year)} 年度 · 生成于 {e(o.generated_at)}</p></header><main>
<section><h2>概况</h2><div class="cards">{cards_html}</div></section>
<section><h2>各县区</h2>
<table><tr><th>县区</th>{head}{pub_head}<th>下载</th></tr>{"".join(rows)}</table>
<p class="note">点击县区名称进入该县区看板（各乡镇页面、图表、待核实问题），“整改清单”为该县区的 Excel 清单。
“错误”“提醒”为各年度待核实问题合计。{e(pub_note)}
“最近年度”早于 {e(o.year)} 年的县区，尚未收到 {e(o.year)} 年度报告，其各项数字为空（—）而不是 0。</p></section>
<section><h2>各县区比较</h2>{charts_html}</section></main>"""
    return html_page(f"各县区总览 · {o.year}年", body)
