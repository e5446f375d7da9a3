"""A register naming counties: a dashboard per county, from that county's numbers only, and an overview above
them; switching a register between one county and several leaves nothing of the other layout behind."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from openpyxl import load_workbook

from gongkai.dashboards import build_dashboard, charts, data, sketch
from gongkai.dashboards.build import plan_county
from gongkai.dashboards.figures import FIGURES
from gongkai.dashboards.overview import county_rows
from tests.dashboards.conftest import EVIL

EAST, WEST = "东县", "<b>西县</b>"  # a county name is text from a CSV: escaped like any other
COUNTY_OF = {"甲镇": EAST, "乙乡": WEST, EVIL: WEST}


def _sites(con: duckdb.DuckDBPyConnection, counties: list[str], out: Path) -> list:
    """Each county's pages as its dashboard plans them (the overview's rows are read from them)."""
    return [plan_county(con, out / str(i), county, None) for i, county in enumerate(counties)]


def _in_counties(con: duckdb.DuckDBPyConnection) -> None:
    for township, county in COUNTY_OF.items():
        con.execute("UPDATE townships SET county = ? WHERE name = ?", [county, township])


def test_every_figure_of_a_county_is_its_townships_only(con):
    _in_counties(con)
    assert data.counties(con) == [EAST, WEST]  # in the register's order of codes
    assert data.townships(con, WEST) == ["乙乡", EVIL]
    apps = data.applications_by_applicant(con, 2023, WEST)
    assert apps.select("township", "total").rows() == [("乙乡", 5)]
    assert set(data.trends(con, EAST)["township"]) == {"甲镇"}
    assert data.flag_grid(con, EAST)["township"].unique().to_list() == ["甲镇"]
    assert set(data.open_flags(con, WEST)["township"]) == {"乙乡", EVIL}
    assert data.years(con, EAST) == [2022, 2023]
    # the county sums: each county's, and the whole register's without a county
    east = data.county_totals(con, EAST).select("year", "applications").rows()
    west = data.county_totals(con, WEST).select("year", "applications").rows()
    both = data.county_totals(con).select("year", "applications").rows()
    assert east == [(2022, 8), (2023, 16)] and west == [(2022, 4), (2023, 5)]
    assert both == [(y, a + b) for (y, a), (_, b) in zip(east, west, strict=True)]


def test_a_dashboard_per_county_and_the_overview_above(con, tmp_path):
    _in_counties(con)
    out = tmp_path / "out"
    index = build_dashboard(con, out)
    assert index == out / "index.html"
    overview = index.read_text(encoding="utf-8")
    assert "<b>" not in overview and "&lt;b&gt;西县&lt;/b&gt;" in overview
    east, west = out / EAST, out / "_b_西县__b_"  # the folder: the county's name made safe for a file system
    assert {p.stem for p in (east / "townships").glob("*.html")} == {"甲镇"}
    assert {p.stem for p in (west / "townships").glob("*.html")} == {"乙乡", "_script_alert(1)__script_镇"}
    assert f'href="{quote(west.name)}/index.html"' in overview and f'href="{EAST}/flags.xlsx"' in overview.replace(
        quote(EAST), EAST
    )
    page = (west / "index.html").read_text(encoding="utf-8")
    assert "甲镇" not in page and "乙乡" in page and "← 返回各县区总览" in page
    sheets = load_workbook(east / "flags.xlsx").sheetnames
    assert "甲镇" in sheets and "乙乡" not in sheets
    # the overview's table: each county's errors as the warehouse counts them
    rows = county_rows(_sites(con, [EAST, WEST], tmp_path / "again"), 2023)
    assert rows.select("county", "townships", "reports", "errors", "missing").rows() == [
        (EAST, 1, 1, 2, 0),
        (WEST, 2, 1, 2, 1),
    ]
    assert {p.name for p in (out / "charts").glob("*.png")} == {"counties-2023.png", "counties-flags.png"}


def test_switching_layouts_leaves_nothing_behind(con, tmp_path):
    out = tmp_path / "out"
    build_dashboard(con, out)  # one county: pages at the top
    assert (out / "townships" / "甲镇.html").is_file() and (out / "flags.xlsx").is_file()
    _in_counties(con)
    build_dashboard(con, out)
    assert not list((out / "townships").glob("*.html")) and not (out / "flags.xlsx").exists()
    assert {p.name for p in (out / "charts").glob("*.png")} == {"counties-2023.png", "counties-flags.png"}
    (out / "notes").mkdir()  # the analyst's own folder beside the dashboards: never touched
    con.execute("UPDATE townships SET county = '北县' WHERE name = '甲镇'")  # 东县 leaves the register
    build_dashboard(con, out)
    assert not (out / EAST).exists() and (out / "北县" / "townships" / "甲镇.html").is_file()
    con.execute("UPDATE townships SET county = NULL")
    build_dashboard(con, out)
    assert (out / "townships" / "甲镇.html").is_file() and "全县看板" in (out / "index.html").read_text("utf-8")
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["charts", "crops", "notes", "townships"]


def test_a_register_without_counties_keeps_its_pages(con, tmp_path):
    index = build_dashboard(con, tmp_path / "out")
    page = index.read_text(encoding="utf-8")
    assert "全县看板" in page and "各县区总览" not in page and "返回各县区总览" not in page
    assert not [
        p for p in (tmp_path / "out").iterdir() if p.is_dir() and p.name not in ("charts", "townships", "crops")
    ]


@pytest.mark.parametrize("order", [("甲镇", "乙乡"), ("乙乡", EVIL, "甲镇")])
def test_a_kept_figure_draws_what_a_fresh_one_would(con, tmp_path, order):
    """A township's charts redraw a figure the process keeps: what it drew before must not show."""
    trends, outcomes, yrs = data.trends(con), data.outcome_mix_by_year(con), data.years(con)

    def pngs(township: str) -> list[bytes]:
        return [sketch.paint(c.sketch) for c in charts.township_charts(Path(tmp_path), township, "x", trends,
                                                                       outcomes, yrs)]  # fmt: skip

    FIGURES.clear()
    fresh = pngs("甲镇")
    for township in order:
        drawn = pngs(township)
    assert drawn == fresh if order[-1] == "甲镇" else drawn != fresh
    FIGURES.clear()
    assert pngs(order[-1]) == drawn


def test_kept_small_multiples_draw_what_fresh_ones_would(con, tmp_path):
    """The three indicators' small multiples share one kept grid of panels: each must show only its own."""
    sketches = [charts.trend_small_multiples(con, tmp_path, k).sketch for k in ("applications", "licensing", "penalty")]
    assert len({s.together for s in sketches}) == 1  # drawn in one process, one after another
    FIGURES.clear()
    in_turn = [sketch.paint(s) for s in sketches]
    fresh = []
    for one in reversed(sketches):
        FIGURES.clear()
        fresh.insert(0, sketch.paint(one))
    FIGURES.clear()
    assert in_turn == fresh and len(set(fresh)) == 3


def test_overview_numbers_of_a_county_without_reports(con, tmp_path):
    con.execute("INSERT INTO townships (name, aliases, code, county) VALUES ('新镇', ['新镇'], '230799', '空县')")
    _in_counties(con)
    rows = county_rows(_sites(con, [EAST, WEST, "空县"], tmp_path), 2023)
    empty = rows.filter(rows["county"] == "空县").row(0, named=True)
    assert (empty["townships"], empty["reports"], empty["applications"], empty["granted_share"]) == (1, 0, None, None)
    assert re.sub(r"\s", "", str(empty["errors"])) == "0"


def test_a_township_without_a_county_is_shown_under_its_own_heading(con, tmp_path):
    _in_counties(con)
    con.execute("UPDATE townships SET county = NULL WHERE name = '乙乡'")
    con.execute("DELETE FROM townships WHERE name = ?", [EVIL])  # dropped from the register, its reports kept
    assert data.counties(con) == [EAST, data.NO_COUNTY]  # WEST has no township left
    assert data.townships(con, data.NO_COUNTY) == ["乙乡", EVIL]
    assert set(data.open_flags(con, data.NO_COUNTY)["township"]) == {"乙乡", EVIL}
    out = tmp_path / "out"
    build_dashboard(con, out)
    pages = {p.stem for p in (out / data.NO_COUNTY / "townships").glob("*.html")}
    assert pages == {"乙乡", "_script_alert(1)__script_镇"}
    assert data.NO_COUNTY in (out / "index.html").read_text(encoding="utf-8")


def test_a_county_never_takes_a_folder_of_the_dashboards_own():
    from gongkai.dashboards.build import county_folders

    assert county_folders(["charts", "东县", "Crops"]) == {
        "charts": "charts-县区",
        "东县": "东县",
        "Crops": "Crops-县区",
    }
