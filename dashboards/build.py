"""`build_dashboard`: the county's charts, HTML pages and correction lists, from an open warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl

from dashboards import charts, data
from dashboards.html import Site, render_index, render_township
from dashboards.workbook import write_workbook

_UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def township_slugs(names: list[str]) -> dict[str, str]:
    """A file name for each township's page and charts: its name, made safe for every file system."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = _UNSAFE_FILE_CHARS.sub("_", name).strip(" .") or "乡镇"
        slug, n = base[:80], 1
        while slug.lower() in taken:
            n += 1
            slug = f"{base[:80]}-{n}"
        taken.add(slug.lower())
        slugs[name] = slug
    return slugs


def write_crops(crops: dict[str, bytes], crops_dir: Path) -> dict[str, Path]:
    """Write each flagged cell's image from the scan as crops/<flag_id>.png (only when its bytes changed)
    and remove the images of flags no longer shown; returns flag_id → file. Files rather than data URIs:
    a flag is listed on the overview and on its township's page, and its image is written once."""
    crops_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for flag_id, png in crops.items():
        path = crops_dir / f"{_UNSAFE_FILE_CHARS.sub('_', flag_id)}.png"
        if not (path.is_file() and path.read_bytes() == png):
            path.write_bytes(png)
        written[flag_id] = path
    keep = set(written.values())
    for stale in crops_dir.glob("*.png"):
        if stale not in keep:
            stale.unlink()
    return written


def build_dashboard(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    """Write index.html, townships/<name>.html, charts/*.png, crops/*.png and flags.xlsx under `out_dir`.

    Reads the warehouse through `con` and leaves it open (the flow owns it). Returns the index path.
    """
    out_dir = Path(out_dir)
    charts_dir, towns_dir = out_dir / "charts", out_dir / "townships"
    for d in (charts_dir, towns_dir):
        d.mkdir(parents=True, exist_ok=True)
    names = data.townships(con)
    year = data.latest_year(con)
    flags = data.open_flags(con)
    crop_images = data.flag_crops(con)
    crops = write_crops(crop_images, out_dir / "crops")
    due = data.publication_year(con)  # None: the county collects nothing, publication is left out
    publication = None if due is None else data.publication(con)
    due_rows = None if publication is None else publication.filter(pl.col("year") == due)
    write_workbook(flags, names, out_dir / "flags.xlsx", crops=crop_images, publication=due_rows)
    slugs = township_slugs(names)
    written: set[Path] = set()
    if year is None:
        county_charts = []
        figures = data.township_figures(con, 0)
    else:
        trends = data.trends(con)
        county_charts = charts.county_charts(con, charts_dir, year, trends)
        figures = data.township_figures(con, year)
    site = Site(
        out_dir=out_dir,
        year=year or 0,
        townships=names,
        slugs=slugs,
        figures=figures,
        flags=flags,
        reports=data.reports(con),
        county_charts=county_charts,
        crops=crops,
        publication=publication,
        publication_year=due,
    )
    if year is not None:
        outcomes, yrs = data.outcome_mix_by_year(con), data.years(con)
        for name in names:
            site.township_charts[name] = charts.township_charts(charts_dir, name, slugs[name], trends, outcomes, yrs)
    for name in names:
        page = towns_dir / f"{slugs[name]}.html"
        page.write_text(render_township(site, name), encoding="utf-8")
        written.add(page)
    written.update(c.path for c in site.county_charts)
    written.update(c.path for cs in site.township_charts.values() for c in cs)
    # a township renamed or a year dropped since the last run must not leave its old page behind
    for stale in [*charts_dir.glob("*.png"), *towns_dir.glob("*.html")]:
        if stale not in written:
            stale.unlink()
    index = out_dir / "index.html"
    index.write_text(render_index(site), encoding="utf-8")
    return index
