"""The dashboard's charts: each chart function reads its numbers and returns a `Chart` (dashboards/sketch.py)
whose frame is what it shows (so that tests can compare every number on a chart with the warehouse), and
whose sketch names the drawing below that draws it. Figures are built with the object API (no pyplot):
nothing global is left behind, and no display is ever needed; a township's charts redraw figures the
process keeps (dashboards/figures.py).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator
from PIL import Image

from gongkai.dashboards import data, palette
from gongkai.dashboards.figures import FIGURES, KeptFigure, moving, new_figure, no_axis_labels, stack, tidy
from gongkai.dashboards.labels import APPLICANT_LABEL, INDICATOR_LABEL, OUTCOME_GROUPS
from gongkai.dashboards.sketch import Chart, Sketch, chart, signature
from gongkai.domain.codes import T3_APPLICANT_COLUMNS

_ROW_INCH = 0.3  # height of one township's bar


def fmt(value: float | None, unit: str = "") -> str:
    """A number as the analyst reads it: whole counts without decimals, amounts with up to two."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit and unit != "%" else text


def median_of(values: pl.Series) -> float | None:
    values = values.drop_nulls()
    return None if values.is_empty() else float(values.median())


def _median_line(ax, value: float | None, label: str, *, vertical: bool = True) -> None:
    if value is None:
        return
    line = ax.axvline if vertical else ax.axhline
    line(value, color=palette.MEDIAN, linestyle="--", linewidth=1.2, zorder=3, label=label)


def _stacked_bars(rows: list[dict], parts: list[tuple[str, str, str]]):
    """A bar per township (a row), stacked from its (column, colour, label) parts; a missing value draws
    nothing. Returns the figure, its axes and the rows in drawing order."""
    fig = new_figure(11, 1.9 + _ROW_INCH * max(len(rows), 3))
    ax = fig.add_subplot()
    rows = rows[::-1]  # barh draws bottom-up: the first township at the top
    layers = (([0 if r[column] is None else r[column] for r in rows], color, label) for column, color, label in parts)
    stack(ax, [r["township"] for r in rows], layers)
    return fig, ax, rows


def _year_limits(yrs: list[int] | tuple[int, ...]) -> tuple[float, float]:
    """A year axis's limits, fixed rather than following the data: matplotlib's own 5% margin, or half a
    year around a single one."""
    if not yrs:
        return (0.0, 1.0)
    span = yrs[-1] - yrs[0]
    pad = 0.05 * span if span else 0.5
    return (yrs[0] - pad, yrs[-1] + pad)


def _missing_note(names: list[str], present: pl.Series, year: int) -> str:
    reported = set(present.to_list())
    missing = [n for n in names if n not in reported]
    return f"{year}年未收到年度报告：{'、'.join(sorted(missing))}" if missing else ""


def applications_chart(con, charts_dir: Path, year: int, county: str | None = None) -> Chart:
    """Applications received in `year` per township, stacked by applicant type, with the county median."""
    frame = data.applications_by_applicant(con, year, county)
    title = f"{year}年各乡镇新收政府信息公开申请数量（件），按申请人类型"
    note = _missing_note(data.townships(con, county), frame["township"], year)
    args = (frame.to_dicts(), median_of(frame["drawn"]), title, note)
    path = charts_dir / f"applications-{year}.png"
    return chart("applications", title, path, frame, note, _applications, args, cost=1 + 0.14 * frame.height)


def _applications(rows: list[dict], median: float | None, title: str, note: str) -> Figure:
    parts = [(code, palette.APPLICANT[code], APPLICANT_LABEL[code]) for code in T3_APPLICANT_COLUMNS]
    fig, ax, drawn = _stacked_bars(rows, parts)
    for y, r in enumerate(drawn):
        mark = "（含无法读取的单元格）" if r["unreadable"] else ""
        ax.text(r["drawn"], y, f" {fmt(r['drawn'])}{mark}", va="center", fontsize=9)
    _median_line(ax, median, f"全县中位数 {fmt(median, '件')}")
    ax.set_xlabel("件")
    ax.set_title(title, loc="left", fontsize=13)
    ax.legend(loc="lower right", frameon=False, ncols=2)
    ax.margins(y=0.01, x=0.08)
    tidy(ax)
    if note:
        fig.supxlabel(note, fontsize=9, color="#555555", x=0.01, ha="left")
    return fig


def outcome_chart(con, charts_dir: Path, year: int, county: str | None = None) -> Chart:
    """What became of the applications handled in `year`, per township, as shares of 100%."""
    frame = data.outcome_mix(con, year, county)
    title = f"{year}年各乡镇申请办理结果构成（%），按予以公开比例排序"
    note = _missing_note(data.townships(con, county), frame["township"], year)
    args = (frame.to_dicts(), median_of(frame["granted_pct"]), title, note)
    path = charts_dir / f"outcomes-{year}.png"
    return chart("outcomes", title, path, frame, note, _outcomes, args, cost=1 + 0.14 * frame.height)


def _outcomes(rows: list[dict], median: float | None, title: str, note: str) -> Figure:
    fig, ax, drawn = _stacked_bars(
        rows, [(f"{key}_pct", palette.OUTCOME[key], label) for key, label, _ in OUTCOME_GROUPS]
    )
    for y, r in enumerate(drawn):
        handled = r["handled"]
        ax.text(101, y, f"共 {fmt(handled)} 件" if handled else "本年无办理结果", va="center", fontsize=9)
    _median_line(ax, median, f"予以公开比例全县中位数 {fmt(median, '%')}")
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    ax.set_title(title, loc="left", fontsize=13)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 / max(len(rows) / 20, 1)), ncols=7, frameon=False)
    ax.margins(y=0.01)
    tidy(ax)
    if note:
        fig.supxlabel(note, fontsize=9, color="#555555", x=0.01, ha="left")
    return fig


def _by_year(frame: pl.DataFrame, column: str, yrs: list[int]) -> list[float | None]:
    """`column` of every year in `yrs` (None where the frame has no row): a missing report is a gap in
    the line rather than a straight bridge over it."""
    values = dict(frame.select("year", column).iter_rows())
    return [values.get(y) for y in yrs]


def trend_small_multiples(
    con, charts_dir: Path, indicator: str, trends: pl.DataFrame | None = None, county: str | None = None
) -> Chart:
    """One small panel per township: `indicator` across years, over the county median of each year."""
    frame = (trends if trends is not None else data.trends(con, county)).select("township", "year", indicator)
    name, unit = INDICATOR_LABEL[indicator]
    yrs = data.years(con, county)
    townships = data.townships(con, county)
    title = f"各乡镇{name}逐年变化（{unit}），虚线为全县各年中位数，各小图纵轴刻度不同"
    medians = frame.group_by("year").agg(pl.col(indicator).median().alias("median")).sort("year")
    # most active township first; each panel has its own scale, so a township with a hundredth of
    # the county's largest count still shows its own ups and downs (the latest value is in its title)
    last = frame.filter(pl.col("year") == (yrs[-1] if yrs else 0)).select("township", pl.col(indicator).alias("last"))
    order = (
        pl.DataFrame({"township": townships}, schema={"township": pl.String})
        .join(last, on="township", how="left")
        .sort(["last", "township"], descending=[True, False], nulls_last=True)
    )
    own = {t: _by_year(f, indicator, yrs) for (t,), f in frame.partition_by("township", as_dict=True).items()}
    panels = [(t, last_value, own.get(t, [None] * len(yrs))) for t, last_value in order.iter_rows()]
    args = (panels, (medians["year"].to_list(), medians["median"].to_list()), indicator, title, yrs)
    # the first of the three makes the grid of panels (about 0.3 units a panel), the next two reuse it (0.1)
    cost = 1 + 0.15 * len(townships)
    # drawn together: a county's three; a province's counties' grids spread over the workers like other charts
    together = f"small-multiples:{county or ''}"
    sketch = Sketch(_small_multiples, args, signature(title, frame, yrs, townships), cost, together=together)
    return Chart(f"trend-{indicator}", title, charts_dir / f"trend-{indicator}.png", frame, "", sketch)


@dataclass
class _GridFigure:
    kept: KeptFigure
    panels: list  # per township's panel: (axes, median line, township's line, title)
    title: object


def _grid_figure(count: int, yrs: tuple[int, ...]) -> _GridFigure:
    cols = 6
    nrows = max(1, math.ceil(count / cols))
    height = 0.9 + 1.55 * nrows
    fig = new_figure(
        13,
        height,
        fixed={
            "left": 0.045,
            "right": 0.99,
            "top": 1 - 0.75 / height,
            "bottom": 0.55 / height,
            "wspace": 0.28,
            "hspace": 0.55,
        },
    )
    # Not sharex: with hundreds of panels, every limit set on one is propagated to all the others
    # (17 s for 200 townships); the same limits and ticks are set on each instead.
    axes = fig.subplots(nrows, cols, squeeze=False)
    xlim = _year_limits(yrs)
    year_labels = [str(y)[2:] if len(yrs) > 3 else str(y) for y in yrs]
    panels = []
    for i, ax in enumerate(axes.flat):
        if i >= count:
            ax.set_visible(False)
            continue
        # tick settings before the first tick exists: set later, they are applied to every tick made so far
        ax.tick_params(length=0, labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        no_axis_labels(ax)
        (median,) = ax.plot([], [], color=palette.MEDIAN, linestyle="--", linewidth=1)
        (own,) = ax.plot([], [], marker="o", markersize=3)
        # three steps: enough to read a small panel by, and fewer tick labels to draw on 200 of them
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        ax.set_xlim(*xlim)
        # years printed once per column, under its last panel; the ticks themselves are not drawn (length 0),
        # so a panel without the years has none (a tick costs about 1 ms to make, 5 on each of 200 panels)
        if i + cols >= count:
            ax.set_xticks(yrs, year_labels)
        else:
            ax.set_xticks([])
        ax.grid(axis="y", color="#eeeeee")
        panels.append((ax, *moving(median, own, ax.set_title("", fontsize=9.5, pad=2), ax.yaxis)[:3]))
    # pinned in inches from the top: as a fraction of a tall figure, it would sit on the first panels
    (title,) = moving(fig.suptitle("", x=0.01, y=1 - 0.2 / height, ha="left", va="top", fontsize=13))
    if len(yrs) > 3:
        fig.supxlabel(f"年度（{yrs[0]}—{yrs[-1]}，取后两位）", fontsize=9, color="#555555")
    return _GridFigure(KeptFigure(fig), panels, title)


def _small_multiples(
    panels: list[tuple[str, float | None, list[float | None]]],
    medians: tuple[list[int], list[float | None]],
    indicator: str,
    title: str,
    yrs: list[int],
) -> Image.Image:
    # The three indicators' small multiples are panels of the same townships and years: one grid of panels,
    # kept like a township's charts (making 200 axes took longer than drawing them)
    # one grid at a time: a province's counties each have their own, and 200 panels hold memory
    kept = FIGURES.get(("grid", len(panels), tuple(yrs)), lambda: _grid_figure(len(panels), tuple(yrs)), alone=True)
    _, unit = INDICATOR_LABEL[indicator]
    moving = [kept.title]
    for (ax, median, own_line, panel_title), (name, last, values) in zip(kept.panels, panels, strict=True):
        median.set_data(*medians)
        own_line.set_data(yrs, _nan(values))
        own_line.set_color(palette.INDICATOR[indicator])
        latest = f"{yrs[-1]}年 {fmt(last, unit)}" if yrs and last is not None else "最近一年无数据"
        panel_title.set_text(f"{name}　{latest}")
        # the panel's own scale, from 0 to matplotlib's autoscaled top (at least 1)
        ax.relim()
        ax.set_autoscaley_on(True)
        ax.autoscale_view(scalex=False)
        ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
        moving += [ax.yaxis, median, own_line, panel_title]
    kept.title.set_text(title)
    return kept.kept.render(moving)


def flag_heatmap(con, charts_dir: Path, county: str | None = None) -> Chart:
    """Township × year: open flags of each report (MISSING_REPORT aside); a year without a report is grey."""
    frame = data.flag_grid(con, county)
    names, yrs = data.townships(con, county), data.years(con, county)
    title = "各乡镇各年度待核实问题数（条），“缺报”为未收到年度报告"
    counts = {(t, y): (n, m) for t, y, n, m in frame.select("township", "year", "open_flags", "missing").iter_rows()}
    sketch = Sketch(
        _heatmap, (counts, title, names, yrs), signature(title, frame, names, yrs), 1 + 0.035 * len(names) * len(yrs)
    )
    return Chart("flags", title, charts_dir / "flags-heatmap.png", frame, "", sketch)


def _heatmap(counts: dict[tuple[str, int], tuple[int, bool]], title: str, names: list[str], yrs: list[int]) -> Figure:
    fig = new_figure(2.6 + 0.9 * max(len(yrs), 3), 1.6 + 0.3 * max(len(names), 3))
    ax = fig.add_subplot()
    top = max([n for n, _ in counts.values()] + [1])
    cmap = ListedColormap(["#ffffff", "#fdd49e", "#fc8d59", "#d7301f"])
    for r, name in enumerate(names):
        for c, year in enumerate(yrs):
            n, missing = counts.get((name, year), (0, True))
            if missing:
                ax.add_patch(_cell(c, r, palette.MISSING, hatch="///"))
                ax.text(c, r, "缺报", ha="center", va="center", fontsize=9, color="#666666")
                continue
            shade = 0 if n == 0 else 1 + min(2, int(3 * (n - 1) / top))
            ax.add_patch(_cell(c, r, cmap(shade)))
            ax.text(c, r, str(n) if n else "·", ha="center", va="center", fontsize=9, color="#222222")
    ax.set_xlim(-0.5, len(yrs) - 0.5)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xticks(range(len(yrs)), [f"{y}年" for y in yrs])
    ax.set_yticks(range(len(names)), names)
    ax.xaxis.tick_top()
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    ax.set_title(title, loc="left", fontsize=12, pad=26)  # clear of the year labels on top
    return fig


def _cell(x: int, y: int, colour, hatch: str | None = None) -> Rectangle:
    return Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="#dddddd", hatch=hatch, linewidth=0.8)


def correction_chart(con, charts_dir: Path, year: int, county: str | None = None) -> Chart:
    """行政复议 and 行政诉讼 纠错率 per township in `year` (only townships that had cases)."""
    frame = data.correction_rates(con, year, county)
    title = f"{year}年各乡镇行政复议、行政诉讼纠错率（%）＝结果纠正 ÷ 总计"
    shown = {
        kind: frame.filter(pl.col(f"{kind}_rate").is_not_null())
        .sort([f"{kind}_rate", "township"], descending=[False, True])
        .select("township", f"{kind}_rate", f"{kind}_corrected", f"{kind}_total")
        .rows()
        for kind in ("review", "litigation")
    }
    args = (shown, frame.height, title)
    path = charts_dir / f"corrections-{year}.png"
    return chart("corrections", title, path, frame, "", _corrections, args, cost=1 + 0.03 * frame.height)


def _corrections(shown: dict[str, list[tuple]], townships: int, title: str) -> Figure:
    height = 2.2 + _ROW_INCH * max(3, *(len(rows) for rows in shown.values()))
    fig = new_figure(12, height)
    axes = fig.subplots(1, 2)
    for ax, kind, name in zip(axes, ("review", "litigation"), ("行政复议", "行政诉讼（含复议后起诉）"), strict=True):
        rows = shown[kind]
        tidy(ax)
        ax.set_title(f"{name}：{len(rows)} 个乡镇有案件，{townships - len(rows)} 个无案件", fontsize=11, loc="left")
        if not rows:
            ax.text(0.5, 0.5, "本年各乡镇均无案件", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        rates = [rate for _, rate, _, _ in rows]
        ax.barh([t for t, *_ in rows], rates, color=palette.INDICATOR[kind])
        for y, (_, rate, corrected, total) in enumerate(rows):
            ax.text(rate, y, f" {fmt(rate, '%')}（{fmt(corrected)}/{fmt(total)} 件）", va="center", fontsize=9)
        median = statistics.median(rates)
        _median_line(ax, median, f"有案件乡镇中位数 {fmt(median, '%')}")
        ax.set_xlim(0, max(100.0, float(max(rates))) * 1.35)
        ax.set_xticks(range(0, 101, 25), [f"{v}%" for v in range(0, 101, 25)])
        ax.legend(loc="lower right", frameon=False, fontsize=9)
        ax.margins(y=0.02)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return fig


def county_totals_chart(con, charts_dir: Path, county: str | None = None) -> Chart:
    """County totals by year: applications, 行政许可, 行政处罚 (件) and fees (万元)."""
    frame = data.county_totals(con, county)
    title = f"{county or '全县'}逐年合计（各乡镇最新版本报告之和）"
    args = (frame.to_dicts(), title)
    return chart("county", title, charts_dir / "county-totals.png", frame, "", _county_totals, args, cost=5)


def _county_totals(rows: list[dict], title: str) -> Figure:
    fig = new_figure(12, 6.4)
    axes = fig.subplots(2, 2)
    labels = [f"{r['year']}年\n{r['reports']}份报告" for r in rows]
    for ax, key in zip(axes.flat, ("applications", "licensing", "penalty", "fees"), strict=True):
        name, unit = INDICATOR_LABEL[key]
        values = [r[key] for r in rows]
        xs = list(range(len(rows)))
        ax.bar(xs, [v or 0 for v in values], color=palette.INDICATOR[key], width=0.6)
        for x, v in zip(xs, values, strict=True):
            ax.text(x, v or 0, fmt(v) if v is not None else "无数据", ha="center", va="bottom", fontsize=9)
        ax.set_xticks(xs, labels, fontsize=9)
        ax.set_title(f"{name}（{unit}）", loc="left", fontsize=11)
        ax.margins(y=0.15)
        tidy(ax)
    axes.flat[3].text(
        0,
        -0.3,
        "2019年版模板不印收费金额，2019、2020年度无数据",
        transform=axes.flat[3].transAxes,
        fontsize=8,
        color="#555555",
    )
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return fig


_TREND_KEYS = ("applications", "licensing", "penalty", "fees")


def township_trend_chart(
    charts_dir: Path,
    township: str,
    trends: pl.DataFrame,
    yrs: list[int],
    slug: str,
    medians: pl.DataFrame | None = None,
) -> Chart:
    """One township across years beside the county median: applications, 许可, 处罚, fees. `medians`: the
    county's medians per year (`trend_medians`), where already computed for its other townships."""
    frame = trends.filter(pl.col("township") == township).select("year", *_TREND_KEYS).sort("year")
    medians = trend_medians(trends) if medians is None else medians
    title = f"{township}逐年变化，虚线为全县中位数"
    lines = {
        key: (
            medians["year"].to_list(),
            medians[key].to_list(),
            _by_year(frame, key, yrs),
            frame.select("year", key).rows(),
        )
        for key in _TREND_KEYS
    }
    args = (lines, title, yrs)
    path = charts_dir / f"township-{slug}-trend.png"
    return chart("township-trend", title, path, frame, "", _township_trend, args, medians, yrs, cost=0.8)


def trend_medians(trends: pl.DataFrame) -> pl.DataFrame:
    """The county median of each trend figure, per year."""
    return trends.group_by("year").agg([pl.col(k).median() for k in _TREND_KEYS]).sort("year")


@dataclass
class _TrendFigure:
    kept: KeptFigure
    panels: dict[str, tuple]  # key → (axes, median line, township's line)
    title: object


def _trend_figure(yrs: tuple[int, ...]) -> _TrendFigure:
    fig = new_figure(
        12, 5.6, fixed={"left": 0.05, "right": 0.985, "top": 0.87, "bottom": 0.07, "wspace": 0.15, "hspace": 0.3}
    )
    axes = fig.subplots(2, 2)
    panels = {}
    for i, (ax, key) in enumerate(zip(axes.flat, _TREND_KEYS, strict=True)):
        name, unit = INDICATOR_LABEL[key]
        (median,) = ax.plot([], [], color=palette.MEDIAN, linestyle="--", linewidth=1.2)
        (own,) = ax.plot([], [], color=palette.INDICATOR[key], marker="o", linewidth=2)
        ax.set_xticks(yrs, [f"{y}年" for y in yrs], fontsize=9)
        # the years once, under the bottom panels: the panels above share them, and each label costs a drawing
        ax.tick_params(labelbottom=i >= 2)
        if yrs:
            ax.set_xlim(*_year_limits(yrs))
        ax.set_title(f"{name}（{unit}）", loc="left", fontsize=11)
        # counts in whole numbers; four steps keep the panel readable (and cost fewer tick labels to draw)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=key != "fees"))
        ax.grid(axis="y", color="#eeeeee")
        tidy(ax)
        no_axis_labels(ax)
        panels[key] = (ax, *moving(median, own, ax.yaxis)[:2])
    # one legend for the four panels, above them: in a fixed place, drawn once (placed at the 'best' spot
    # it would move with each township's lines); the title names the township
    handles = [
        Line2D([], [], color=palette.MEDIAN, linestyle="--", linewidth=1.2, label="全县中位数"),
        Line2D([], [], color="#555555", marker="o", linewidth=2, label="本乡镇"),
    ]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.985, 1.0), ncols=2, frameon=False, fontsize=9)
    (title,) = moving(fig.suptitle("", x=0.01, ha="left", fontsize=13))
    return _TrendFigure(KeptFigure(fig), panels, title)


def _nan(values) -> list[float]:
    return [math.nan if v is None else v for v in values]


def _township_trend(lines: dict[str, tuple], title: str, yrs: list[int]) -> Image.Image:
    kept = FIGURES.get(("trend", tuple(yrs)), lambda: _trend_figure(tuple(yrs)))
    moving, labels = [kept.title], []
    for key, (ax, median, own_line) in kept.panels.items():
        median_years, median_values, own, points = lines[key]
        median.set_data(median_years, _nan(median_values))
        own_line.set_data(yrs, _nan(own))
        # every point is inside the axes (the limits are set from them): no need to check on each draw
        panel_labels = [
            ax.annotate(
                fmt(v),
                (y, v),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=9,
                annotation_clip=False,
                animated=True,
            )
            for y, v in points
            if v is not None
        ]
        # room above the highest point for its label; all zeros: a 0–1 axis, not matplotlib's 0–0.05
        top = max([v for v in (*own, *median_values) if v is not None and not math.isnan(v)], default=0.0)
        ax.set_ylim(0, max(1.0, top * 1.22))
        moving += [ax.yaxis, median, own_line, *panel_labels]
        labels += panel_labels
    kept.title.set_text(title)
    image = kept.kept.render(moving)
    for label in labels:
        label.remove()
    return image


def township_outcome_chart(charts_dir: Path, township: str, outcomes: pl.DataFrame, slug: str) -> Chart:
    """One township's outcome mix in each year, as shares of 100%."""
    frame = outcomes.filter(pl.col("township") == township).sort("year")
    title = f"{township}各年度申请办理结果构成（%）"
    path = charts_dir / f"township-{slug}-outcomes.png"
    return chart("township-outcomes", title, path, frame, "", _township_outcomes, (frame.to_dicts(), title), cost=0.4)


@dataclass
class _OutcomeFigure:
    kept: KeptFigure
    ax: object
    bars: list  # per outcome group, its bar in each row
    totals: list  # per row, the number handled
    title: object


def _outcome_figure(years: int) -> _OutcomeFigure:
    height = 1.6 + 0.45 * max(years, 2)
    # fixed margins, the legend in the bottom 0.45 in: constrained layout drew the figure twice
    fig = new_figure(12, height, fixed={"left": 0.06, "right": 0.985, "top": 1 - 0.4 / height, "bottom": 0.75 / height})
    ax = fig.add_subplot()
    ax.set_xlim(0, 112)
    ax.set_ylim(-0.6, years - 0.4)
    ax.set_xticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    handles = [Patch(color=palette.OUTCOME[k], label=label) for k, label, _ in OUTCOME_GROUPS]
    fig.legend(handles=handles, loc="lower center", ncols=6, frameon=False, bbox_to_anchor=(0.5, 0.0))
    tidy(ax)
    no_axis_labels(ax)
    # the bars made once, each township's shares set on them: making bars costs more than drawing them
    rows = list(range(years))
    bars = [list(moving(*ax.barh(rows, [0] * years, color=palette.OUTCOME[k]))) for k, _, _ in OUTCOME_GROUPS]
    totals = list(moving(*(ax.text(101, y, "", va="center", fontsize=9) for y in rows)))
    title, _ = moving(ax.set_title("", loc="left", fontsize=12), ax.yaxis)
    return _OutcomeFigure(KeptFigure(fig), ax, bars, totals, title)


def _township_outcomes(rows: list[dict], title: str) -> Image.Image:
    kept = FIGURES.get(("outcomes", len(rows)), lambda: _outcome_figure(len(rows)))
    ax = kept.ax
    rows = rows[::-1]  # barh draws bottom-up: the earliest year at the top
    left = [0.0] * len(rows)
    for bars, (key, _, _) in zip(kept.bars, OUTCOME_GROUPS, strict=True):
        values = [0 if r[f"{key}_pct"] is None else r[f"{key}_pct"] for r in rows]
        for bar, x, width in zip(bars, left, values, strict=True):
            bar.set_x(x)
            bar.set_width(width)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for total, r in zip(kept.totals, rows, strict=True):
        total.set_text(f"共 {fmt(r['handled'])} 件" if r["handled"] else "无办理结果")
    ax.set_yticks(range(len(rows)), [f"{r['year']}年" for r in rows])
    kept.title.set_text(title)
    return kept.kept.render([ax.yaxis, kept.title, *(b for bars in kept.bars for b in bars), *kept.totals])


def county_charts(con, charts_dir: Path, year: int, trends: pl.DataFrame, county: str | None = None) -> list[Chart]:
    """Every chart of the county overview, in the order the page shows them."""
    return [
        county_totals_chart(con, charts_dir, county),
        applications_chart(con, charts_dir, year, county),
        outcome_chart(con, charts_dir, year, county),
        correction_chart(con, charts_dir, year, county),
        flag_heatmap(con, charts_dir, county),
        *(trend_small_multiples(con, charts_dir, k, trends, county) for k in ("applications", "licensing", "penalty")),
    ]


def township_charts(
    charts_dir: Path,
    township: str,
    slug: str,
    trends: pl.DataFrame,
    outcomes: pl.DataFrame,
    yrs: list[int],
    medians: pl.DataFrame | None = None,
) -> list[Chart]:
    """The charts of one township's page."""
    return [
        township_trend_chart(charts_dir, township, trends, yrs, slug, medians),
        township_outcome_chart(charts_dir, township, outcomes, slug),
    ]
