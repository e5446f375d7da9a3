"""`build_dashboard`: the county's charts, HTML pages and correction lists, from an open warehouse."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import polars as pl

from gongkai.dashboards import charts, data
from gongkai.dashboards.html import Site, render_index, render_township
from gongkai.dashboards.overview import plan_overview, render_overview
from gongkai.dashboards.sketch import Chart, Painter, draw, paint_all
from gongkai.dashboards.workbook import write_workbook

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


def plan_county(con: duckdb.DuckDBPyConnection, out_dir: Path, county: str | None, up: str | None) -> Site:
    """A county's pages and charts (`county` None: the whole register, as a single-county register has),
    its workbook and crops written; `up` links its pages to the overview above it."""
    charts_dir, towns_dir = out_dir / "charts", out_dir / "townships"
    for d in (charts_dir, towns_dir):
        d.mkdir(parents=True, exist_ok=True)
    names = data.townships(con, county)
    year = data.latest_year(con, county)
    flags = data.open_flags(con, county)
    crop_images = data.flag_crops(con, county)
    crops = write_crops(crop_images, out_dir / "crops")
    due = data.publication_year(con)  # None: the county collects nothing, publication is left out
    publication = None if due is None else data.publication(con, county=county)
    due_rows = None if publication is None else publication.filter(pl.col("year") == due)
    scores = data.scorecard(con, county)
    write_workbook(flags, names, out_dir / "flags.xlsx", crops=crop_images, publication=due_rows, scorecard=scores)
    slugs = township_slugs(names)
    trends = data.trends(con, county)
    site = Site(
        out_dir=out_dir,
        year=year or 0,
        townships=names,
        slugs=slugs,
        figures=data.township_figures(con, year or 0, county, trends),
        flags=flags,
        reports=data.reports(con, county),
        county_charts=[] if year is None else charts.county_charts(con, charts_dir, year, trends, county),
        crops=crops,
        publication=publication,
        publication_year=due,
        scorecard=scores,
        county=county,
        up=up,
    )
    if year is not None:
        outcomes, yrs = data.outcome_mix_by_year(con, county), data.years(con, county)
        medians = charts.trend_medians(trends)
        for name in names:
            site.township_charts[name] = charts.township_charts(
                charts_dir, name, slugs[name], trends, outcomes, yrs, medians
            )
    return site


def _charts_of(site: Site) -> list[Chart]:
    return [*site.county_charts, *(c for cs in site.township_charts.values() for c in cs)]


def _write_county(site: Site) -> Path:
    """The county's pages, once its charts are drawn; removes the pages and charts it no longer has."""
    towns_dir = site.out_dir / "townships"
    written: set[Path] = {c.path for c in _charts_of(site)}
    for name in site.townships:
        page = towns_dir / f"{site.slugs[name]}.html"
        page.write_text(render_township(site, name), encoding="utf-8")
        written.add(page)
    # a township renamed or a year dropped since the last run must not leave its old page behind
    _remove_stale(site.out_dir, written)
    index = site.out_dir / "index.html"
    index.write_text(render_index(site), encoding="utf-8")
    return index


# Marks a county's folder as the dashboards' own: only marked folders are ever removed (a county that left
# the register), never a folder the analyst keeps beside the dashboards.
COUNTY_MARK = ".gongkai-county"
# The folders of a dashboard's own: no county's folder may take these names.
_OWN_FOLDERS = frozenset({"charts", "townships", "crops"})


def county_folders(counties: list[str]) -> dict[str, str]:
    """A folder name for each county: its name made safe like a township's, never one of a dashboard's own
    folders (a county named 'charts' would have its pages swept away as stale)."""
    slugs = township_slugs(counties)
    taken = {s.lower() for s in slugs.values()}
    for county, slug in slugs.items():
        if slug.lower() in _OWN_FOLDERS:
            n, new = 1, f"{slug}-县区"
            while new.lower() in taken:
                n += 1
                new = f"{slug}-县区{n}"
            slugs[county] = new
            taken.add(new.lower())
    return slugs


def _remove_county_folders(out_dir: Path, keep: set[Path]) -> None:
    for mark in out_dir.glob(f"*/{COUNTY_MARK}"):
        if mark.parent not in keep:
            shutil.rmtree(mark.parent)


def _remove_stale(out_dir: Path, keep: set[Path]) -> None:
    for stale in [*(out_dir / "charts").glob("*.png"), *(out_dir / "townships").glob("*.html")]:
        if stale not in keep:
            stale.unlink()


def build_dashboard(con: duckdb.DuckDBPyConnection, out_dir: Path, painter: Painter = paint_all) -> Path:
    """Write the dashboards under `out_dir` and return the index page's path.

    A register without counties: index.html, townships/<name>.html, charts/*.png, crops/*.png and
    flags.xlsx. A register naming counties: the same for each county under `out_dir/<county>/`, and an
    overview of the counties (index.html, charts/) above them.

    Reads the warehouse through `con` and leaves it open (the flow owns it). Every chart of every page is
    handed to `painter` at once, so that a painter spreading them over workers keeps them all busy.
    """
    out_dir = Path(out_dir)
    counties = data.counties(con)
    if not counties:
        site = plan_county(con, out_dir, None, None)
        draw(_charts_of(site), painter)
        _remove_county_folders(out_dir, keep=set())  # from when the register named counties
        return _write_county(site)
    slugs = county_folders(counties)
    sites = [plan_county(con, out_dir / slugs[c], c, "../index.html") for c in counties]
    for site in sites:
        (site.out_dir / COUNTY_MARK).write_text(site.county or "", encoding="utf-8")
    overview = plan_overview(out_dir, sites)
    draw([c for site in sites for c in _charts_of(site)] + overview.charts, painter)
    for site in sites:
        _write_county(site)
    # a county gone from the register, and what a single-county dashboard left at the top
    _remove_county_folders(out_dir, keep={site.out_dir for site in sites})
    _remove_stale(out_dir, set(overview.charts_paths))
    (out_dir / "flags.xlsx").unlink(missing_ok=True)
    for crop in (out_dir / "crops").glob("*.png"):
        crop.unlink()
    index = out_dir / "index.html"
    index.write_text(render_overview(overview), encoding="utf-8")
    return index
