"""The dashboard's charts, drawn with matplotlib's Agg canvas into PNG files.

Each function draws one chart and returns a `Chart` holding the polars frame it drew, so that tests
can compare every number on a chart with the warehouse. Figures are built with the object API (no
pyplot): nothing global is left behind in the flow's process, and no display is ever needed.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from PIL import Image

from dashboards import data, palette
from dashboards.fonts import rc_params
from dashboards.labels import APPLICANT_LABEL, INDICATOR_LABEL, OUTCOME_GROUPS
from parsers.codes import T3_APPLICANT_COLUMNS

DPI = 110
_META_KEY = "gongkai-chart"
_ROW_INCH = 0.3  # height of one township's bar


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its file, its title (also the page's caption), and the numbers it shows."""

    key: str
    title: str
    path: Path
    data: pl.DataFrame
    note: str = ""


def _in_chinese(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Draw with the registered Chinese font, whoever calls the chart function."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> Chart:
        with rc_context(rc_params()):
            return draw(*args, **kwargs)

    return wrapper


def fmt(value: float | None, unit: str = "") -> str:
    """A number as the analyst reads it: whole counts without decimals, amounts with up to two."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit and unit != "%" else text


def _median(values: pl.Series) -> float | None:
    values = values.drop_nulls()
    return None if values.is_empty() else float(values.median())


# The drawing code itself is part of what a chart depends on: a PNG drawn by other code is redrawn.
_CODE = hashlib.sha256(
    b"".join((Path(__file__).parent / f).read_bytes() for f in ("charts.py", "palette.py", "labels.py", "fonts.py"))
).hexdigest()


def _signature(*parts: object) -> str:
    """A fingerprint of everything a chart shows: the drawing code, its title and its numbers."""
    digest = hashlib.sha256(_CODE.encode())
    for part in parts:
        digest.update((part.write_csv() if isinstance(part, pl.DataFrame) else repr(part)).encode())
    return digest.hexdigest()


def _fresh(path: Path, signature: str) -> bool:
    """Whether `path` was drawn from exactly these numbers: the flow redraws after every run, and
    most townships' charts have not changed since the last one."""
    try:
        with Image.open(path) as image:
            return image.info.get(_META_KEY) == signature  # text chunks before the pixels: no decoding
    except (OSError, AttributeError):
        return False


def _save(fig: Figure, path: Path, signature: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=DPI, metadata={_META_KEY: signature} if signature else None)
    return path


def _figure(width: float, height: float, *, fixed: dict[str, float] | None = None) -> Figure:
    """A figure; `fixed` margins (fractions, as subplots_adjust takes them) instead of constrained
    layout for grids of many panels, where the layout solver costs more than the drawing."""
    if fixed is None:
        return Figure(figsize=(width, height), layout="constrained")
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(**fixed)
    return fig


def _tidy(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(length=0)


def _median_line(ax, value: float | None, label: str, *, vertical: bool = True) -> None:
    if value is None:
        return
    line = ax.axvline if vertical else ax.axhline
    line(value, color=palette.MEDIAN, linestyle="--", linewidth=1.2, zorder=3, label=label)


def _missing_note(con, present: pl.Series, year: int) -> str:
    missing = sorted(set(data.townships(con)) - set(present.to_list()))
    return f"{year}年未收到年度报告：{'、'.join(missing)}" if missing else ""


def _stacked_bars(frame: pl.DataFrame, parts: list[tuple[str, str, str]]):
    """A bar per township (a row of `frame`), stacked from its (column, colour, label) parts; a missing
    value draws nothing. Returns the figure, its axes and the rows in drawing order."""
    fig = _figure(11, 1.9 + _ROW_INCH * max(frame.height, 3))
    ax = fig.add_subplot()
    rows = frame.reverse()  # barh draws bottom-up: the first township at the top
    left = [0.0] * rows.height
    for column, color, label in parts:
        values = rows[column].fill_null(0).to_list()
        ax.barh(rows["township"], values, left=left, color=color, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    return fig, ax, rows


@_in_chinese
def applications_chart(con, charts_dir: Path, year: int) -> Chart:
    """Applications received in `year` per township, stacked by applicant type, with the county median."""
    frame = data.applications_by_applicant(con, year)
    title = f"{year}年各乡镇新收政府信息公开申请数量（件），按申请人类型"
    note = _missing_note(con, frame["township"], year)
    path, signature = charts_dir / f"applications-{year}.png", _signature(title, note, frame)
    if _fresh(path, signature):
        return Chart("applications", title, path, frame, note)
    parts = [(code, palette.APPLICANT[code], APPLICANT_LABEL[code]) for code in T3_APPLICANT_COLUMNS]
    fig, ax, rows = _stacked_bars(frame, parts)
    for y, (total, unreadable) in enumerate(zip(rows["drawn"], rows["unreadable"], strict=True)):
        mark = "（含无法读取的单元格）" if unreadable else ""
        ax.text(total, y, f" {fmt(total)}{mark}", va="center", fontsize=9)
    _median_line(ax, _median(frame["drawn"]), f"全县中位数 {fmt(_median(frame['drawn']), '件')}")
    ax.set_xlabel("件")
    ax.set_title(title, loc="left", fontsize=13)
    ax.legend(loc="lower right", frameon=False, ncols=2)
    ax.margins(y=0.01, x=0.08)
    _tidy(ax)
    if note:
        fig.supxlabel(note, fontsize=9, color="#555555", x=0.01, ha="left")
    return Chart("applications", title, _save(fig, path, signature), frame, note)


@_in_chinese
def outcome_chart(con, charts_dir: Path, year: int) -> Chart:
    """What became of the applications handled in `year`, per township, as shares of 100%."""
    frame = data.outcome_mix(con, year)
    title = f"{year}年各乡镇申请办理结果构成（%），按予以公开比例排序"
    note = _missing_note(con, frame["township"], year)
    path, signature = charts_dir / f"outcomes-{year}.png", _signature(title, note, frame)
    if _fresh(path, signature):
        return Chart("outcomes", title, path, frame, note)
    fig, ax, rows = _stacked_bars(
        frame, [(f"{key}_pct", palette.OUTCOME[key], label) for key, label, _ in OUTCOME_GROUPS]
    )
    for y, handled in enumerate(rows["handled"]):
        ax.text(101, y, f"共 {fmt(handled)} 件" if handled else "本年无办理结果", va="center", fontsize=9)
    median = _median(frame["granted_pct"])
    _median_line(ax, median, f"予以公开比例全县中位数 {fmt(median, '%')}")
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    ax.set_title(title, loc="left", fontsize=13)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 / max(frame.height / 20, 1)), ncols=7, frameon=False)
    ax.margins(y=0.01)
    _tidy(ax)
    if note:
        fig.supxlabel(note, fontsize=9, color="#555555", x=0.01, ha="left")
    return Chart("outcomes", title, _save(fig, path, signature), frame, note)


@_in_chinese
def trend_small_multiples(con, charts_dir: Path, indicator: str, trends: pl.DataFrame | None = None) -> Chart:
    """One small panel per township: `indicator` across years, over the county median of each year."""
    frame = (trends if trends is not None else data.trends(con)).select("township", "year", indicator)
    name, unit = INDICATOR_LABEL[indicator]
    yrs = data.years(con)
    title = f"各乡镇{name}逐年变化（{unit}），虚线为全县各年中位数，各小图纵轴刻度不同"
    medians = frame.group_by("year").agg(pl.col(indicator).median().alias("median")).sort("year")
    # most active township first; each panel has its own scale, so a township with a hundredth of
    # the county's largest count still shows its own ups and downs (the latest value is in its title)
    last = frame.filter(pl.col("year") == (yrs[-1] if yrs else 0)).select("township", pl.col(indicator).alias("last"))
    order = (
        pl.DataFrame({"township": data.townships(con)})
        .join(last, on="township", how="left")
        .sort(["last", "township"], descending=[True, False], nulls_last=True)
    )
    names, lasts = order["township"].to_list(), order["last"].to_list()
    cols = 6
    nrows = max(1, math.ceil(len(names) / cols))
    path, signature = charts_dir / f"trend-{indicator}.png", _signature(title, frame, yrs, data.townships(con))
    if _fresh(path, signature):
        return Chart(f"trend-{indicator}", title, path, frame)
    height = 0.9 + 1.55 * nrows
    fig = _figure(
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
    axes = fig.subplots(nrows, cols, sharex=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        _tidy(ax)
        if i >= len(names):
            ax.set_visible(False)
            continue
        # every year, a missing report as a gap in the line rather than a straight bridge over it
        own = pl.DataFrame({"year": yrs}, schema={"year": pl.Int32}).join(
            frame.filter(pl.col("township") == names[i]), on="year", how="left"
        )
        ax.plot(medians["year"], medians["median"], color=palette.MEDIAN, linestyle="--", linewidth=1)
        ax.plot(own["year"], own[indicator], color=palette.INDICATOR[indicator], marker="o", markersize=3)
        latest = f"{yrs[-1]}年 {fmt(lasts[i], unit)}" if yrs and lasts[i] is not None else "最近一年无数据"
        ax.set_title(f"{names[i]}　{latest}", fontsize=9.5, pad=2)
        ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
        ax.set_xticks(yrs, [str(y)[2:] if len(yrs) > 3 else str(y) for y in yrs], fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", color="#eeeeee")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    if len(yrs) > 3:
        fig.supxlabel(f"年度（{yrs[0]}—{yrs[-1]}，取后两位）", fontsize=9, color="#555555")
    return Chart(f"trend-{indicator}", title, _save(fig, path, signature), frame)


@_in_chinese
def flag_heatmap(con, charts_dir: Path) -> Chart:
    """Township × year: open flags of each report (MISSING_REPORT aside); a year without a report is grey."""
    frame = data.flag_grid(con)
    names, yrs = data.townships(con), data.years(con)
    title = "各乡镇各年度待核实问题数（条），“缺报”为未收到年度报告"
    path, signature = charts_dir / "flags-heatmap.png", _signature(title, frame, names, yrs)
    if _fresh(path, signature):
        return Chart("flags", title, path, frame)
    fig = _figure(2.6 + 0.9 * max(len(yrs), 3), 1.6 + 0.3 * max(len(names), 3))
    ax = fig.add_subplot()
    counts = {(t, y): (n, m) for t, y, n, m in frame.select("township", "year", "open_flags", "missing").iter_rows()}
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
    return Chart("flags", title, _save(fig, path, signature), frame)


def _cell(x: int, y: int, colour, hatch: str | None = None):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="#dddddd", hatch=hatch, linewidth=0.8)


@_in_chinese
def correction_chart(con, charts_dir: Path, year: int) -> Chart:
    """行政复议 and 行政诉讼 纠错率 per township in `year` (only townships that had cases)."""
    frame = data.correction_rates(con, year)
    title = f"{year}年各乡镇行政复议、行政诉讼纠错率（%）＝结果纠正 ÷ 总计"
    shown = {
        kind: frame.filter(pl.col(f"{kind}_rate").is_not_null()).sort(
            [f"{kind}_rate", "township"], descending=[False, True]
        )
        for kind in ("review", "litigation")
    }
    height = 2.2 + _ROW_INCH * max(3, *(f.height for f in shown.values()))
    path, signature = charts_dir / f"corrections-{year}.png", _signature(title, frame)
    if _fresh(path, signature):
        return Chart("corrections", title, path, frame)
    fig = _figure(12, height)
    axes = fig.subplots(1, 2)
    for ax, kind, name in zip(axes, ("review", "litigation"), ("行政复议", "行政诉讼（含复议后起诉）"), strict=True):
        rows = shown[kind]
        _tidy(ax)
        without = frame.height - rows.height
        ax.set_title(f"{name}：{rows.height} 个乡镇有案件，{without} 个无案件", fontsize=11, loc="left")
        if rows.is_empty():
            ax.text(0.5, 0.5, "本年各乡镇均无案件", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        ax.barh(rows["township"], rows[f"{kind}_rate"], color=palette.INDICATOR[kind])
        for y, (rate, corrected, total) in enumerate(
            rows.select(f"{kind}_rate", f"{kind}_corrected", f"{kind}_total").iter_rows()
        ):
            ax.text(rate, y, f" {fmt(rate, '%')}（{fmt(corrected)}/{fmt(total)} 件）", va="center", fontsize=9)
        median = _median(rows[f"{kind}_rate"])
        _median_line(ax, median, f"有案件乡镇中位数 {fmt(median, '%')}")
        ax.set_xlim(0, max(100.0, float(rows[f"{kind}_rate"].max())) * 1.35)
        ax.set_xticks(range(0, 101, 25), [f"{v}%" for v in range(0, 101, 25)])
        ax.legend(loc="lower right", frameon=False, fontsize=9)
        ax.margins(y=0.02)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return Chart("corrections", title, _save(fig, path, signature), frame)


@_in_chinese
def county_totals_chart(con, charts_dir: Path) -> Chart:
    """County totals by year: applications, 行政许可, 行政处罚 (件) and fees (万元)."""
    frame = data.county_totals(con)
    title = "全县逐年合计（各乡镇最新版本报告之和）"
    path, signature = charts_dir / "county-totals.png", _signature(title, frame)
    if _fresh(path, signature):
        return Chart("county", title, path, frame)
    fig = _figure(12, 6.4)
    axes = fig.subplots(2, 2)
    labels = [f"{y}年\n{n}份报告" for y, n in frame.select("year", "reports").iter_rows()]
    for ax, key in zip(axes.flat, ("applications", "licensing", "penalty", "fees"), strict=True):
        name, unit = INDICATOR_LABEL[key]
        values = frame[key].to_list()
        xs = list(range(frame.height))
        ax.bar(xs, [v or 0 for v in values], color=palette.INDICATOR[key], width=0.6)
        for x, v in zip(xs, values, strict=True):
            ax.text(x, v or 0, fmt(v) if v is not None else "无数据", ha="center", va="bottom", fontsize=9)
        ax.set_xticks(xs, labels, fontsize=9)
        ax.set_title(f"{name}（{unit}）", loc="left", fontsize=11)
        ax.margins(y=0.15)
        _tidy(ax)
    axes.flat[3].text(
        0,
        -0.3,
        "2019年版模板不印收费金额，2019、2020年度无数据",
        transform=axes.flat[3].transAxes,
        fontsize=8,
        color="#555555",
    )
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return Chart("county", title, _save(fig, path, signature), frame)


@_in_chinese
def township_trend_chart(charts_dir: Path, township: str, trends: pl.DataFrame, yrs: list[int], slug: str) -> Chart:
    """One township across years beside the county median: applications, 许可, 处罚, fees."""
    keys = ("applications", "licensing", "penalty", "fees")
    frame = trends.filter(pl.col("township") == township).select("year", *keys).sort("year")
    medians = trends.group_by("year").agg([pl.col(k).median() for k in keys]).sort("year")
    title = f"{township}逐年变化，虚线为全县中位数"
    path = charts_dir / f"township-{slug}-trend.png"
    signature = _signature(title, frame, medians, yrs)
    if _fresh(path, signature):
        return Chart("township-trend", title, path, frame)
    fig = _figure(
        12, 5.6, fixed={"left": 0.05, "right": 0.985, "top": 0.87, "bottom": 0.06, "wspace": 0.15, "hspace": 0.42}
    )
    axes = fig.subplots(2, 2)
    for ax, key in zip(axes.flat, keys, strict=True):
        name, unit = INDICATOR_LABEL[key]
        ax.plot(medians["year"], medians[key], color=palette.MEDIAN, linestyle="--", linewidth=1.2, label="全县中位数")
        every_year = pl.DataFrame({"year": yrs}, schema={"year": pl.Int32}).join(frame, on="year", how="left")
        ax.plot(
            every_year["year"], every_year[key], color=palette.INDICATOR[key], marker="o", linewidth=2, label=township
        )
        for y, v in frame.select("year", key).iter_rows():
            if v is not None:
                ax.annotate(fmt(v), (y, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=9)
        ax.set_xticks(yrs, [f"{y}年" for y in yrs], fontsize=9)
        ax.set_title(f"{name}（{unit}）", loc="left", fontsize=11)
        ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))  # all zeros: a 0–1 axis, not matplotlib's 0–0.05
        ax.margins(y=0.2)
        ax.grid(axis="y", color="#eeeeee")
        _tidy(ax)
    axes.flat[0].legend(frameon=False, fontsize=9, loc="best")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return Chart("township-trend", title, _save(fig, path, signature), frame)


@_in_chinese
def township_outcome_chart(charts_dir: Path, township: str, outcomes: pl.DataFrame, slug: str) -> Chart:
    """One township's outcome mix in each year, as shares of 100%."""
    frame = outcomes.filter(pl.col("township") == township).sort("year")
    title = f"{township}各年度申请办理结果构成（%）"
    path = charts_dir / f"township-{slug}-outcomes.png"
    signature = _signature(title, frame)
    if _fresh(path, signature):
        return Chart("township-outcomes", title, path, frame)
    fig = _figure(12, 1.6 + 0.45 * max(frame.height, 2))
    ax = fig.add_subplot()
    rows = frame.reverse()
    labels = [f"{y}年" for y in rows["year"]]
    left = [0.0] * rows.height
    for key, label, _ in OUTCOME_GROUPS:
        values = rows[f"{key}_pct"].fill_null(0).to_list()
        ax.barh(labels, values, left=left, color=palette.OUTCOME[key], label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, handled in enumerate(rows["handled"]):
        ax.text(101, y, f"共 {fmt(handled)} 件" if handled else "无办理结果", va="center", fontsize=9)
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    ax.set_title(title, loc="left", fontsize=12)
    handles = [Patch(color=palette.OUTCOME[k], label=label) for k, label, _ in OUTCOME_GROUPS]
    fig.legend(handles=handles, loc="outside lower center", ncols=6, frameon=False)
    _tidy(ax)
    return Chart("township-outcomes", title, _save(fig, path, signature), frame)


def county_charts(con, charts_dir: Path, year: int, trends: pl.DataFrame) -> list[Chart]:
    """Every chart of the county overview, in the order the page shows them."""
    return [
        county_totals_chart(con, charts_dir),
        applications_chart(con, charts_dir, year),
        outcome_chart(con, charts_dir, year),
        correction_chart(con, charts_dir, year),
        flag_heatmap(con, charts_dir),
        *(trend_small_multiples(con, charts_dir, k, trends) for k in ("applications", "licensing", "penalty")),
    ]


def township_charts(
    charts_dir: Path, township: str, slug: str, trends: pl.DataFrame, outcomes: pl.DataFrame, yrs: list[int]
) -> list[Chart]:
    """The charts of one township's page."""
    return [
        township_trend_chart(charts_dir, township, trends, yrs, slug),
        township_outcome_chart(charts_dir, township, outcomes, slug),
    ]
