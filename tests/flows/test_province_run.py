"""A generated city of five counties run end to end: one overview above five county dashboards, each with
its own flags and workbook, drawn on the run's workers exactly as a serial draw would draw them."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from openpyxl import load_workbook

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.flows.runner import run_county
from gongkai.prefect_setup import configure_prefect  # noqa: E402
from tests.flows.truth import county_truth  # noqa: E402

configure_prefect()

COUNTIES = 5
TOWNSHIPS = 20  # per county


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("province")
    write_corpus(out, townships=TOWNSHIPS, years=(2023, 2024), seed=16, counties=COUNTIES)
    return out


@pytest.fixture(scope="module")
def run(province, tmp_path_factory) -> tuple[Path, Path, dict]:
    work = tmp_path_factory.mktemp("run")
    db, out = work / "w.duckdb", work / "out"
    summary = run_county(province / "reports", province / "townships.csv", db, out, workers=2)
    return db, out, summary


def _truth(province: Path) -> dict[str, set]:
    """county → the flags its truth files expect: (rule_id, township, year, table, row, col)."""
    doc = json.loads((province / "county.json").read_text(encoding="utf-8"))
    return {c["county"]: county_truth(province, c["county"])[1] for c in doc["counties"]}


def test_each_county_has_its_own_flags(province, run):
    db, _, summary = run
    assert summary.files_rejected == 0
    expected = _truth(province)
    assert len(expected) == COUNTIES
    con = duckdb.connect(str(db), read_only=True)
    for county, flags in expected.items():
        found = con.execute(
            "SELECT rule_id, township, year, table_code, row_code, col_code FROM flag_list WHERE county = ?", [county]
        ).fetchall()
        assert set(found) == flags, county
    # 城关镇 is in every county, kept apart by its county
    assert con.execute(
        "SELECT count(DISTINCT township) FROM latest_reports WHERE township LIKE '%城关镇'"
    ).fetchone() == (COUNTIES,)
    con.close()


def test_one_overview_and_a_dashboard_per_county(run):
    db, out, _ = run
    con = duckdb.connect(str(db), read_only=True)
    counties = [c for (c,) in con.execute("SELECT DISTINCT county FROM townships ORDER BY county").fetchall()]
    assert len(counties) == COUNTIES
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "各县区总览" in overview
    for county in counties:
        home = out / county
        townships = {n for (n,) in con.execute("SELECT name FROM townships WHERE county = ?", [county]).fetchall()}
        pages = {p.stem for p in (home / "townships").glob("*.html")}
        assert pages == townships and len(pages) == TOWNSHIPS
        page = (home / "index.html").read_text(encoding="utf-8")
        assert f"{county}看板" in page and 'href="../index.html"' in page
        link = quote(county)  # the pages' links are percent-encoded
        assert f'href="{link}/index.html"' in overview and f'href="{link}/flags.xlsx"' in overview
        # its workbook lists its own townships' flags and no other county's
        summary = load_workbook(home / "flags.xlsx").worksheets[0]
        listed = {row[0] for row in summary.iter_rows(min_row=2, values_only=True) if row[0]}
        flagged = {
            t
            for (t,) in con.execute(
                "SELECT DISTINCT township FROM flag_list WHERE county = ? AND status IN ('open', 'confirmed')",
                [county],
            ).fetchall()
        }
        assert flagged and flagged <= listed <= townships | {"合计"}
        # the overview's row for the county: its errors, as the warehouse counts them
        (errors,) = con.execute(
            "SELECT count(*) FROM flag_list WHERE county = ? AND severity = 'error'"
            " AND status IN ('open', 'confirmed')",
            [county],
        ).fetchone()
        row = re.search(rf'<tr><td><a href="{re.escape(link)}/index.html">{county}</a></td>(.*?)</tr>', overview)
        cells = re.findall(r'<td class="n[^"]*">([^<]*)</td>', row.group(1))
        assert cells[0] == "2024年" and cells[1] == str(TOWNSHIPS) and cells[8] == f"{errors:,}"
    # nothing of a single county's layout at the top
    assert not (out / "townships").exists() or not list((out / "townships").glob("*.html"))
    assert not (out / "flags.xlsx").exists()
    assert {p.name for p in (out / "charts").glob("*.png")} == {"counties-2024.png", "counties-flags.png"}
    con.close()


def _without_clock(html: str) -> str:
    return re.sub(r"生成于 \d{4}年\d{2}月\d{2}日 \d{2}:\d{2}", "", html)


def test_charts_drawn_on_workers_are_the_serial_draw(run, tmp_path):
    from gongkai.dashboards import build_dashboard

    db, out, _ = run
    again = tmp_path / "out"  # as deep as the run's: the pages' relative links to the reports are the same
    con = duckdb.connect(str(db), read_only=True)
    build_dashboard(con, again)  # one process, one chart after another
    con.close()
    drawn = sorted(p.relative_to(out) for p in out.rglob("*") if p.suffix in (".png", ".html"))
    serial = sorted(p.relative_to(again) for p in again.rglob("*") if p.suffix in (".png", ".html"))
    assert drawn == serial and len([p for p in drawn if p.suffix == ".png"]) == 2 + COUNTIES * (8 + 2 * TOWNSHIPS)
    for rel in drawn:
        if rel.suffix == ".png":
            assert (out / rel).read_bytes() == (again / rel).read_bytes(), rel
        else:
            a, b = (out / rel).read_text(encoding="utf-8"), (again / rel).read_text(encoding="utf-8")
            assert _without_clock(a) == _without_clock(b), rel
