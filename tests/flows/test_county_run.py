"""The county flow end to end on a generated county: Prefect's real engine, a real DuckDB file."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.flows.runner import run_county  # noqa: E402
from gongkai.options import CollectSettings, Limits  # noqa: E402
from gongkai.prefect_setup import configure_prefect  # noqa: E402
from tests.flows.prefect_api import recorded  # noqa: E402
from tests.flows.truth import county_scorecard, county_truth  # noqa: E402

configure_prefect()


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=5, years=(2020, 2023), seed=11, workers=1)
    return out


def _warehouse(db: Path) -> tuple[dict, set]:
    con = duckdb.connect(str(db), read_only=True)
    cells: dict = {}
    rows = con.execute(
        """select r.township, r.year, f.table_code || '.' || f.row_code || '.' || f.col_code, f.value
           from latest_reports r join facts f using (report_id) where f.value is not null"""
    ).fetchall()
    for township, year, code, value in rows:
        cells.setdefault((township, year), {})[code] = value
    flags = set(con.execute("select rule_id, township, year, table_code, row_code, col_code from flags").fetchall())
    con.close()
    return cells, flags


CRITERIA = ("on_time", "unchanged", "current_template", "sections_complete", "sums_ok", "prose_fresh", "score")


def _scorecard(db: Path) -> dict[tuple[str, int], dict]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(f"select township, year, {', '.join(CRITERIA)} from report_scorecard").fetchall()
    con.close()
    return {(town, year): dict(zip(CRITERIA, values, strict=True)) for town, year, *values in rows}


def _same_numbers(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        a[k].keys() == b[k].keys() and all(float(a[k][c]) == float(b[k][c]) for c in a[k]) for k in a
    )


def test_run_loads_truth_cells_and_flags_then_rerun_parses_nothing(county, tmp_path):
    db = tmp_path / "county.duckdb"
    first = run_county(county / "reports", county / "townships.csv", db, tmp_path / "out", workers=2)
    reports = len(list((county / "reports").glob("*.json")))
    assert (first.files_seen, first.files_parsed, first.files_rejected) == (reports, reports, 0)
    truth_cells, truth_flags = county_truth(county)
    cells, flags = _warehouse(db)
    assert _same_numbers(cells, truth_cells)
    assert flags == truth_flags
    assert {f[0] for f in truth_flags} >= {"T3_BALANCE", "T4_ROW_SUM", "MISSING_REPORT"}
    assert _scorecard(db) == county_scorecard(county)
    # The county's reports came as PDFs, web pages and Word files; each is recorded as what it was.
    con = duckdb.connect(str(db), read_only=True)
    kinds = con.execute(
        "select r.source_format, f.read_by, count(distinct r.report_id) from reports r"
        " join facts f using (report_id) group by all order by all"
    ).fetchall()
    con.close()
    truth_media = [json.loads(p.read_text(encoding="utf-8"))["file"] for p in (county / "reports").glob("*.json")]
    by_suffix = {".pdf": 0, ".html": 0, ".htm": 0, ".docx": 0}
    for name in truth_media:
        by_suffix[Path(name).suffix] += 1
    assert kinds == [
        ("docx", "docx", by_suffix[".docx"]),
        ("html", "html", by_suffix[".html"] + by_suffix[".htm"]),
        ("pdf", "text", by_suffix[".pdf"]),
    ]
    assert all(by_suffix.values())

    again = run_county(county / "reports", county / "townships.csv", db, tmp_path / "out", workers=2)
    assert (again.files_parsed, again.files_unchanged) == (0, reports)
    assert (again.flags_opened, again.flags_closed) == (0, 0)
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("select files_parsed, files_unchanged from runs order by started_at").fetchall()
    con.close()
    assert runs == [(reports, 0), (0, reports)]


def test_dask_local_cluster_gives_the_same_warehouse(county, tmp_path):
    plain, dask = tmp_path / "plain.duckdb", tmp_path / "dask.duckdb"
    run_county(county / "reports", county / "townships.csv", plain, tmp_path / "o1", workers=1)
    run_county(county / "reports", county / "townships.csv", dask, tmp_path / "o2", dask_local=2)
    a_cells, a_flags = _warehouse(plain)
    b_cells, b_flags = _warehouse(dask)
    assert _same_numbers(a_cells, b_cells) and a_flags == b_flags and a_flags


def test_a_second_run_on_a_busy_warehouse_stops_at_once(county, tmp_path):
    from gongkai.flows.runner import WarehouseBusy, warehouse_lock

    db = tmp_path / "busy.duckdb"
    with warehouse_lock(db), pytest.raises(WarehouseBusy, match="正被另一次运行使用"):
        run_county(county / "reports", county / "townships.csv", db, tmp_path / "out")


@pytest.mark.parametrize("where", [["--workers", "2"], ["--dask-local", "2"]], ids=["threads", "dask"])
def test_gongkai_run_is_quiet_and_recorded_by_prefect(county, tmp_path, where):
    """The command as a user runs it, offline: nothing on stderr, and the flow run with its parse tasks
    and its limits in Prefect's local database, written by the server the run started for itself."""
    import subprocess
    import sys

    from gongkai.flows.county import batches

    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "run", "--inbox", str(county / "reports"),
         "--townships", str(county / "townships.csv"), "--db", str(tmp_path / "c.duckdb"),
         "--out", str(tmp_path / "out"), *where],
        env={**env, "PREFECT_HOME": str(home), "GONGKAI_PARSE_TIMEOUT": "45"},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert "全县汇总完成" in out.stdout
    reports = sorted((county / "reports").glob("*.json"))
    runs = recorded(home)
    assert [state for _, state in runs["flow_runs"]] == ["Completed"]
    tasks = runs["task_runs"][runs["flow_runs"][0][0]]
    assert {state for _, state in tasks} == {"Completed"}
    parses = [name for name, _ in tasks if name.startswith("parse-batch")]
    assert len(parses) == len(batches([(str(p), "") for p in reports], 2))
    # the charts, drawn as tasks too: 8 of the county, 2 per township, in batches over the 2 workers
    draws = [name for name, _ in tasks if name.startswith("draw-charts")]
    assert len(draws) == min(2 * 4, 8 + 2 * 5)
    # loading, the checks and the dashboards are tasks of the flow too, once each
    steps = [name for name, _ in tasks if not name.startswith(("parse-batch", "draw-charts"))]
    assert sorted(n.rsplit("-", 1)[0] for n in steps) == ["draw-dashboards", "load-reports", "run-checks"]
    assert len(tasks) == len(parses) + len(draws) + len(steps)
    assert runs["artifacts"] == ["county-run-summary"]
    # What the run was allowed is among its parameters, as Prefect's UI shows them.
    parameters = runs["parameters"][runs["flow_runs"][0][0]]
    assert parameters["limits"] == {**asdict(Limits()), "seconds": 45.0}
    assert parameters["pace"] == asdict(CollectSettings())


def test_a_county_written_as_real_townships_write_gives_every_flag_and_no_other(tmp_path):
    """Narrow columns, drifting headings and labels, units, stale templates, rows left out, cover letters,
    tables and styles of their own (demo.untidy): through the run, the truth's cells and flags exactly,
    TEMPLATE_OUTDATED and MISSING_ROW where they are true and nowhere else."""
    from gongkai.demo.corpus import write_corpus

    county = tmp_path / "untidy"
    write_corpus(county, townships=6, years=(2020, 2023), seed=3, workers=1, untidy=1.0)
    db = tmp_path / "untidy.duckdb"
    summary = run_county(county / "reports", county / "townships.csv", db, tmp_path / "out", workers=2)
    assert summary.files_rejected == 0
    truth_cells, truth_flags = county_truth(county)
    cells, flags = _warehouse(db)
    assert _same_numbers(cells, truth_cells)
    assert flags == truth_flags
    assert {f[0] for f in truth_flags} >= {"TEMPLATE_OUTDATED", "MISSING_ROW", "UNREADABLE_CELL"}
    assert _scorecard(db) == county_scorecard(county)
